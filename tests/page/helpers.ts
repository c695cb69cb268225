import type { CompiledIndex } from '@/lib/dataset/types';
import type { CardData } from '@/lib/messaging/protocol';

/** A tiny hand-built index (independent of data/). */
export const TEST_INDEX: CompiledIndex = {
  version: 'test-1',
  terms: [
    { id: 'igf', label: 'Internet Governance Forum', related: ['P1'] },
    { id: 'multistakeholder', label: 'multistakeholder', related: ['P2', 'R1'] },
    { id: 'ixp', label: 'Internet exchange point', related: [] },
  ],
  forms: [
    { text: 'Internet Governance Forum', term: 0, cs: false },
    { text: 'IGF', term: 0, cs: true },
    { text: 'multistakeholder', term: 1, cs: false },
    { text: 'multi-stakeholder', term: 1, cs: false },
    { text: 'Internet exchange point', term: 2, cs: false },
    { text: 'IXP', term: 2, cs: true },
  ],
};

const SRC = { id: 'wgec-2016', title: 'ISOC contribution to the CSTD WGEC', publisher: 'Internet Society', year: 2016, url: 'https://www.internetsociety.org/x' };

export function cardDataFor(termId: string): CardData | null {
  const t = TEST_INDEX.terms.find((x) => x.id === termId);
  if (!t) return null;
  return {
    termId,
    label: t.label,
    definition: `Definition of ${t.label}.`,
    datasetVersion: 'test-1',
    related: t.related.map((id) => ({
      id,
      kind: id.startsWith('P') ? 'principle' : 'recommendation',
      title: `Title ${id}`,
      summary: `Summary ${id}.`,
      quote: { text: `Quote ${id}`, section: 'Principles', source: SRC },
      sources: [SRC],
    })),
    sources: [],
  };
}

/** Stub the CSS Custom Highlight API (happy-dom lacks it). Returns the registry and an undo. */
export function stubHighlightApi(): { registry: Map<string, Set<unknown>>; restore: () => void } {
  const w = window as any;
  const registry = new Map<string, Set<unknown>>();
  class FakeHighlight extends Set<unknown> {
    priority = 0;
  }
  const prevH = w.Highlight;
  const prevCss = w.CSS;
  w.Highlight = FakeHighlight;
  w.CSS = { ...(prevCss ?? {}), highlights: registry };
  (globalThis as any).Highlight = FakeHighlight;
  (globalThis as any).CSS = w.CSS;
  return {
    registry,
    restore() {
      w.Highlight = prevH;
      w.CSS = prevCss;
      (globalThis as any).Highlight = prevH;
      (globalThis as any).CSS = prevCss;
    },
  };
}

/** Give ranges a fake box so visibility checks pass in happy-dom (no layout). */
export function stubRects(): () => void {
  const proto = (window as any).Range.prototype;
  const prev = proto.getClientRects;
  proto.getClientRects = function () {
    return [{ left: 10, top: 10, right: 60, bottom: 30, width: 50, height: 20, x: 10, y: 10 }];
  };
  return () => {
    proto.getClientRects = prev;
  };
}

/** Build a page body from trusted test markup (DOMParser: no innerHTML in lib code). */
export function setBody(html: string): void {
  document.body.innerHTML = html;
}

export function countElements(): number {
  return document.getElementsByTagName('*').length;
}
