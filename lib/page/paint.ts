import { CSS_VAR_GUIDED_BG, CSS_VAR_TERM_LINE, HL_FOCUS, HL_GUIDED, HL_TERM, WRAP_TAG } from './constants';

/**
 * Painting. With the CSS Custom Highlight API (the normal path) nothing in the page's DOM changes:
 * StaticRanges are added to three prefixed highlights and styled by ONE constructed stylesheet adopted
 * into the document (and into open shadow roots that hold annotated text). Where the API is missing,
 * a fallback wraps occurrences in <glens-mark> elements (never in editable regions: the walker skips
 * them) and unwraps them exactly. Every paint function returns its undo.
 */

export type Undo = () => void;

/** One boundary-point pair for an occurrence. */
export interface PaintRange {
  startContainer: Text;
  startOffset: number;
  endContainer: Text;
  endOffset: number;
}

/**
 * The highlight CSS for one scope. In a document the rules are `:root::highlight(…)`: text under the root
 * inherits them (CSS highlight inheritance, Chromium and Firefox), and adding the sheet restyles one
 * element. A bare `::highlight(…)` matches every element, and adopting it restyles the whole page: 184 ms
 * on a 500k-word page in Chromium, against 7 ms (scripts/bench, "adopting the sheet"). Inside a shadow
 * root `:root` matches nothing, so there the rules stay universal (a shadow tree is small).
 * Colours come from --glens-* custom properties with fallbacks.
 */
export function highlightCss(scope: 'document' | 'shadow' = 'document'): string {
  const on = scope === 'document' ? ':root' : '';
  return `
${on}::highlight(${HL_GUIDED}) {
  background-color: var(${CSS_VAR_GUIDED_BG}, rgba(245, 180, 0, 0.32));
  text-decoration: underline solid var(--glens-guided-line, currentColor) 2px;
  text-underline-offset: 3px;
}
${on}::highlight(${HL_TERM}) {
  text-decoration: underline dotted var(${CSS_VAR_TERM_LINE}, currentColor) 2px;
  text-underline-offset: 3px;
}
${on}::highlight(${HL_FOCUS}) {
  background-color: var(--glens-focus-bg, #1d4ed8);
  color: var(--glens-focus-fg, #ffffff);
}
@media (prefers-color-scheme: dark) {
  ${on}::highlight(${HL_GUIDED}) { background-color: var(${CSS_VAR_GUIDED_BG}, rgba(250, 204, 21, 0.30)); }
  ${on}::highlight(${HL_FOCUS}) { background-color: var(--glens-focus-bg, #facc15); color: var(--glens-focus-fg, #000000); }
}
@media (forced-colors: active) {
  ${on}::highlight(${HL_GUIDED}) { background-color: Mark; color: MarkText; text-decoration: underline solid CanvasText 2px; }
  ${on}::highlight(${HL_TERM}) { text-decoration: underline dotted CanvasText 2px; }
  ${on}::highlight(${HL_FOCUS}) { background-color: Highlight; color: HighlightText; }
}
`;
}

/** The document's highlight CSS (see highlightCss). */
export const HIGHLIGHT_CSS = highlightCss('document');

/** The DOM-wrapping fallback's CSS (only where the Highlight API is missing). */
export const WRAP_CSS = `
${WRAP_TAG} { all: unset; display: inline; }
${WRAP_TAG}[data-glens="guided"] { background-color: var(${CSS_VAR_GUIDED_BG}, rgba(245, 180, 0, 0.32)); text-decoration: underline solid currentColor 2px; }
${WRAP_TAG}[data-glens="term"] { text-decoration: underline dotted currentColor 2px; }
${WRAP_TAG}[data-glens-focus] { background-color: var(--glens-focus-bg, #1d4ed8); color: var(--glens-focus-fg, #ffffff); }
@media (forced-colors: active) {
  ${WRAP_TAG}[data-glens="guided"] { background-color: Mark; color: MarkText; }
  ${WRAP_TAG}[data-glens-focus] { background-color: Highlight; color: HighlightText; }
}
`;

/** True when the CSS Custom Highlight API is usable here. */
export function hasHighlightApi(win: Window & typeof globalThis = window): boolean {
  const css = (win as { CSS?: { highlights?: unknown } }).CSS;
  return !!css && !!css.highlights && typeof (win as { Highlight?: unknown }).Highlight === 'function';
}

type SheetHolder = Document | ShadowRoot;

/**
 * Adopt `sheet` into a document or shadow root (appending; the page's own sheets stay).
 * @returns undo, which removes exactly our sheet.
 */
export function adoptSheet(holder: SheetHolder, sheet: CSSStyleSheet): Undo {
  try {
    const list = holder.adoptedStyleSheets as CSSStyleSheet[] & { push?: (s: CSSStyleSheet) => number };
    if (typeof list.push === 'function') list.push(sheet);
    else holder.adoptedStyleSheets = [...list, sheet];
  } catch {
    try {
      holder.adoptedStyleSheets = [...holder.adoptedStyleSheets, sheet];
    } catch {
      return () => {};
    }
  }
  return () => {
    try {
      const list = holder.adoptedStyleSheets;
      const i = list.indexOf(sheet);
      if (i < 0) return;
      if (typeof (list as CSSStyleSheet[]).splice === 'function') (list as CSSStyleSheet[]).splice(i, 1);
      else holder.adoptedStyleSheets = list.filter((s) => s !== sheet);
    } catch {
      /* the holder is gone or the page froze the list; nothing else to undo */
    }
  };
}


/** Build a constructed stylesheet from `css` (null where constructable sheets are missing). */
export function makeSheet(css: string, win: Window & typeof globalThis = window): CSSStyleSheet | null {
  try {
    const sheet = new win.CSSStyleSheet();
    sheet.replaceSync(css);
    return sheet;
  } catch {
    return null;
  }
}

/**
 * What to paint: a boundary-point pair, or a function giving one when the painter first needs it (null:
 * the text changed since it was read; the range is never painted).
 */
export type RangeSource = PaintRange | (() => PaintRange | null);

const rangeFrom = (src: RangeSource): PaintRange | null => (typeof src === 'function' ? src() : src);

/** What the annotator needs from a painter. */
export interface Painter {
  readonly kind: 'highlight' | 'wrap';
  /**
   * Paint one occurrence; returns a handle for remove(). `block` is the block element holding it: the
   * Highlight API painter registers ranges only for blocks near the viewport, and reads a function source
   * only when it registers the range (or focuses it), so an occurrence far from the reader costs no
   * DOM read. The wrapping fallback reads it at once.
   */
  add(r: RangeSource, guided: boolean, block?: Element): unknown;
  remove(handle: unknown, guided: boolean): void;
  /** Paint (or clear with null) the keyboard focus. */
  setFocus(handle: unknown | null): void;
  /** Number of painted occurrences (registered with the browser or not). */
  size(): number;
  /**
   * Highlight API only: `add` keeps new ranges aside until `commit()` (see createHighlightPainter).
   * `optimistic`: register up to this many ranges of blocks whose distance to the viewport is not known
   * yet (the first frames of a pass, at the viewport) instead of waiting for the observer to tell.
   * Returns how many were.
   */
  commit?(optimistic?: number): number;
  /** Ranges added since the last commit. */
  pending?(): number;
  /** Remove everything this painter registered. */
  dispose(): void;
  /** Fallback only: the handle whose wrapper contains `node`. */
  handleForNode?(node: Node): unknown | null;
}

/** How far around the viewport a block's ranges stay registered (IntersectionObserver rootMargin). */
export const PAINT_MARGIN = '100% 50%';

/** A painted occurrence of the Highlight API painter (its handle). */
interface Slot {
  /** Made from `src` the first time the slot is registered or focused. */
  range: AbstractRange | null;
  src: RangeSource | null;
  guided: boolean;
  block: BlockRecord | null;
  /** In the registered highlight now. */
  shown: boolean;
}

/** Near the viewport: UNKNOWN until the observer's first report on the block. */
const UNKNOWN = 0;
const NEAR = 1;
const FAR = 2;

interface BlockRecord {
  el: Element;
  state: 0 | 1 | 2;
  /** Given to the observer (at the first commit holding one of its ranges). */
  observed: boolean;
  slots: Set<Slot>;
}

/**
 * Highlight API painter: StaticRanges in three named highlights.
 *
 * Cost model (Chromium): in the frame after ANY change to a registered highlight, and after any DOM or
 * style change of the page, Blink deletes and rebuilds the marker of EVERY registered range
 * (HighlightRegistry::ValidateHighlightMarkers), and with text decorations re-computes their ink overflow.
 * With 5,000 ranges on a 500k-word page that was a 50–80 ms frame after each of our slices and after each
 * tick of a page's clock. So:
 * - new ranges wait until the annotator commits them (a few batches per pass);
 * - only ranges in blocks within PAINT_MARGIN of the viewport are registered: an IntersectionObserver
 *   (which reads layout the browser computes anyway and changes nothing in the page) adds a block's
 *   ranges when it comes near and removes them when it leaves, so the registered set, and every
 *   rebuild, stays the size of what can be seen, however long the page.
 */
export function createHighlightPainter(win: Window & typeof globalThis = window): Painter {
  const HighlightCtor = (win as unknown as { Highlight: typeof Highlight }).Highlight;
  const registry = (win.CSS as unknown as { highlights: HighlightRegistry }).highlights;
  const guided = new HighlightCtor();
  const term = new HighlightCtor();
  const focus = new HighlightCtor();
  guided.priority = 1;
  focus.priority = 2;
  registry.set(HL_GUIDED, guided);
  registry.set(HL_TERM, term);
  registry.set(HL_FOCUS, focus);
  const StaticRangeCtor = (win as unknown as { StaticRange?: typeof StaticRange }).StaticRange;
  const make = (r: PaintRange): AbstractRange => {
    if (typeof StaticRangeCtor === 'function') {
      try {
        return new StaticRangeCtor(r);
      } catch {
        /* fall through to a live Range */
      }
    }
    const range = win.document.createRange();
    range.setStart(r.startContainer, r.startOffset);
    range.setEnd(r.endContainer, r.endOffset);
    return range;
  };

  /** The slot's range, made on first use (null: its text changed, never painted). */
  const rangeOf = (s: Slot): AbstractRange | null => {
    if (s.range === null && s.src !== null) {
      const r = rangeFrom(s.src);
      s.src = null;
      if (r) s.range = make(r);
    }
    return s.range;
  };
  const show = (s: Slot) => {
    if (s.shown) return;
    const r = rangeOf(s);
    if (!r) return;
    s.shown = true;
    (s.guided ? guided : term).add(r);
  };
  const hide = (s: Slot) => {
    if (!s.shown) return;
    s.shown = false;
    (s.guided ? guided : term).delete(s.range!);
  };

  const blocks = new Map<Element, BlockRecord>();
  let io: IntersectionObserver | null = null;
  const onEntries = (entries: IntersectionObserverEntry[]) => {
    for (const e of entries) {
      const rec = blocks.get(e.target);
      if (!rec) continue;
      // No box (display: contents) or an empty one: the observer cannot place it, so never hide it.
      const r = e.boundingClientRect;
      const near = e.isIntersecting || (r.width === 0 && r.height === 0);
      rec.state = near ? NEAR : FAR;
      for (const s of rec.slots) (near ? show : hide)(s);
    }
  };
  const IO = (win as unknown as { IntersectionObserver?: typeof IntersectionObserver }).IntersectionObserver;
  if (typeof IO === 'function') {
    // scrollMargin widens scrolling boxes inside the page (a page whose text scrolls in a <div>) the way
    // rootMargin widens the viewport: text about to scroll into such a box is painted before it shows.
    // A browser without it ignores the option; one that rejects the value gets the plain observer.
    for (const init of [{ rootMargin: PAINT_MARGIN, scrollMargin: PAINT_MARGIN }, { rootMargin: PAINT_MARGIN }]) {
      try {
        io = new IO(onEntries, init as IntersectionObserverInit);
        break;
      } catch {
        io = null; // without an observer every range is registered, as without windowing
      }
    }
  }
  const recordFor = (el: Element | undefined): BlockRecord | null => {
    if (!io || !el) return null;
    let rec = blocks.get(el);
    if (!rec) {
      rec = { el, state: UNKNOWN, observed: false, slots: new Set() };
      blocks.set(el, rec);
    }
    return rec;
  };

  const waiting = new Set<Slot>();
  let count = 0;
  // Blocks are given to the observer at commits, not one by one: a newly observed target makes the
  // browser compute intersections in the next frame, so observing each slice's blocks meant a frame after
  // every slice again (119 frames over the 500k-word page's pass).
  const commit = (optimistic = 0): number => {
    let shown = 0;
    for (const s of waiting) {
      const rec = s.block;
      if (rec && !rec.observed && io) {
        rec.observed = true;
        try {
          io.observe(rec.el);
        } catch {
          rec.state = NEAR; // cannot be observed: always registered
        }
      }
      const st = rec ? rec.state : NEAR;
      if (st === NEAR) show(s);
      else if (st === UNKNOWN && shown < optimistic) {
        show(s);
        shown++;
      }
      // FAR: shown when its block comes near; UNKNOWN: when the observer first reports on the block.
    }
    waiting.clear();
    return shown;
  };
  return {
    kind: 'highlight',
    add(r, isGuided, block) {
      const s: Slot = { range: null, src: r, guided: isGuided, block: recordFor(block), shown: false };
      s.block?.slots.add(s);
      waiting.add(s);
      count++;
      return s;
    },
    remove(handle) {
      const s = handle as Slot;
      if (!waiting.delete(s) && !s.shown && !s.block) return;
      hide(s);
      count--;
      const rec = s.block;
      if (rec && rec.slots.delete(s) && rec.slots.size === 0) {
        blocks.delete(rec.el);
        try {
          if (rec.observed) io?.unobserve(rec.el);
        } catch {
          /* gone */
        }
      }
      s.block = null;
    },
    setFocus(handle) {
      focus.clear();
      const r = handle ? rangeOf(handle as Slot) : null;
      if (r) focus.add(r);
    },
    size: () => count,
    commit,
    pending: () => waiting.size,
    dispose() {
      io?.disconnect();
      io = null;
      blocks.clear();
      waiting.clear();
      count = 0;
      guided.clear();
      term.clear();
      focus.clear();
      // Only remove names that still hold our objects (a page may have re-registered them).
      if (registry.get(HL_GUIDED) === guided) registry.delete(HL_GUIDED);
      if (registry.get(HL_TERM) === term) registry.delete(HL_TERM);
      if (registry.get(HL_FOCUS) === focus) registry.delete(HL_FOCUS);
    },
  };
}

/** Per original text node: the pieces it was split into by wrapping, in order. */
interface Pieces {
  list: Text[];
}

interface WrapHandle {
  parts: Array<{ orig: Text; start: number; end: number; mark: HTMLElement | null }>;
}

/**
 * Fallback painter: wraps each occurrence (each text-node piece of it) in <glens-mark>. Splits are
 * tracked per original node so remove() merges the text back into the original node exactly.
 * `mutate` runs DOM writes (the annotator pauses its MutationObserver around them).
 */
export function createWrapPainter(doc: Document = document, mutate: (fn: () => void) => void = (fn) => fn()): Painter {
  const pieces = new Map<Text, Pieces>();
  const live = new Set<WrapHandle>();
  let focused: WrapHandle | null = null;
  /** Element → handle for pointer hit-testing in fallback mode. */
  const byMark = new WeakMap<Element, WrapHandle>();

  const locate = (orig: Text, offset: number): { piece: Text; at: number; index: number } | null => {
    const p = pieces.get(orig) ?? { list: [orig] };
    let pos = 0;
    for (let i = 0; i < p.list.length; i++) {
      const t = p.list[i];
      const len = t.data.length;
      if (offset >= pos && offset < pos + len) return { piece: t, at: offset - pos, index: i };
      pos += len;
    }
    return null;
  };

  const wrapPart = (orig: Text, start: number, end: number, guided: boolean): HTMLElement | null => {
    if (end <= start || !orig.parentNode) return null;
    const loc = locate(orig, start);
    if (!loc) return null;
    const p = pieces.get(orig) ?? { list: [orig] };
    pieces.set(orig, p);
    let mid = loc.piece;
    if (mid.parentNode && (mid.parentNode as Element).localName === WRAP_TAG) return null; // already wrapped
    const len = end - start;
    if (loc.at + len < mid.data.length) {
      const rest = mid.splitText(loc.at + len);
      p.list.splice(loc.index + 1, 0, rest);
    }
    let idx = loc.index;
    if (loc.at > 0) {
      mid = mid.splitText(loc.at);
      idx++;
      p.list.splice(idx, 0, mid);
    }
    const mark = doc.createElement(WRAP_TAG);
    mark.setAttribute('data-glens', guided ? 'guided' : 'term');
    mid.parentNode!.insertBefore(mark, mid);
    mark.appendChild(mid);
    return mark;
  };

  const unwrapPart = (orig: Text, mark: HTMLElement) => {
    const p = pieces.get(orig);
    const mid = mark.firstChild as Text | null;
    if (mark.parentNode && mid) mark.parentNode.replaceChild(mid, mark);
    else mark.remove();
    if (!p || !mid) return;
    let i = p.list.indexOf(mid);
    if (i < 0) return;
    const bare = (t: Text) => !(t.parentNode && (t.parentNode as Element).localName === WRAP_TAG);
    // Merge with the next piece if it is bare and adjacent.
    const next = p.list[i + 1];
    if (next && bare(next) && mid.nextSibling === next) {
      mid.appendData(next.data);
      next.remove();
      p.list.splice(i + 1, 1);
    }
    const prev = p.list[i - 1];
    if (prev && bare(prev) && prev.nextSibling === mid) {
      prev.appendData(mid.data);
      mid.remove();
      p.list.splice(i, 1);
      i--;
    }
    if (p.list.length === 1) pieces.delete(orig);
  };

  return {
    kind: 'wrap',
    add(src, guided) {
      const r = rangeFrom(src);
      const handle: WrapHandle = { parts: [] };
      if (!r) return handle; // nothing to wrap: an empty handle, removed like any other
      mutate(() => {
        if (r.startContainer === r.endContainer) {
          handle.parts.push({ orig: r.startContainer, start: r.startOffset, end: r.endOffset, mark: null });
        } else {
          handle.parts.push({ orig: r.startContainer, start: r.startOffset, end: r.startContainer.data.length, mark: null });
          // Middle nodes: whole text nodes between start and end in document order within one segment.
          let n: Node | null = r.startContainer;
          const stop = r.endContainer;
          let guard = 0;
          while (n && n !== stop && guard++ < 1000) {
            n = nextTextNode(n);
            if (n && n !== stop) handle.parts.push({ orig: n as Text, start: 0, end: (n as Text).data.length, mark: null });
          }
          handle.parts.push({ orig: r.endContainer, start: 0, end: r.endOffset, mark: null });
        }
        // Wrap right to left so earlier offsets stay valid.
        for (let i = handle.parts.length - 1; i >= 0; i--) {
          const part = handle.parts[i];
          part.mark = wrapPart(part.orig, part.start, part.end, guided);
          if (part.mark) byMark.set(part.mark, handle);
        }
      });
      live.add(handle);
      return handle;
    },
    remove(h) {
      const handle = h as WrapHandle;
      if (!live.delete(handle)) return;
      if (focused === handle) focused = null;
      mutate(() => {
        for (const part of handle.parts) if (part.mark) unwrapPart(part.orig, part.mark);
      });
    },
    setFocus(h) {
      mutate(() => {
        if (focused) for (const part of focused.parts) part.mark?.removeAttribute('data-glens-focus');
        focused = (h as WrapHandle | null) ?? null;
        if (focused) for (const part of focused.parts) part.mark?.setAttribute('data-glens-focus', '');
      });
    },
    size: () => live.size,
    handleForNode(node) {
      let n: Node | null = node;
      for (let i = 0; n && i < 4; i++, n = n.parentNode) {
        if (n.nodeType === 1 && (n as Element).localName === WRAP_TAG) return byMark.get(n as Element) ?? null;
      }
      return null;
    },
    dispose() {
      const all = [...live];
      for (const h of all) this.remove(h, false);
      pieces.clear();
    },
  };
}

function nextTextNode(n: Node): Node | null {
  let cur: Node | null = n;
  // Depth-first next node, then skip until a text node.
  for (;;) {
    if (cur!.firstChild) cur = cur!.firstChild;
    else {
      while (cur && !cur.nextSibling) cur = cur.parentNode;
      if (!cur) return null;
      cur = cur.nextSibling;
    }
    if (cur && cur.nodeType === 3) return cur;
    if (!cur) return null;
  }
}
