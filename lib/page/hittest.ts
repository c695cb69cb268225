import type { PaintRange } from './paint';

/**
 * Pointer → term without highlightsFromPoint (24 ms a call at 5k ranges): caretPositionFromPoint
 * (fallback caretRangeFromPoint) gives (Text, offset); a per-text-node sorted index gives the
 * occurrence; the occurrence's client rects confirm the point (so line gaps and margins do not count).
 */

interface Entry<T> {
  start: number;
  end: number;
  item: T;
}

/** Per-text-node sorted index of occurrences (an occurrence spanning nodes is entered in each). */
export class HitIndex<T> {
  private readonly map = new Map<Text, Entry<T>[]>();

  /** Register [start, end) of `node` as belonging to `item`. */
  add(node: Text, start: number, end: number, item: T): void {
    let list = this.map.get(node);
    if (!list) {
      list = [];
      this.map.set(node, list);
    }
    // Insert sorted by start (occurrences in a node arrive mostly in order).
    let i = list.length;
    while (i > 0 && list[i - 1].start > start) i--;
    list.splice(i, 0, { start, end, item });
  }

  /** Remove every entry of `item` on `node`. */
  remove(node: Text, item: T): void {
    const list = this.map.get(node);
    if (!list) return;
    const kept = list.filter((e) => e.item !== item);
    if (kept.length) this.map.set(node, kept);
    else this.map.delete(node);
  }

  /** The item covering `offset` in `node` (caret offsets sit between characters: start ≤ offset ≤ end). */
  at(node: Node, offset: number): T | null {
    const list = this.map.get(node as Text);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].start <= offset) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best >= 0 && offset <= list[best].end) return list[best].item;
    return null;
  }

  /** Candidates around an offset (the entry at it and its neighbours), for rect confirmation. */
  near(node: Node, offset: number): T[] {
    const list = this.map.get(node as Text);
    if (!list) return [];
    return list.filter((e) => e.start <= offset + 1 && offset - 1 <= e.end).map((e) => e.item);
  }

  clear(): void {
    this.map.clear();
  }

  get nodeCount(): number {
    return this.map.size;
  }
}

/** The caret position under a viewport point, piercing the given open shadow roots where supported. */
export function caretAt(doc: Document, x: number, y: number, shadowRoots: ShadowRoot[] = []): { node: Node; offset: number } | null {
  const d = doc as Document & {
    caretPositionFromPoint?: (x: number, y: number, opts?: { shadowRoots?: ShadowRoot[] }) => { offsetNode: Node; offset: number } | null;
    caretRangeFromPoint?: (x: number, y: number) => Range | null;
  };
  try {
    if (typeof d.caretPositionFromPoint === 'function') {
      const pos = shadowRoots.length ? d.caretPositionFromPoint(x, y, { shadowRoots }) : d.caretPositionFromPoint(x, y);
      return pos ? { node: pos.offsetNode, offset: pos.offset } : null;
    }
    if (typeof d.caretRangeFromPoint === 'function') {
      const r = d.caretRangeFromPoint(x, y);
      return r ? { node: r.startContainer, offset: r.startOffset } : null;
    }
  } catch {
    /* some documents (e.g. XML) throw; no hit */
  }
  return null;
}

/** Client rects of a boundary-point pair (a temporary live Range; StaticRange has none). */
export function rectsOf(doc: Document, r: PaintRange): DOMRect[] {
  try {
    const range = doc.createRange();
    range.setStart(r.startContainer, r.startOffset);
    range.setEnd(r.endContainer, r.endOffset);
    return Array.from(range.getClientRects());
  } catch {
    return [];
  }
}

/** True when (x, y) lies inside one of the rects (with a small tolerance in px). */
export function pointInRects(rects: ArrayLike<DOMRect>, x: number, y: number, tol = 1): boolean {
  for (let i = 0; i < rects.length; i++) {
    const r = rects[i];
    if (x >= r.left - tol && x <= r.right + tol && y >= r.top - tol && y <= r.bottom + tol) return true;
  }
  return false;
}

/** Full hit test: caret → index → rect confirmation. */
export function hitTest<T>(
  doc: Document,
  index: HitIndex<T>,
  rangeOf: (item: T) => PaintRange,
  x: number,
  y: number,
  shadowRoots: ShadowRoot[] = [],
): T | null {
  const pos = caretAt(doc, x, y, shadowRoots);
  if (!pos || pos.node.nodeType !== 3) return null;
  for (const item of index.near(pos.node, pos.offset)) {
    if (pointInRects(rectsOf(doc, rangeOf(item)), x, y)) return item;
  }
  return null;
}
