import { describe, expect, it } from 'vitest';
import { DatasetError, parseDataset, validateDataset } from '../../lib/dataset/schema';
import { readJson } from './helpers';

const clone = () => {
  const g = readJson('guidance.json');
  return { version: g.version, entries: g.entries, terms: readJson('glossary.json').terms, sources: readJson('sources.json').sources };
};
const problemsOf = (input: unknown, opts = {}) => {
  try {
    parseDataset(input, opts);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return (e as DatasetError).problems;
  }
};

describe('dataset schema', () => {
  it('accepts the bundled data', () => {
    expect(problemsOf(clone())).toEqual([]);
  });

  it('rejects a missing title with a readable path and id', () => {
    const d = clone();
    delete d.entries[4].title;
    const problems = problemsOf(d);
    expect(problems.join('\n')).toMatch(/entries\[4\] \(id "R1"\)\.title: missing required field "title"/);
    expect(() => parseDataset(d)).toThrow(/Invalid Governance Lens dataset/);
  });

  it('rejects an http URL', () => {
    const d = clone();
    d.sources[0].url = 'http://unctad.org/news/working-group-enhanced-cooperation';
    expect(problemsOf(d).join('\n')).toMatch(/sources\[0\] \(id "isoc-wgec-2016"\)\.url: url must be an https:\/\/ URL/);
  });

  it('rejects a nearest link without a note, an unknown kind and an entry without sources', () => {
    const d = clone();
    delete d.sources[0].note;
    d.entries[0].kind = 'advice';
    d.entries[1].sources = [];
    const text = problemsOf(d).join('\n');
    expect(text).toMatch(/nearest' link needs a note/);
    expect(text).toMatch(/entries\[0\] \(id "P1"\)\.kind/);
    expect(text).toMatch(/entries\[1\] \(id "P2"\)\.sources: an entry needs at least one source/);
  });

  it('rejects unknown fields (typos)', () => {
    const d = clone();
    d.terms[0].alias = ['x'];
    expect(problemsOf(d).join('\n')).toMatch(/terms\[0\] \(id "internet-society"\)/);
  });

  it('reports duplicate ids, dangling references and shared aliases', () => {
    const d = clone();
    d.terms[1].id = d.terms[0].id;
    d.terms[2].related = ['P9'];
    d.entries[0].terms.push('no-such-term');
    d.terms[3].aliases.push('Multi Stakeholder');
    const text = problemsOf(d).join('\n');
    expect(text).toMatch(/duplicate id "internet-society"/);
    expect(text).toMatch(/unknown related entry "P9"/);
    expect(text).toMatch(/entry "P1": unknown term "no-such-term"/);
    expect(text).toMatch(/form "multi stakeholder" belongs to two terms/);
  });

  it('rejects a quote that is not verbatim when source texts are given', () => {
    const d = clone();
    d.entries[0].quotes[0].text = 'Inclusiveness is the only source of legitimacy.';
    const text = problemsOf(d, { sourceTexts: { 'isoc-wgec-2016': 'Inclusiveness is the source of legitimacy.' } }).join('\n');
    expect(text).toMatch(/entry "P1" quote 1 is not verbatim in source "isoc-wgec-2016"/);
  });

  it('validateDataset returns no problems for valid data', () => {
    expect(validateDataset(parseDataset(clone()))).toEqual([]);
  });
});
