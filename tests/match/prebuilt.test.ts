import { describe, expect, it } from 'vitest';
import { compileIndex, loadDataset } from '../../lib/dataset';
import { createMatcher, serializeMatcher, PREBUILT_VERSION } from '../../lib/match';
import { loadFixture, matchFixtures } from './fixture-text';
import { smallIndex } from './small-index';

const index = compileIndex(loadDataset());
const fresh = createMatcher(index);
/** Through JSON, as the content script gets it. */
const snapshot = JSON.parse(JSON.stringify(serializeMatcher(fresh)));
const loaded = createMatcher({ ...index, prebuilt: snapshot });

const fixtures = matchFixtures();
const load = loadFixture;

describe('prebuilt matcher (serializeMatcher → CompiledIndex.prebuilt)', () => {
  it('is a versioned snapshot tied to its index', () => {
    expect(snapshot).toMatchObject({ v: PREBUILT_VERSION, forms: index.forms.length, terms: index.terms.length });
    expect(serializeMatcher(loaded)).toEqual(snapshot);
  });

  it('gives identical find() results to a freshly built matcher on every match fixture', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    // A matcher nobody has serialized: its trie nodes are built lazily, as the lookups reach them.
    const loaded = createMatcher({ ...index, prebuilt: JSON.parse(JSON.stringify(snapshot)) });
    let total = 0;
    for (const f of fixtures) {
      const { title, text } = load(f);
      // Separate ctx objects: page-level signals are cached per ctx.
      const a = fresh.find(text, { title, pageText: text });
      const b = loaded.find(text, { title, pageText: text });
      expect(b, f).toEqual(a);
      // Without page context too (local windows only).
      expect(loaded.find(text), f).toEqual(fresh.find(text));
      total += a.length;
    }
    expect(total).toBeGreaterThan(100);
    // Partly built by now; serializing builds the rest and gives the same snapshot.
    expect(serializeMatcher(loaded)).toEqual(snapshot);
  });

  it('adds forms through nodes not built yet, as a freshly built matcher does', () => {
    const term = index.terms.findIndex((t) => t.id === 'internet-governance-forum');
    expect(term).toBeGreaterThanOrEqual(0);
    const form = { text: 'Internet Governence Forum', term, cs: false };
    const lazy = createMatcher({ ...index, prebuilt: JSON.parse(JSON.stringify(snapshot)) });
    const built = createMatcher(index);
    expect(lazy.addForms([form])).toBe(built.addForms([form]));
    const text = 'At the Internet Governence Forum, the Internet Governance Forum (IGF) met.';
    expect(lazy.find(text)).toEqual(built.find(text));
    expect(lazy.find(text).filter((s) => s.term === term).length).toBeGreaterThanOrEqual(2);
    expect(serializeMatcher(lazy)).toEqual(serializeMatcher(built));
  });

  it('keeps guards and incremental page signals working', () => {
    const iab = index.terms.findIndex((t) => t.id === 'iab');
    if (iab >= 0) expect(loaded.isGuarded(iab)).toBe(fresh.isGuarded(iab));
    const guarded = index.terms.map((_, i) => i).filter((i) => fresh.isGuarded(i));
    expect(guarded.length).toBeGreaterThan(10);
    for (const i of guarded) expect(loaded.isGuarded(i)).toBe(true);
    const text = 'The IETF publishes RFCs. The IAB oversees the Internet architecture.';
    const sa = fresh.pageSignals({ title: 'IETF', url: 'https://www.ietf.org/about/' });
    const sb = loaded.pageSignals({ title: 'IETF', url: 'https://www.ietf.org/about/' });
    expect([...sb.head].sort()).toEqual([...sa.head].sort());
    fresh.addPageText(sa, text);
    loaded.addPageText(sb, text);
    expect([...sb.body].sort()).toEqual([...sa.body].sort());
    expect(loaded.find(text, { signals: sb })).toEqual(fresh.find(text, { signals: sa }));
  });

  it('accepts added forms after loading (fuzzy discovery)', () => {
    const m = createMatcher({ ...index, prebuilt: JSON.parse(JSON.stringify(snapshot)) });
    const term = index.terms.findIndex((t) => t.id === 'multistakeholder-model');
    expect(term).toBeGreaterThanOrEqual(0);
    expect(m.find('a multistakholder process')).toEqual([]);
    expect(m.addForms([{ text: 'multistakholder', term, cs: false }])).toBeGreaterThan(0);
    expect(m.find('a multistakholder process')).toEqual([{ start: 2, end: 17, term }]);
  });

  it('falls back to building when the snapshot does not fit the index', () => {
    const small = smallIndex();
    const m = createMatcher({ ...small, prebuilt: snapshot });
    const b = createMatcher(small);
    const text = 'The IGF and multi-stakeholder IXPs';
    expect(m.find(text)).toEqual(b.find(text));
    expect(m.find(text).length).toBeGreaterThan(0);
    const broken = createMatcher({ ...index, prebuilt: { ...snapshot, trie: { ...snapshot.trie, kids: [] } } });
    expect(broken.find('the Internet Governance Forum')).toEqual(fresh.find('the Internet Governance Forum'));
  });
});
