import type { Dataset } from '@/lib/dataset/types';

/** A small dataset shaped like the real one (4 principles, 4 recommendations). */
export const fixtureDataset: Dataset = {
  version: '2016.12-test.1',
  sources: [
    {
      id: 'isoc-wgec-2016',
      title: 'Internet Society contribution to the CSTD Working Group on Enhanced Cooperation',
      publisher: 'Internet Society',
      year: 2016,
      url: 'https://www.internetsociety.org/wgec-2016',
      urlStatus: 'confirmed',
      description: 'ISOC’s December 2016 input to the UN CSTD WGEC: four principles and four recommendations.',
    },
    {
      id: 'isoc-ixp',
      title: 'Internet Exchange Points',
      publisher: 'Internet Society',
      year: 2015,
      url: 'https://www.internetsociety.org/ixps',
      urlStatus: 'nearest',
      description: 'ISOC’s page on Internet exchange points.',
      note: 'Links the nearest confirmed page.',
    },
  ],
  entries: [
    ...['Inclusiveness and transparency', 'Collective responsibility', 'Effective decision making', 'Distributed and interoperable'].map(
      (title, i) => ({
        id: `P${i + 1}`,
        kind: 'principle' as const,
        title,
        summary: `Summary of principle ${i + 1}.`,
        quotes: [{ text: `Quote for principle ${i + 1} & <b>things</b>.`, source: 'isoc-wgec-2016', section: `Principles — ${title}` }],
        terms: i === 0 ? ['multistakeholder'] : [],
        sources: ['isoc-wgec-2016'],
      }),
    ),
    ...['Build trust', 'Capacity building', 'Infrastructure', 'Enhanced cooperation'].map((title, i) => ({
      id: `R${i + 1}`,
      kind: 'recommendation' as const,
      title,
      summary: `Summary of recommendation ${i + 1}.`,
      quotes: [{ text: `Quote for recommendation ${i + 1}.`, source: 'isoc-wgec-2016', section: `Recommendations — ${title}` }],
      terms: i === 2 ? ['ixp'] : [],
      sources: i === 2 ? ['isoc-wgec-2016', 'isoc-ixp'] : ['isoc-wgec-2016'],
    })),
    {
      id: 'tunis-69-71',
      kind: 'instrument',
      title: 'Tunis Agenda paragraphs 69–71',
      summary: 'Enhanced cooperation paragraphs.',
      quotes: [],
      terms: [],
      sources: ['isoc-wgec-2016'],
    },
  ],
  terms: [
    {
      id: 'multistakeholder',
      label: 'multistakeholder',
      aliases: ['multi-stakeholder', 'multi stakeholder'],
      translations: { fr: ['multipartite'] },
      definition: 'Involving governments, business, civil society and the technical community.',
      related: ['P1'],
      category: 'concept',
    },
    {
      id: 'ixp',
      label: 'Internet exchange point',
      aliases: ['IXP', 'IXPs'],
      definition: 'A place where networks meet to exchange traffic.',
      related: ['R3'],
      category: 'infrastructure',
      sources: ['isoc-ixp'],
    },
    {
      id: 'igf',
      label: 'Internet Governance Forum',
      aliases: ['IGF'],
      definition: 'The UN multistakeholder forum on Internet governance.',
      related: [],
      category: 'organisation',
    },
  ],
};
