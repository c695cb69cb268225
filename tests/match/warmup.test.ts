import { describe, expect, it } from 'vitest';
import { compileIndex, loadDataset } from '../../lib/dataset';
import { createMatcher, warmUpMatcher } from '../../lib/match';
import { CharClass, charClass } from '../../lib/match/normalize';
import { WARMUP_TEXT } from '../../lib/match/warmup';
import { loadFixture, matchFixtures } from './fixture-text';

const index = compileIndex(loadDataset());
const ids = (spans: { term: number }[]) => spans.map((s) => index.terms[s.term].id);

describe('matcher warm-up', () => {
  it('takes every branch of the scanner: every char class, rare chars, a gap over 255 chars', () => {
    const classes = new Set<number>();
    for (let i = 0; i < WARMUP_TEXT.length; i++) classes.add(charClass(WARMUP_TEXT.charCodeAt(i)));
    for (const c of [CharClass.Word, CharClass.Space, CharClass.Hyphen, CharClass.Newline, CharClass.Skip, CharClass.Punct]) {
      expect(classes, `class ${c}`).toContain(c);
    }
    expect(WARMUP_TEXT).toMatch(/ {256}/);
    expect(WARMUP_TEXT).toMatch(/[\u0400-\u04ff]/); // letters outside Latin (not in the class tables yet)
    expect(WARMUP_TEXT).toMatch(/[\ud800-\udbff][\udc00-\udfff]/);
  });

  it('reaches the trie, the variants and the guards with the real dataset', () => {
    const m = createMatcher(index);
    const signals = { head: new Set<number>(), body: new Set<number>() };
    m.addPageText(signals, WARMUP_TEXT);
    const spans = m.find(WARMUP_TEXT, { signals });
    const surfaces = spans.map((s) => WARMUP_TEXT.slice(s.start, s.end));
    // A case-sensitive acronym, its plural, a possessive, a joined hyphen pair, an ALL-CAPS name.
    expect(surfaces).toEqual(expect.arrayContaining(['IGF', 'IGFs', 'ICANN', 'multistakeholderism', 'enhanced co-operation', 'INTERNET SOCIETY']));
    // A guarded term with its context (IAB near IETF/RFC) is found; in a URL or e-mail nothing is.
    expect(ids(spans)).toContain('iab');
    expect(spans.filter((s) => WARMUP_TEXT.slice(s.start - 30, s.end).includes('www.'))).toEqual([]);
    expect(signals.body.size).toBeGreaterThan(5);
  });

  it('reaches the guards with a guarded term at offset 0 (the "(IAB)" check reads before the text)', () => {
    const m = createMatcher(index);
    const signals = { head: new Set<number>(), body: new Set<number>() };
    m.addPageText(signals, WARMUP_TEXT);
    expect(m.isGuarded(index.terms.findIndex((t) => t.id === 'iab'))).toBe(true);
    const spans = m.find('IAB, the IETF and RFCs.', { signals });
    expect(spans[0]).toMatchObject({ start: 0, end: 3 });
    expect(ids(spans)[0]).toBe('iab');
  });

  it('changes no result', () => {
    const fresh = createMatcher(index);
    const warmed = createMatcher(index);
    warmUpMatcher(warmed);
    for (const text of [...matchFixtures().map((f) => loadFixture(f).text), WARMUP_TEXT]) {
      const ctx = { title: 'IGF', url: 'https://www.intgovforum.org/', pageText: text };
      expect(warmed.find(text, ctx)).toEqual(fresh.find(text, { ...ctx }));
    }
  });
});
