import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../lib/dataset';
import { createLookup } from '../../lib/match';

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
