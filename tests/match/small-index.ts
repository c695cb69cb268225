import type { CompiledForm, CompiledIndex, CompiledTerm } from '../../lib/dataset/types';

/** A small hand-built CompiledIndex for unit tests (independent of data/). */
export function smallIndex(): CompiledIndex {
  const terms: CompiledTerm[] = [];
  const forms: CompiledForm[] = [];
  const add = (id: string, label: string, list: [string, boolean][], context?: string[]) => {
    const term = terms.length;
    terms.push({ id, label, related: [], ...(context ? { context } : {}) });
    for (const [text, cs] of list) forms.push({ text, term, cs });
  };
  add('multistakeholder-model', 'Multistakeholder model', [
    ['multistakeholder', false],
    ['multi-stakeholder', false],
    ['multistakeholderism', false],
    ['multistakeholder approach', false],
  ]);
  add('igf', 'Internet Governance Forum', [
    ['Internet Governance Forum', false],
    ['IGF', true],
    ['IGF 2016', true],
  ]);
  add('nri', 'National, Regional and Youth IGF initiatives', [
    ['NRIs', true],
    ['national and regional IGFs', false],
  ]);
  add('ixp', 'Internet exchange point', [
    ['Internet exchange point', false],
    ['IXP', true],
  ]);
  add('icann', 'ICANN', [['ICANN', true]]);
  add('iab', 'Internet Architecture Board', [
    ['Internet Architecture Board', false],
    ['IAB', true],
  ], ['IETF', 'RFC', 'Internet architecture', 'Internet Engineering Task Force']);
  add('enhanced-cooperation', 'Enhanced cooperation', [
    ['enhanced cooperation', false],
    ['enhanced co-operation', false],
  ], ['WSIS', 'Tunis Agenda', 'Internet governance', 'IGF', 'public policy issues pertaining to the Internet']);
  add('mag', 'Multistakeholder Advisory Group', [
    ['Multistakeholder Advisory Group', false],
    ['MAG', true],
  ], ['IGF', 'Internet Governance Forum', 'UN Secretary-General']);
  add('internet-society', 'Internet Society', [
    ['Internet Society', true],
    ['ISOC', true],
  ]);
  add('information-society', 'Information society', [['information society', false]]);
  add('tunis-agenda', 'Tunis Agenda', [
    ['Tunis Agenda', false],
    ['Agenda de Túnez', false],
  ]);
  add('internet-governance', 'Internet governance', [['Internet governance', false]]);
  add('wsis-10', 'WSIS+10', [['WSIS+10', true]]);
  add('wsis', 'WSIS', [['WSIS', true]]);
  add('tunis-69-71', 'Tunis Agenda §§69–71', [
    ['§§69-71', false],
    ['paragraphs 69-71', false],
  ]);
  add('process', 'Process', [['policy process', false]]);
  add('ietf', 'IETF', [['IETF', true]]);
  add('digital-divide', 'Digital divide', [['digital divide', false]]);
  add('cooperation-x', 'Cooperation test', [['cooperation framework', false]]);
  return { version: 'test', terms, forms };
}

/** Render spans as "surface→termId" strings. */
export function show(index: CompiledIndex, text: string, spans: { start: number; end: number; term: number }[]): string[] {
  return spans.map((s) => `${text.slice(s.start, s.end)}→${index.terms[s.term].id}`);
}
