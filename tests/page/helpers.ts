import { afterEach, beforeEach } from 'vitest';
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

/**
 * A stand-in IntersectionObserver (happy-dom's never reports). Like the browser's, it reports each new
 * target once, in a later task; a target is near the viewport unless `far` holds it. `move()` reports
 * the targets whose nearness changed.
 */
export class FakeIntersectionObserver {
  static all = new Set<FakeIntersectionObserver>();
  static far = new Set<Element>();
  targets = new Set<Element>();
  private seen = new Map<Element, boolean>();
  constructor(private cb: (entries: unknown[]) => void) {
    FakeIntersectionObserver.all.add(this);
  }
  private entry(t: Element) {
    const near = !FakeIntersectionObserver.far.has(t);
    this.seen.set(t, near);
    return { target: t, isIntersecting: near, boundingClientRect: { width: 100, height: 20 } };
  }
  private queued: Element[] = [];
  observe(t: Element) {
    this.targets.add(t);
    // One report per task for every target observed since the last (the browser: one per frame).
    if (this.queued.push(t) > 1) return;
    setTimeout(() => {
      const list = this.queued.filter((x) => this.targets.has(x) && !this.seen.has(x));
      this.queued = [];
      if (list.length) this.cb(list.map((x) => this.entry(x)));
    }, 0);
  }
  unobserve(t: Element) {
    this.targets.delete(t);
    this.seen.delete(t);
  }
  disconnect() {
    this.targets.clear();
    this.seen.clear();
    FakeIntersectionObserver.all.delete(this);
  }
  /** Report every target whose nearness differs from the last report. */
  static move() {
    for (const o of FakeIntersectionObserver.all) {
      const changed = [...o.targets].filter((t) => o.seen.get(t) !== !FakeIntersectionObserver.far.has(t));
      if (changed.length) o.cb(changed.map((t) => o.entry(t)));
    }
  }
}

/** Stub the CSS Custom Highlight API (happy-dom lacks it) and IntersectionObserver. Returns the registry and an undo. */
export function stubHighlightApi(): { registry: Map<string, Set<unknown>>; restore: () => void } {
  const w = window as any;
  const registry = new Map<string, Set<unknown>>();
  class FakeHighlight extends Set<unknown> {
    priority = 0;
  }
  const prevH = w.Highlight;
  const prevCss = w.CSS;
  const prevIO = w.IntersectionObserver;
  w.Highlight = FakeHighlight;
  w.CSS = { ...(prevCss ?? {}), highlights: registry };
  w.IntersectionObserver = FakeIntersectionObserver;
  FakeIntersectionObserver.far.clear();
  (globalThis as any).Highlight = FakeHighlight;
  (globalThis as any).CSS = w.CSS;
  return {
    registry,
    restore() {
      w.Highlight = prevH;
      w.CSS = prevCss;
      w.IntersectionObserver = prevIO;
      FakeIntersectionObserver.far.clear();
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

/**
 * For each test: the Highlight API and layout stubs, no adopted sheets; after it, every annotator the test
 * handed to `track` stopped and the stubs restored.
 */
export function usePageStubs(): { registry(): Map<string, Set<unknown>>; track<T extends { stop(): void }>(a: T): T } {
  let hl: ReturnType<typeof stubHighlightApi> | null = null;
  let unrect: (() => void) | null = null;
  let running: { stop(): void }[] = [];
  beforeEach(() => {
    hl = stubHighlightApi();
    unrect = stubRects();
    document.adoptedStyleSheets = [];
  });
  afterEach(() => {
    for (const a of running) a.stop();
    running = [];
    hl?.restore();
    unrect?.();
  });
  return {
    registry: () => hl!.registry,
    track: (a) => {
      running.push(a);
      return a;
    },
  };
}
