import { describe, expect, it } from 'vitest';
import type { PageReport } from '@/lib/messaging/protocol';
import { formatCitation } from '@/lib/ui/citation';
import { briefingFileName, buildBriefing, encodeFragmentPart, firstSurface, mdEscape, textFragmentUrl } from '@/lib/ui/briefing';
import { fixtureDataset } from './fixture-dataset';

const report: PageReport = {
  url: 'https://www.intgovforum.org/en/content/igf-2024?x=1',
  title: 'IGF 2024 [draft] *final*',
  state: 'done',
  reason: 'default-scope',
  datasetVersion: fixtureDataset.version,
  timing: { annotateMs: 5, longestSliceMs: 2, firstPaintMs: 1, slices: 3 },
  terms: [
    { id: 'ixp', label: 'Internet exchange point', count: 2, surfaces: { IXPs: 1, 'Internet exchange points': 1 }, related: ['R3'] },
    { id: 'multistakeholder', label: 'multistakeholder', count: 5, surfaces: { 'multi-stakeholder': 4, multistakeholder: 1 }, related: ['P1'] },
    { id: 'igf', label: 'Internet Governance Forum', count: 1, surfaces: { IGF: 1 }, related: [] },
  ],
  guidance: [
    { id: 'R3', kind: 'recommendation', title: 'Infrastructure', count: 2, terms: ['ixp'] },
    { id: 'P1', kind: 'principle', title: 'Inclusiveness and transparency', count: 5, terms: ['multistakeholder'] },
  ],
  firstContext: { ixp: 'Local IXPs keep traffic local, and', multistakeholder: 'the multi-stakeholder model, as agreed' },
};

describe('briefing Markdown', () => {
  const md = buildBriefing({ report, dataset: fixtureDataset, date: new Date('2025-03-04T10:00:00Z') });

  it('has the page title, URL and date, escaped', () => {
    expect(md).toContain('# Governance Lens briefing: IGF 2024 \\[draft\\] \\*final\\*');
    expect(md).toContain('- URL: <https://www.intgovforum.org/en/content/igf-2024?x=1>');
    expect(md).toContain('- Date: 2025-03-04');
    expect(md).toContain('dataset version 2016.12-test.1');
  });

  it('lists touched principles before recommendations, with quotes and source links', () => {
    const p1 = md.indexOf('### P1 — Inclusiveness and transparency (5 mentions)');
    const r3 = md.indexOf('### R3 — Infrastructure (2 mentions)');
    expect(p1).toBeGreaterThan(0);
    expect(r3).toBeGreaterThan(p1);
    expect(md).toContain('> Quote for principle 1 & \\<b\\>things\\</b\\>.');
    expect(md).toContain(
      '> — [Internet Society contribution to the CSTD Working Group on Enhanced Cooperation](<https://www.internetsociety.org/wgec-2016>), Principles — Inclusiveness and transparency',
    );
    expect(md).toContain('Sources: [Internet Society contribution to the CSTD Working Group on Enhanced Cooperation](<https://www.internetsociety.org/wgec-2016>); [Internet Exchange Points](<https://www.internetsociety.org/ixps>)');
    expect(md).not.toContain('### P2');
  });

  it('lists the terms with counts and text-fragment links to the first occurrence', () => {
    expect(md).toContain(
      '- **multistakeholder** — 5 occurrences — [first occurrence](<https://www.intgovforum.org/en/content/igf-2024?x=1#:~:text=the-,multi%2Dstakeholder,-model%2C%20as%20agreed>)',
    );
    expect(md).toContain('- **Internet exchange point** — 2 occurrences — [first occurrence](<https://www.intgovforum.org/en/content/igf-2024?x=1#:~:text=Local-,IXPs,-keep%20traffic%20local%2C>)');
    expect(md).toContain('- **Internet Governance Forum** — 1 occurrence — [first occurrence](<https://www.intgovforum.org/en/content/igf-2024?x=1#:~:text=IGF>)');
    // Most frequent first.
    expect(md.indexOf('**multistakeholder**')).toBeLessThan(md.indexOf('**Internet exchange point**'));
  });

  it('matches a snapshot of the whole document', () => {
    expect(md).toMatchSnapshot();
  });
});

describe('text fragments', () => {
  it('percent-encodes the syntax characters', () => {
    expect(encodeFragmentPart('a-b, c&d')).toBe('a%2Db%2C%20c%26d');
  });
  it('appends to an existing hash with :~:', () => {
    expect(textFragmentUrl('https://x.org/p#sec', 'IGF')).toBe('https://x.org/p#sec:~:text=IGF');
  });
  it('drops the prefix when the match starts inside a word', () => {
    expect(textFragmentUrl('https://x.org/', 'IGF', 'theIGF meeting')).toBe('https://x.org/#:~:text=IGF,-meeting');
  });
  it('picks the surface found in the context', () => {
    expect(firstSurface(report.terms[0], 'Local IXPs keep')).toBe('IXPs');
    expect(firstSurface(report.terms[1])).toBe('multi-stakeholder');
  });
  it('escapes markdown', () => {
    expect(mdEscape('a_b *c* [d](e)')).toBe('a\\_b \\*c\\* \\[d\\]\\(e\\)');
  });
  it('makes a file name', () => {
    expect(briefingFileName(report.url, new Date('2025-03-04T00:00:00Z'))).toBe('governance-lens-www.intgovforum.org-2025-03-04.md');
  });
});

describe('citation', () => {
  it('has title, Internet Society, year and URL', () => {
    expect(formatCitation(fixtureDataset.sources[0], 'Collective responsibility')).toBe(
      '“Collective responsibility”, in: Internet Society contribution to the CSTD Working Group on Enhanced Cooperation. Internet Society, 2016. https://www.internetsociety.org/wgec-2016',
    );
    expect(formatCitation(fixtureDataset.sources[1])).toBe('Internet Exchange Points. Internet Society, 2015. https://www.internetsociety.org/ixps');
  });
});
