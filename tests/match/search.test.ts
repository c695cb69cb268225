import Fuse from 'fuse.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadDataset } from '../../lib/dataset';
import { createLookup, foldKey } from '../../lib/match';
import { foldForWords, INFIX_SCORE, TextScan, WordIndex, wordsOf, type WordHits } from '../../lib/match/word-index';

const ds = loadDataset();
const lookup = createLookup(ds);
const termId = (label: string) => ds.terms.find((t) => t.label === label)!.id;

describe('createLookup', () => {
  it.each([
    ['inclusiv', ['P1']],
    ['multistakholder', [termId('Multistakeholder model')]],
    ['IXP', [termId('Internet exchange point')]],
    ['tunis 69', ['tunis-69-71', termId('Tunis Agenda paragraphs 69-71')]],
    ['ICANN', [termId('Internet Corporation for Assigned Names and Numbers')]],
    ['digital divide', [termId('Digital divide')]],
    ['Tunez', [termId('Tunis Agenda for the Information Society')]],
    ['wsis+10', [termId('WSIS+10')]],
  ])('%s → first result %s', (query, ids) => {
    const first = lookup.search(query)[0];
    expect(first).toBeDefined();
    expect(ids).toContain(first.id);
  });

  it('returns [] for an empty or blank query', () => {
    expect(lookup.search('')).toEqual([]);
    expect(lookup.search('   ')).toEqual([]);
  });

  it('carries kind, title and matched ranges for highlighting', () => {
    const r = lookup.search('inclusiv')[0];
    expect(r.kind).toBe('principle');
    expect(r.title).toBe('Inclusiveness and transparency');
    const m = r.matches.find((x) => x.key === 'title')!;
    expect(m).toBeDefined();
    const [a, b] = m.indices[0];
    expect(m.value.slice(a, b + 1).toLowerCase()).toBe('inclusiv');
  });

  it('ranks an exact acronym alias first and marks it', () => {
    const r = lookup.search('IXP');
    expect(r[0].score).toBe(0);
    expect(r[0].matches[0].value).toBe('IXP');
  });

  it('respects the limit and finds sources', () => {
    expect(lookup.search('internet', 3)).toHaveLength(3);
    expect(lookup.search('Global Internet Report 2016').some((r) => r.kind === 'source' || r.kind === 'term')).toBe(true);
  });
});

describe('createLookup: stages', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ['principle 1', ['P1']],
    ['recommendation 4', ['R4']],
    ['gobernanza', [termId('Internet governance')]],
    ['lateral', [termId('Multilateral')]],
    ['enhanced coperation', [termId('Enhanced cooperation')]],
  ])('%s → first result %s', (query, ids) => {
    expect(ids).toContain(lookup.search(query)[0]?.id);
  });

  it('answers correctly spelt one-word queries by the exact and prefix stages, without fuse.js', () => {
    const fuse = vi.spyOn(Fuse.prototype, 'search');
    for (const q of ['inclusiv', 'IXP', 'ICANN', 'fragmentation']) expect(lookup.search(q, 30).length).toBeGreaterThan(0);
    expect(fuse).not.toHaveBeenCalled();
  });

  it('answers "capacity building" by the exact stage, as a title hit with its ranges', () => {
    const r = lookup.search('capacity building', 30);
    expect(r[0]).toMatchObject({ id: termId('Capacity building'), score: 0 });
    expect(r[0].matches[0]).toEqual({ key: 'title', value: 'Capacity building', indices: [[0, 16]] });
    expect(r.every((x) => x.score <= 0.01 || x.score >= 0.5)).toBe(true);
  });

  it('finds a typo through the bucketed fuzzy stage at every keystroke once it is recognisable', () => {
    const target = termId('Multistakeholder model');
    const q = 'multistakholder';
    for (let i = 6; i <= q.length; i++) {
      expect(lookup.search(q.slice(0, i), 30).slice(0, 3).map((r) => r.id)).toContain(target);
    }
    const r = lookup.search('enhanced coperation')[0];
    expect(r.score).toBeGreaterThan(0.01); // a fuse.js score, not an exact/prefix hit
    expect(r.matches.some((m) => m.key === 'title' && m.indices.length > 0)).toBe(true);
  });

  it('keeps partial and inflected name matches from fuse.js ("domain names", "tunis 69")', () => {
    expect(lookup.search('domain names', 30).slice(0, 3).map((r) => r.id)).toContain(termId('Domain Name System'));
    expect(lookup.search('tunis 69', 30).map((r) => r.id)).toContain(termId('Tunis Agenda paragraph 72'));
  });

  it('finds a typo in definitions through close words of the names ("bridgng" → R2 by its summary)', () => {
    const r2 = lookup.search('bridgng', 30).find((r) => r.id === 'R2');
    expect(r2?.matches[0].key).toBe('body');
  });

  it.each([
    ['Capacitybuilding', 'Capacity building'],
    ['Submarinencabels', 'Submarine cables'],
    ['Internet ogvernance', 'Internet governance'],
    ['UN Genera lAssembly', 'UN General Assembly'],
  ])('finds %s (missing space, typo in a first letter, several typos) among the first 3', (query, label) => {
    expect(lookup.search(query, 30).slice(0, 3).map((r) => r.id)).toContain(termId(label));
  });

  it('never runs fuse.js on more than 16 candidates, while typing typos and long queries', () => {
    const parse = vi.spyOn(Fuse, 'parseIndex');
    for (const q of ['multistakholder approach', 'enhanced coperation', "gouvernance de l'Internet", 'Internet exchange points', 'xyzzy']) {
      for (let i = 1; i <= q.length; i++) lookup.search(q.slice(0, i), 30);
    }
    expect(parse).toHaveBeenCalled();
    for (const [data] of parse.mock.calls) expect(data.records.length).toBeLessThanOrEqual(16);
  });
});

describe('WordIndex / TextScan', () => {
  const idx = new WordIndex(3);
  ['multistakeholder model', 'multilateral', 'stakeholder engagement'].forEach((t, d) => idx.add(d, 1 << d % 2, t));
  idx.freeze();
  const docsOf = (h: WordHits) => [...h.fields].flatMap((f, d) => (f ? [d] : []));

  it('prefix: docs with a word starting with the query word, with their field bits', () => {
    expect(idx.hasPrefix('multis')).toBe(true);
    expect(idx.hasPrefix('stakeholders')).toBe(false);
    const h = idx.prefix('multi');
    expect(docsOf(h)).toEqual([0, 1]);
    expect([h.fields[0], h.fields[1], h.count]).toEqual([1, 2, 2]);
  });

  it('infix: words containing the query word, scored below prefix hits', () => {
    const h = idx.infix('stakeholder');
    expect(docsOf(h)).toEqual([0, 2]);
    expect(h.score[2]).toBe(0);
    expect(h.score[0]).toBeCloseTo(INFIX_SCORE);
  });

  it('fuzzy: fuse.js finds close words (partial, misspelt), first in the first-letter bucket', () => {
    expect(idx.closeWords('multistakhold')[0].word).toBe('multistakeholder');
    expect(docsOf(idx.fuzzy('multistakhold'))).toEqual([0]);
    expect(idx.closeWords('nultistakeholder')[0].word).toBe('multistakeholder'); // typo in the first letter
    expect(idx.closeWords('ultilateral')[0].word).toBe('multilateral'); // first letter dropped
    expect(docsOf(idx.fuzzy('xyzzy'))).toEqual([]);
  });

  it('fuzzy: splits a missing or mistyped space', () => {
    expect(docsOf(idx.fuzzy('stakeholderengag'))).toContain(2);
    expect(docsOf(idx.fuzzy('multistakeholderxmod'))).toContain(0);
  });

  it('TextScan.prefix matches word starts only', () => {
    const scan = new TextScan(['the multistakeholder model', 'all stakeholders']);
    expect(docsOf(scan.prefix('stake'))).toEqual([1]);
    expect(docsOf(scan.prefix('model'))).toEqual([0]);
  });

  it('foldForWords gives the words of foldKey', () => {
    for (const s of ['Multi-Stakeholder (WSIS+10) model', "Gouvernance de l’Internet — société", 'São Paulo NETmundial']) {
      expect(wordsOf(foldForWords(s))).toEqual(wordsOf(foldKey(s)));
    }
  });
});
