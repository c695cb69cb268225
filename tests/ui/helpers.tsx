import { vi } from 'vitest';
import type { PageReport } from '@/lib/messaging/protocol';
import type { PageBridge } from '@/lib/ui/page-bridge';
import { fixtureDataset } from './fixture-dataset';

export const fixtureReport: PageReport = {
  url: 'https://www.un.org/en/igf',
  title: 'Internet Governance Forum | UN',
  state: 'done',
  reason: 'default-scope',
  datasetVersion: fixtureDataset.version,
  timing: { annotateMs: 4, longestSliceMs: 2, firstPaintMs: 1, slices: 2 },
  terms: [
    { id: 'multistakeholder', label: 'multistakeholder', count: 3, surfaces: { 'multi-stakeholder': 3 }, related: ['P1'] },
    { id: 'ixp', label: 'Internet exchange point', count: 2, surfaces: { IXPs: 2 }, related: ['R3'] },
    { id: 'igf', label: 'Internet Governance Forum', count: 1, surfaces: { IGF: 1 }, related: [] },
  ],
  guidance: [
    { id: 'P1', kind: 'principle', title: 'Inclusiveness and transparency', count: 3, terms: ['multistakeholder'] },
    { id: 'R3', kind: 'recommendation', title: 'Infrastructure', count: 2, terms: ['ixp'] },
  ],
};

/** A PageBridge stub with spies. */
export function stubBridge(opts: { url?: string; report?: PageReport | null } = {}) {
  const bridge = {
    activeTab: vi.fn(async () => ({ id: 5, url: opts.url ?? 'https://www.un.org/en/igf', title: 'Internet Governance Forum | UN' })),
    getReport: vi.fn(async () => (opts.report === undefined ? fixtureReport : opts.report)),
    focusTerm: vi.fn(async () => true),
    annotate: vi.fn(async () => ({ ok: true })),
    requestSite: vi.fn(async () => true),
    onTabChange: vi.fn(() => () => {}),
  } satisfies PageBridge;
  return bridge;
}
