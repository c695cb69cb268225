import { describe, expect, it } from 'vitest';
import index from 'virtual:glens-index';
import { compileIndex, isAcronymForm, pluralOf } from '../../lib/dataset/compile';
import { aliasKey, loadDataset, termForms } from '../../lib/dataset';
import { PREBUILT_VERSION } from '../../lib/match';
import { dataset } from './helpers';

const ix = compileIndex(dataset);
const termOf = (text: string) => ix.forms.filter((f) => f.text === text).map((f) => ({ id: ix.terms[f.term].id, cs: f.cs }));

describe('compileIndex', () => {
  it('keeps only the minimal per-term data', () => {
    expect(ix.version).toBe(dataset.version);
    expect(ix.terms.length).toBe(dataset.terms.length);
    for (const t of ix.terms) expect(Object.keys(t).sort()).toEqual(expect.arrayContaining(['id', 'label', 'related']));
    expect(JSON.stringify(ix)).not.toContain(dataset.terms[0].definition);
    expect(ix.guidance?.map((g) => g.id)).toEqual(dataset.entries.map((e) => e.id));
    expect(ix.guidance?.find((g) => g.id === 'R2')).toEqual({ id: 'R2', kind: 'recommendation', title: 'Increased collaboration to expand access' });
  });

  it('has no empty forms, valid term indexes and no (text, cs) pair mapping to two terms', () => {
    const owner = new Map<string, number>();
    const clashes: string[] = [];
    for (const f of ix.forms) {
      expect(f.text.trim().length).toBeGreaterThan(0);
      expect(ix.terms[f.term]).toBeDefined();
      const k = `${f.cs}:${f.text}`;
      const prev = owner.get(k);
      if (prev !== undefined && prev !== f.term) clashes.push(k);
      owner.set(k, f.term);
    }
    expect(clashes).toEqual([]);
  });

  it('marks acronyms and caseSensitive forms cs, ordinary phrases not', () => {
    expect(termOf('IXPs')).toEqual([{ id: 'internet-exchange-point', cs: true }]);
    expect(termOf('IGF')).toEqual([{ id: 'internet-governance-forum', cs: true }]);
    expect(termOf('WSIS+10')).toEqual([{ id: 'wsis-plus-10', cs: true }]);
    expect(termOf('Internet Society')).toEqual([{ id: 'internet-society', cs: true }]);
    expect(termOf('AS numbers')).toEqual([{ id: 'autonomous-system-numbers', cs: true }]);
    expect(termOf('multi-stakeholder')).toEqual([{ id: 'multistakeholder-model', cs: false }]);
    expect(termOf('Information society')).toEqual([{ id: 'information-society', cs: false }]);
    expect(isAcronymForm('ccTLDs')).toBe(true);
    expect(isAcronymForm('IGF 2016')).toBe(true);
    expect(isAcronymForm('MAG Chair')).toBe(false);
    expect(isAcronymForm('Internet')).toBe(false);
  });

  it('adds sensible plurals of multi-word noun phrases, never of names or adjectives', () => {
    expect(pluralOf('Internet exchange point')).toBe('Internet exchange points');
    expect(pluralOf('developing country')).toBe('developing countries');
    expect(pluralOf('multistakeholder process')).toBe('multistakeholder processes');
    expect(pluralOf('Domain Name System')).toBeNull();
    expect(pluralOf('multi-stakeholder')).toBeNull();
    expect(pluralOf('your breach is my breach')).toBeNull();
    expect(pluralOf('Working definition of Internet governance')).toBeNull();
    expect(termOf('Multistakeholder models')).toEqual([{ id: 'multistakeholder-model', cs: false }]);
  });

  it('carries context words for guarded terms only', () => {
    const byId = new Map(ix.terms.map((t) => [t.id, t]));
    expect(byId.get('multistakeholder-advisory-group')!.context).toContain('IGF');
    expect(byId.get('internet-governance-forum')!.context).toBeUndefined();
    expect(ix.terms.filter((t) => t.context).length).toBe(dataset.terms.filter((t) => t.ambiguous).length);
  });

  it('includes every written form of every term', () => {
    // Forms equal after the matcher's folding (case, hyphen/space, diacritics) are kept once per term.
    dataset.terms.forEach((t, ti) => {
      const keys = new Set(ix.forms.filter((x) => x.term === ti).map((x) => aliasKey(x.text)));
      for (const f of termForms(t)) expect(keys.has(aliasKey(f)), `${t.id}: ${f}`).toBe(true);
    });
  });
});

describe('virtual:glens-index (vite plugin)', () => {
  it('is the compiled, validated bundled dataset (plus the prebuilt matcher)', () => {
    const { prebuilt, ...rest } = index;
    expect(rest).toEqual(compileIndex(loadDataset()));
    expect(prebuilt).toMatchObject({ v: PREBUILT_VERSION, forms: index.forms.length, terms: index.terms.length });
  });

  it('shares context lists between terms instead of repeating them', () => {
    const lists = index.terms.filter((t) => t.context).map((t) => t.context!);
    const distinct = new Set(lists.map((l) => JSON.stringify(l)));
    expect(new Set(lists).size).toBe(distinct.size);
  });
});

describe('glensDataset() plugin', () => {
  it('fails the build with a readable error when a quote is not verbatim', async () => {
    const { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { glensDataset } = await import('../../lib/dataset/vite-plugin');
    const { DATA_DIR } = await import('./helpers');
    const dir = mkdtempSync(path.join(tmpdir(), 'glens-data-'));
    try {
      cpSync(DATA_DIR, dir, { recursive: true });
      const g = JSON.parse(readFileSync(path.join(dir, 'guidance.json'), 'utf8'));
      g.entries[0].quotes[0].text = 'Inclusiveness is optional.';
      writeFileSync(path.join(dir, 'guidance.json'), JSON.stringify(g));
      const plugin = glensDataset({ dataDir: dir }) as unknown as { load: (this: unknown, id: string) => string };
      expect(() => plugin.load.call({ addWatchFile() {} }, '\0virtual:glens-index')).toThrow(/entry "P1" quote 1 is not verbatim/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
