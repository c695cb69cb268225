import type { CompiledForm, CompiledIndex } from '@/lib/dataset/types';
import { createMatcher } from '@/lib/match';
import type { VocabularyDiscovery } from '@/lib/match';
import type { MatchContext, MatchSpan, PageSignals } from '@/lib/match/types';
import {
  DISCOVER_MAX_CHARS,
  DISCOVER_MAX_TEXTS,
  MATCH_MAX_CHARS,
  type CardData,
  type MatchReply,
  type MatchRequest,
  type PageReport,
} from '@/lib/messaging/protocol';
import { HL_FOCUS, HL_GUIDED, HL_TERM, HOST_TAG } from './constants';
import { createCardHost, type CardHost } from './card-host';
import { claimHighlightSheet, isOurHighlightSheet } from './early-sheet';
import { blocksHolding } from './discover';
import { HitIndex, hitTest, rectsOf } from './hittest';
import { observePage, watchLocation, type MutationBatch, type PageObserver } from './observe';
import {
  adoptSheet,
  createHighlightPainter,
  createWrapPainter,
  hasHighlightApi,
  highlightCss,
  makeSheet,
  WRAP_CSS,
  type PaintRange,
  type Painter,
  type Undo,
} from './paint';
import { DEFAULT_BUDGET_MS, newStats, pickSchedule, runSliced, timeoutSchedule, type Schedule, type SliceStats, type StepResult } from './scheduler';
import { blockOf, isBlockElement, isSkipElement, lastLE, makeChunk, resolveSegment, spanStillReads, TextWalker, type Chunk, type Segment } from './walk';

export { HOST_TAG } from './constants';
export { globalSlot, type GlobalSlot } from './slot';
export type { Painter, Undo } from './paint';

/**
 * The page layer's entry point: `startAnnotator()` walks the page in ≤ 10 ms slices (viewport
 * first), matches each chunk of text, paints occurrences with the Highlight API, keeps a per-text-node
 * index for hit-testing, observes mutations and in-page navigation, and hosts the card. `stop()`
 * undoes every page effect.
 */

/** Density and kinds (names follow lib/settings). */
export interface AnnotatorSettings {
  /** 'all' occurrences, or only the first of each term per section. */
  density: 'all' | 'first-per-section';
  /** 'guided': only terms tied to ISOC guidance are painted; 'all': every glossary term. */
  kinds: 'guided' | 'all';
  /** Card colour scheme. */
  theme?: 'auto' | 'light' | 'dark';
}

/** The part of lib/match's Matcher the page layer uses. */
export interface PageMatcher {
  find(text: string, ctx?: MatchContext): MatchSpan[];
  /** When present, page-level guard signals are built once per page from the title/URL. */
  pageSignals?(ctx: MatchContext): PageSignals;
  /** When present, page text is fed into the signals chunk by chunk (the first SIGNAL_CHARS of scanned text). */
  addPageText?(signals: PageSignals, text: string): void;
  /** Preferred over addPageText: queues the text, scanned only when a guarded term needs a page-level decision. */
  appendPageText?(signals: PageSignals, text: string): void;
  /** When present, fuzzy-discovered variants are added after the main pass (idle time) and their blocks re-scanned. */
  addForms?(forms: Iterable<CompiledForm>): number;
  /**
   * When present, guarded candidates dropped on the page-level decision are asked about again at the end
   * of each pass, and their blocks re-scanned if the page's text now allows them.
   */
  pageAllows?(term: number, ctx: MatchContext): boolean;
}

/** What the badge needs when the page's terms change (cheap: no report is built). */
export interface ChangeSummary {
  /** Distinct terms on the page. */
  terms: number;
  state: PageReport['state'];
}

export interface StartOptions {
  index: CompiledIndex;
  /** Matcher over `index` (default: createMatcher(index)). */
  matcher?: PageMatcher;
  root?: Document;
  settings?: Partial<AnnotatorSettings>;
  /** Card data by term id (the content script asks the background: `glens:cardData`). */
  getCardData?: (termId: string) => Promise<CardData | null>;
  reason?: PageReport['reason'];
  /** Called (debounced) when the set of terms on the page changes: for the badge. */
  onChange?: (summary: ChangeSummary) => void;
  /** Slice budget in ms (≤ 10). */
  budgetMs?: number;
  /** Use the DOM-wrapping fallback even when the Highlight API exists (tests). */
  forceFallback?: boolean;
  /** Subscribe to in-page navigations (default: popstate/hashchange + polling location.href). */
  onLocationChange?: (cb: () => void) => Undo;
  /** Guidance titles by id (when the CompiledIndex has no `guidance` list). */
  guidanceTitles?: Record<string, { kind: string; title: string }>;
  /** Mutation debounce (ms). */
  debounceMs?: number;
  /** After the first paint, how long slices leave room for frames and commit every slice (ms, default 100). */
  frameMs?: number;
  /**
   * Fuzzy discovery after the main pass (needs `matcher.addForms`): idle time it may use in total (ms,
   * default 300; 0 = off). It runs only when the pass found at least DISCOVERY_MIN_TERMS distinct terms.
   */
  discoveryMs?: number;
  /**
   * Fuzzy discovery elsewhere (the content script asks the background: `glens:discover`), off the page's
   * main thread: the pass's texts and, per text, the [start, end, …] spans already matched in, variants by
   * term id out. Null or a failure: discovery runs here instead (with `discoverLocal`).
   */
  discoverRemote?: (texts: string[], occupied: number[][]) => Promise<readonly { text: string; termId: string }[] | null>;
  /**
   * Fuzzy discovery on the page, in idle slices: lib/match's VocabularyDiscovery, passed in rather than
   * imported so that a caller can leave it (and fuse.js) out of its bundle. Without it, a page whose
   * `discoverRemote` is missing or fails gets no discovered variants (its exact matches are unchanged).
   */
  discoverLocal?: typeof VocabularyDiscovery;
  /**
   * Exact matching elsewhere (the content script asks the background: `glens:match`), off the page's main
   * thread: once the first highlight is painted, or after `firstLocalChars` of a full pass without one
   * (matched here, so the first highlights do not wait for an answer), each chunk the walk reads goes out,
   * one request at a time, with the guard signals so far; spans, re-check candidates and signals come back. Null, a failure or no answer: the chunk and
   * the rest of the page are matched here. Used while the matcher here has no discovered variants (the
   * background's has none).
   */
  matchRemote?: (req: Omit<MatchRequest, 'type'>) => Promise<MatchReply | null>;
  /**
   * `performance.now()` at the start of the task this call runs in, when the caller did other work in it
   * first (the content script's merged start-up): the first slice then keeps the whole task near 8 ms.
   */
  taskStart?: number;
  /** Text a full pass matches here while it has painted nothing yet (default FIRST_LOCAL_CHARS). */
  firstLocalChars?: number;
}

export interface Annotator {
  /** Undo every page effect (highlights, stylesheet, host, listeners, observers, timers). */
  stop(): void;
  report(): PageReport;
  /** Move to the next/previous painted occurrence, paint it as focus and open its card with focus in it. */
  next(): boolean;
  previous(): boolean;
  /** Go to the next occurrence of a term id; false if none. */
  focusTerm(id: string): boolean;
  /** Resolves when the current pass (initial or re-scan) has finished. */
  whenDone(): Promise<void>;
  /** Apply new density/kinds/theme live. */
  updateSettings(s: Partial<AnnotatorSettings>): void;
  /** Re-scan changed content now (tests; otherwise debounced). */
  flushMutations(): void;
  /** For tests and the benchmark. */
  readonly debug: {
    painter: Painter;
    occurrences(): Occ[];
    /** An occurrence's range, read from the page if it was not yet (null: its text changed). */
    rangeOf(o: Occ): PaintRange | null;
    hitAt(x: number, y: number): { termId: string; surface: string } | null;
    card: CardHost;
    stats: SliceStats;
    /** Variants found by fuzzy discovery and added to the matcher (surface texts), so far. */
    discovered(): string[];
    /** Resolves when fuzzy discovery (if it runs) has finished and queued its re-scan. */
    whenDiscovered(): Promise<void>;
  };
}

/** One occurrence of a term on the page. */
export interface Occ {
  term: number;
  seg: Segment;
  /** [start, end) in seg.text. */
  start: number;
  end: number;
  /**
   * Its text nodes and offsets, read from the page when first needed (registered near the viewport,
   * focused, hovered, navigated to): see rangeOf(). Null until then, and for good when `stale`.
   */
  range: PaintRange | null;
  /** The block changed since the walk read it: never painted (the observer re-scans the block). */
  stale: boolean;
  surface: string;
  guided: boolean;
  /** Painter handle while painted. */
  handle: unknown | null;
}

/*
 * Step sizes. The scheduler checks the clock between steps, so one step must stay well under a slice.
 * Sizes adapt to the measured speed (code runs several times slower while it is still cold, right after
 * the script starts): a walk step visits `nodeBudget` nodes and a match step runs find() on `matchWindow`
 * chars, each aiming at STEP_MS. Chunks are groups of whole segments (≈ CHUNK_CHARS); a chunk is matched
 * in overlapping windows.
 */
const STEP_MS = 1;
const NODE_BUDGET = { min: 8, start: 32, max: 400 };
const CHUNK_CHARS = 3_000;
const FIRST_CHUNK_CHARS = 600;
const WINDOW = { min: 1_024, start: 1_024, max: 8_192 };
const OVERLAP = 300;
/**
 * How long the start-up task (set-up plus the first slice) may run on looking for the first highlight.
 * It was 7 ms: in that task a 2.5 ms GC, or the OS taking the core away, then pushed it over 10 ms. At 5 ms
 * (bench `--fixtures all --sizes 10k --warm`, 6 runs at 7 ms and 8 at 5 ms, interleaved, Chromium on 2
 * cores): slices over 10 ms by wall 59 of 1,455 (4.1%) → 55 of 1,980 (2.8%), by CPU 4 → 0; the longest
 * slice's CPU 10.3 → 9.5 ms. The generated 10k page's first range: median 33.5 → 31.8 ms.
 */
const FIRST_TASK_MS = 5;
/**
 * Until its first highlight, a full pass matches up to this much text on the page before it asks the
 * background (`matchRemote`): the first highlights must not wait for a round trip to a background that
 * may be busy or asleep (an MV3 service worker stopped after 30 s idle starts again on the message). With
 * 3,000, wikipedia-2 (first term after ~50,000 chars) showed it in 121–157 ms (2-core bench, 3 runs);
 * with 100,000 in 68–106 ms, for 0–9 ms more page CPU on pages with few or no terms.
 */
const FIRST_LOCAL_CHARS = 100_000;
/**
 * While a `glens:match` request is in flight, the text read meanwhile goes out in one request when the
 * answer comes, or at this size. A chunk over MATCH_MAX_CHARS (one huge text node) is matched here.
 */
const REMOTE_CHUNK_CHARS = 100_000;
/**
 * Until the first paint a request goes out at this much text even with others in flight (the walk reads
 * on meanwhile); after it, every request but the first is at least this long.
 */
const REMOTE_PIPE_CHARS = 16_000;
/** Spans of a background answer added per step (each is an occurrence to record and maybe paint). */
const APPLY_SPANS = 256;
/** Page-level guard signals come from the title/URL plus this much scanned text (viewport first). */
const SIGNAL_CHARS = 64_000;
/** Longer than any signal phrase (see addSignals). */
const SIGNAL_OVERLAP = 100;
/**
 * Fuzzy discovery reads at most this much of the text the pass read (its first segments): the most a
 * `glens:discover` message may carry, so the background reads what the page would have.
 */
const VOCAB_CHARS = DISCOVER_MAX_CHARS;
/** Pages where the pass found fewer distinct terms are not about IG: no discovery. */
const DISCOVERY_MIN_TERMS = 3;
/** One idle slice of discovery (ms). */
const DISCOVERY_SLICE_MS = 5;
/** Discovery in the background that has not answered by then is done here instead (ms). */
const REMOTE_DISCOVERY_TIMEOUT_MS = 3_000;
/**
 * Remove what an older copy of the content script left in `doc` (its card host elements, its named
 * highlights and its highlight stylesheets, except `keep`: this copy's document_start sheet) when that
 * copy can no longer undo it itself (Firefox, extension reloaded or updated).
 * Call only when no live copy runs in the window.
 */
export function removeOrphanedPaint(doc: Document = document, keep: CSSStyleSheet | null = null): void {
  try {
    for (const el of [...doc.querySelectorAll(HOST_TAG)]) el.remove();
  } catch {
    // a page that breaks querySelectorAll or remove: nothing more to do
  }
  try {
    const sheets = doc.adoptedStyleSheets as readonly CSSStyleSheet[];
    if (sheets.some((s) => s !== keep && isOurHighlightSheet(s))) {
      doc.adoptedStyleSheets = sheets.filter((s) => s === keep || !isOurHighlightSheet(s));
    }
  } catch {
    // no constructable sheets, or a page that froze the list
  }
  try {
    const reg = (doc.defaultView as unknown as { CSS?: { highlights?: HighlightRegistry } } | null)?.CSS?.highlights;
    for (const name of [HL_GUIDED, HL_TERM, HL_FOCUS]) reg?.delete(name);
  } catch {
    // no Highlight API, or a page that replaced it
  }
}

/** Start annotating a document. See Annotator. */
export function startAnnotator(opts: StartOptions): Annotator {
  const doc = opts.root ?? document;
  const win = (doc.defaultView ?? window) as Window & typeof globalThis;
  const index = opts.index;
  const matcher = opts.matcher ?? createMatcher(index);
  const settings: AnnotatorSettings = { density: 'all', kinds: 'all', theme: 'auto', ...opts.settings };
  // 6 ms of steps (each aiming at STEP_MS) leaves room under the 10 ms slice goal for a GC pause or a
  // slow step; the first slice is shorter still, since it shares its task with the start-up.
  const budget = Math.min(opts.budgetMs ?? DEFAULT_BUDGET_MS, 10);
  const undos: Undo[] = [];
  const stats = newStats();
  const t0 = performance.now();
  let firstPaintMs = -1;
  let annotateMs = 0;
  let state: PageReport['state'] = 'running';
  /**
   * First paint: once the pass has painted its first ranges, slices continue through timeouts for a
   * while (FRAME_MS), which lets the renderer paint the viewport's highlights at once; then through
   * MessageChannel tasks (no timer clamping). (Not rAF: a callback of ours inside the rendering task
   * would make that task, and its style recalc, ours.)
   * wantFrame: 0 = nothing painted yet in this pass, 1 = painted, timeouts until frameUntil.
   */
  let wantFrame = 0;
  let frameUntil = 0;
  const FRAME_MS = opts.frameMs ?? 100;
  const baseSchedule = pickSchedule();
  const sliceSchedule: Schedule = (fn) => {
    if (wantFrame === 1) {
      if (frameUntil === 0) frameUntil = performance.now() + FRAME_MS;
      if (performance.now() < frameUntil) return timeoutSchedule(fn);
      wantFrame = 2;
    }
    baseSchedule(fn);
  };
  let stopped = false;
  let generation = 0;

  // ---- painter + stylesheet
  const useApi = !opts.forceFallback && hasHighlightApi(win);
  let observer: PageObserver | null = null;
  const mutate = (fn: () => void) => (observer ? observer.pause(fn) : fn());
  const painter: Painter = useApi ? createHighlightPainter(win) : createWrapPainter(doc, mutate);
  undos.push(() => painter.dispose());
  // Two sheets: `:root::highlight` rules for the document (cheap to add), universal ones for shadow roots.
  // The sheet adopted at document_start (lib/page/early-sheet.ts) when there is one: adopting it only now
  // would restyle the whole page.
  const early = useApi ? claimHighlightSheet(doc) : null;
  const docSheet = early?.sheet ?? makeSheet(useApi ? highlightCss('document') : WRAP_CSS, win);
  let shadowSheet: CSSStyleSheet | null | undefined;
  const adopted = new Set<Document | ShadowRoot>();
  if (early) {
    adopted.add(doc);
    undos.push(early.undo);
  }
  const adopt = (holder: Document | ShadowRoot) => {
    if (adopted.has(holder)) return;
    let sheet = docSheet;
    if (holder !== doc) sheet = shadowSheet ??= makeSheet(useApi ? highlightCss('shadow') : WRAP_CSS, win);
    if (!sheet) return;
    adopted.add(holder);
    undos.push(adoptSheet(holder, sheet));
  };
  adopt(doc);
  /**
   * A page that assigns `document.adoptedStyleSheets` (frameworks do, on navigation) drops our sheet and
   * the highlights turn invisible: put it back. The first adoption's undo still removes it on stop.
   */
  const keepSheet = () => {
    if (!docSheet || !adopted.has(doc) || stopped) return;
    try {
      if (!(doc.adoptedStyleSheets as readonly CSSStyleSheet[]).includes(docSheet)) adoptSheet(doc, docSheet);
    } catch {
      // a page that froze the list: nothing we can do without touching its DOM
    }
  };
  const shadowRoots: ShadowRoot[] = [];
  const onShadowRoot = (sr: ShadowRoot) => {
    if (adopted.has(sr)) return;
    shadowRoots.push(sr);
    adopt(sr);
    observer?.observe(sr);
  };

  // ---- state
  const segOccs = new Map<Segment, Occ[]>();
  const blockSegs = new Map<Element, Segment[]>();
  const hit = new HitIndex<Occ>();
  const handleToOcc = new Map<unknown, Occ>();
  let orderDirty = true;
  let ordered: Segment[] = [];
  let focusOcc: Occ | null = null;
  const provisional = new Set<string>();
  /**
   * Page-level guard signals. Scanning the whole page text at once would be one long task on a big page,
   * so signals are accumulated chunk by chunk (title/URL first, then text in scan order: viewport, then
   * document order). A guarded term is judged on the context seen so far (local window always applies).
   */
  const hasGuards = index.terms.some((t) => t.context && t.context.length > 0);
  const matchCtx: MatchContext = { title: doc.title, url: doc.location?.href };
  /** Scanned text fed into the page signals so far (capped: the page's head decides page-level context). */
  let signalChars = 0;
  /** The chunk whose text is being fed, and how far (windows overlap: overlapping text is not counted twice). */
  let signalChunk: Chunk | null = null;
  let signalTo = 0;
  /**
   * Guarded terms dropped on the page-level decision while the page's text was still being read, and the
   * blocks they were in: re-scanned at the end of a pass if the text read by then allows them. Without this,
   * what a page shows would depend on where the (timing-adaptive) windows happened to end.
   */
  const deferred = new Map<number, Set<Element>>();
  const rejected: number[] = [];
  if (matcher.pageAllows) matchCtx.onPageRejected = (term, start) => void rejected.push(term, start);
  const resetSignals = () => {
    delete matchCtx.signals;
    signalChars = 0;
    signalChunk = null;
    deferred.clear();
    if (matcher.pageSignals) {
      const head = matcher.pageSignals({ title: doc.title, url: doc.location?.href }).head;
      matchCtx.signals = { head: new Set(head), body: new Set() };
    } else {
      matchCtx.pageText = () => (doc.body?.textContent ?? '').slice(0, 2_000_000);
    }
  };
  resetSignals();
  /** Feed chunk text [from, end) into the page signals (text already fed is scanned again but not counted). */
  const addSignals = (chunk: Chunk, from: number, end: number) => {
    if (!hasGuards || !matchCtx.signals || signalChars >= SIGNAL_CHARS) return;
    if (chunk !== signalChunk) {
      signalChunk = chunk;
      signalTo = 0;
    }
    const fresh = Math.max(from, signalTo);
    if (end <= fresh) return;
    signalTo = end;
    // A little of the text already fed goes again, so a signal phrase cut by the window edge is read whole.
    const cut = Math.min(end, fresh + SIGNAL_CHARS - signalChars);
    const piece = chunk.text.slice(Math.max(from, fresh - SIGNAL_OVERLAP), cut);
    signalChars += cut - fresh;
    // While the background may be asked, the signals sent with a request must hold all text fed so far:
    // scan now rather than queue.
    if (matcher.appendPageText && !(remoteOk && matcher.addPageText)) {
      matcher.appendPageText(matchCtx.signals, piece);
    } else if (matcher.addPageText) {
      matcher.addPageText(matchCtx.signals, piece);
    } else if (matcher.pageSignals) {
      const body = matchCtx.signals.body;
      for (const id of matcher.pageSignals({ pageText: piece }).body) body.add(id);
    }
  };

  const walkRoot = (): Element | null => doc.body ?? doc.documentElement;

  // ---- card
  const card = createCardHost({
    doc,
    index,
    getCardData: opts.getCardData,
    theme: () => settings.theme ?? 'auto',
    onClosed: () => setFocus(null),
  });
  undos.push(() => card.dispose());
  const isOwn = (n: Node) => n === card.hostElement() || (n.nodeType === 1 && (n as Element).localName === HOST_TAG);

  // ---- committing painted ranges (Highlight API)
  /**
   * Chromium re-marks every registered range in the frame after any change to a highlight, so ranges are
   * committed in batches, and the painter registers only those near the viewport (lib/page/paint.ts).
   * Commits: every slice while the first frames of the pass are painted (the viewport; blocks whose
   * distance is not known yet are registered at once), then whenever the waiting ranges are as many as
   * those committed before, at the end of every pass and re-scan, and never later than COMMIT_LAG_MS after
   * a range was added.
   */
  const COMMIT_LAG_MS = 250;
  /**
   * Ranges a pass may register before the observer has placed their blocks: more than a viewport holds.
   * Registering means reading their text nodes now, after the slice's budget: uncapped, the first frames
   * of a long pass read every range found in them (an 11 ms slice at 100k words).
   */
  const OPTIMISTIC_MAX = 100;
  let optimisticLeft = OPTIMISTIC_MAX;
  let commitTimer: ReturnType<typeof setTimeout> | null = null;
  const commitNow = (optimistic = false) => {
    if (commitTimer !== null) clearTimeout(commitTimer);
    commitTimer = null;
    if (!painter.pending?.() || stopped) return;
    try {
      optimisticLeft -= painter.commit?.(optimistic ? optimisticLeft : 0) ?? 0;
    } catch {
      // a highlight that refuses ranges: they stay unpainted, the rest of the extension goes on
    }
  };
  undos.push(() => {
    if (commitTimer !== null) clearTimeout(commitTimer);
    commitTimer = null;
  });
  /** End of a slice: commit now or leave the batch to grow (see above). */
  const commitAtSliceEnd = () => {
    const waiting = painter.pending?.() ?? 0;
    if (!waiting) return;
    // Committed so far (registered or waiting for their block to come near).
    const shown = painter.size() - waiting;
    if (wantFrame === 1) commitNow(true);
    else if (waiting >= shown) commitNow();
  };
  const commitLater = () => {
    if (commitTimer === null && painter.pending?.()) commitTimer = setTimeout(() => commitNow(), COMMIT_LAG_MS);
  };

  // ---- painting decisions
  const wantKind = (o: Occ) => settings.kinds === 'all' || o.guided;
  const paint = (o: Occ) => {
    if (o.handle) return;
    o.handle = painter.add(o.range ?? (() => rangeOf(o)), o.guided, o.seg.block);
    handleToOcc.set(o.handle, o);
    commitLater();
    if (firstPaintMs < 0) firstPaintMs = performance.now() - t0;
    if (wantFrame === 0) {
      wantFrame = 1;
      keepSheet(); // once per painted frame
    }
  };
  const unpaint = (o: Occ) => {
    if (!o.handle) return;
    if (focusOcc === o) setFocus(null);
    painter.remove(o.handle, o.guided);
    handleToOcc.delete(o.handle);
    o.handle = null;
  };
  /** While streaming: paint unless density/kinds exclude it (exact density is settled by reconcile()). */
  const paintProvisional = (o: Occ) => {
    if (!wantKind(o)) return;
    if (settings.density === 'first-per-section') {
      const key = o.seg.section >= 0 ? `${o.term}:s${o.seg.section}` : `${o.term}:b`;
      if (provisional.has(key)) return;
      provisional.add(key);
    }
    paint(o);
  };

  const sortedSegments = (): Segment[] => {
    if (orderDirty) {
      ordered = [...segOccs.keys()].sort((a, b) => a.seq - b.seq);
      orderDirty = false;
    }
    return ordered;
  };
  const allOccsInOrder = (): Occ[] => {
    const out: Occ[] = [];
    for (const s of sortedSegments()) for (const o of segOccs.get(s)!) out.push(o);
    return out;
  };

  /** Settle density and kinds exactly (document order). */
  const reconcile = () => {
    const seen = new Set<string>();
    for (const o of allOccsInOrder()) {
      let want = wantKind(o);
      if (want && settings.density === 'first-per-section') {
        const key = `${o.term}:${o.seg.section}`;
        if (seen.has(key)) want = false;
        else seen.add(key);
      }
      if (want) paint(o);
      else unpaint(o);
    }
    provisional.clear();
  };

  /**
   * At the end of a pass: with every occurrence wanted (density 'all') the streamed painting is already
   * exact, so the document-order pass of reconcile() (a sort and a walk over every occurrence, one
   * unsliced step of several ms on a long page) is only needed for first-per-section.
   */
  const settleDensity = () => {
    if (settings.density !== 'all') reconcile();
  };

  // ---- occurrences
  /** Occurrences per term and distinct terms, kept current (the badge reads them, not a report). */
  const termOccs = new Int32Array(index.terms.length);
  let distinctTerms = 0;
  /** The occurrence list of a segment, registering the segment on its first occurrence. */
  const occListOf = (seg: Segment): Occ[] => {
    let list = segOccs.get(seg);
    if (!list) {
      // Only segments with occurrences are kept (memory stays proportional to hits, not to page text).
      // A re-scanned segment is placed into the sorted list (binary search + splice): the order stays
      // valid, so the next one does not re-sort every segment (a re-scan after discovery on a long page
      // places many, and a sort each was a 10+ ms slice at 500k words).
      const placed = Number.isNaN(seg.seq);
      if (placed) placeSegment(seg);
      list = [];
      segOccs.set(seg, list);
      let l = blockSegs.get(seg.block);
      if (!l) blockSegs.set(seg.block, (l = []));
      l.push(seg);
      if (!placed) orderDirty = true;
    }
    return list;
  };

  /**
   * The text nodes and offsets of an occurrence (cached in `o.range`), or null when the block changed
   * since the walk read it (then never: the observer re-scans the block). Lazy segments read their text
   * nodes only now, and only as far as the occurrence (all of them under the wrapping fallback, whose
   * splits would change the nodes read later). The Highlight API painter asks only when it registers a
   * range near the viewport, so the occurrences of a long page far from the reader cost no DOM read
   * (on the 500k-word page, reading and checking every occurrence at once was a sixth of the pass).
   */
  const rangeOf = (o: Occ): PaintRange | null => {
    if (o.range || o.stale) return o.range;
    const { seg, start, end } = o;
    o.stale = true;
    if ((seg.lazy || seg.rest) && !resolveSegment(seg, painter.kind === 'wrap' ? Infinity : end)) return null;
    if (seg.nodes.length === 0) return null;
    const starts = seg.starts;
    const nodes = seg.nodes;
    const i0 = lastLE(starts, start);
    let i1 = i0;
    // Most occurrences sit in one text node: scan forward instead of a second binary search.
    while (i1 + 1 < starts.length && starts[i1 + 1] <= end - 1) i1++;
    const a = nodes[i0];
    const b = nodes[i1];
    const ao = start - starts[i0];
    const bo = end - starts[i1];
    // The page may have changed the block since the walk read it: never paint other characters (the
    // observer re-scans the block). Not under the wrapping fallback, whose splits shorten the nodes.
    if (painter.kind !== 'wrap' && !spanStillReads(seg, i0, ao, i1, bo, start, end)) return null;
    o.stale = false;
    o.range = { startContainer: a, startOffset: ao, endContainer: b, endOffset: bo };
    if (i0 === i1) hit.add(a, ao, bo, o);
    else for (let i = i0; i <= i1; i++) hit.add(nodes[i], i === i0 ? ao : 0, i === i1 ? bo : nodes[i].length, o);
    return o.range;
  };

  /** Record and paint one occurrence [start, end) of `seg.text`. */
  const addOcc = (seg: Segment, start: number, end: number, term: number) => {
    const t = index.terms[term];
    if (!t) return;
    const o: Occ = {
      term,
      seg,
      start,
      end,
      range: null,
      stale: false, // set here, not later: one object shape for every occurrence (see walk.ts flush)
      surface: seg.text.slice(start, end),
      guided: t.related.length > 0,
      handle: null,
    };
    // The wrapping fallback splits text nodes as it paints: read every range in walk order, now.
    if (painter.kind === 'wrap' && !rangeOf(o)) return;
    occListOf(seg).push(o);
    if (termOccs[term]++ === 0) distinctTerms++;
    paintProvisional(o);
  };

  const dropSegment = (seg: Segment) => {
    const list = segOccs.get(seg);
    if (list) {
      for (const o of list) {
        unpaint(o);
        if (--termOccs[o.term] === 0) distinctTerms--;
        if (!o.range) continue; // never read: not in the hit index
        const i0 = seg.nodes.indexOf(o.range.startContainer);
        const i1 = seg.nodes.indexOf(o.range.endContainer);
        for (let i = i0; i <= i1 && i >= 0; i++) hit.remove(seg.nodes[i], o);
      }
      segOccs.delete(seg);
      orderDirty = true;
    }
  };

  /** Record an occurrence of `term` at chunk offsets [s, e): mapped to its segment (never across blocks). */
  const addSpan = (chunk: Chunk, s: number, e: number, term: number) => {
    const si = lastLE(chunk.offsets, s);
    if (si < 0) return;
    const seg = chunk.segments[si];
    const base = chunk.offsets[si];
    if (e - base > seg.text.length) return; // crosses a block separator: never
    addOcc(seg, s - base, e - base, term);
  };

  /** A guarded candidate of `term` at chunk offset s was dropped on the page-level decision: re-check later. */
  const deferAt = (chunk: Chunk, term: number, s: number) => {
    const si = lastLE(chunk.offsets, s);
    if (si < 0) return;
    let blocks = deferred.get(term);
    if (!blocks) deferred.set(term, (blocks = new Set()));
    blocks.add(chunk.segments[si].block);
  };

  /** Match a chunk in windows (a 5 MB text node must not become one long task). */
  const matchChunk = (chunk: Chunk, from: number, size: number): number => {
    const text = chunk.text;
    const len = text.length;
    let end = Math.min(len, from + size);
    const last = end >= len;
    const slice = from === 0 && last ? text : text.slice(from, end);
    let spans: MatchSpan[];
    addSignals(chunk, from, end);
    rejected.length = 0;
    try {
      spans = matcher.find(slice, matchCtx);
    } catch {
      spans = [];
    }
    const safeEnd = last ? len : end - OVERLAP;
    if (rejected.length && signalChars < SIGNAL_CHARS) {
      for (let i = 0; i < rejected.length; i += 2) {
        const s = rejected[i + 1] + from;
        if (s < safeEnd) deferAt(chunk, rejected[i], s);
      }
    }
    let keptEnd = from;
    for (const sp of spans) {
      const s = sp.start + from;
      const e = sp.end + from;
      if (s >= safeEnd) break;
      keptEnd = Math.max(keptEnd, e);
      addSpan(chunk, s, e, sp.term);
    }
    matchedChars.page += Math.min(len, safeEnd) - from;
    if (last) return len;
    let next = Math.max(safeEnd, keptEnd);
    // Start the next window at a word start so a word tail cannot match as a term.
    while (next < len && next < safeEnd + OVERLAP && /[\p{L}\p{N}]/u.test(text[next]) && /[\p{L}\p{N}]/u.test(text[next - 1])) next++;
    end = next;
    return end;
  };

  // ---- passes
  interface Pass {
    walkers: Array<{ w: TextWalker; onSegments?: (s: Segment[]) => void }>;
    pending: Segment[];
    pendingChars: number;
    chunk: Chunk | null;
    chunkPos: number;
    /** Keep read segments for fuzzy discovery (the full pass). */
    vocab?: boolean;
    /** Chunks for the background (`matchRemote`; the full pass and its end-of-pass re-check). */
    remote?: RemoteQueue;
    /** Text of this pass matched on the page so far. */
    localChars: number;
  }

  /**
   * Chunks of a pass matched in the background: until the first paint several requests in flight, after it
   * one at a time while the walk waits (see waitsForAnswer). Each carries the guard signals
   * known when it goes out (the answers so far) and feeds its own share of the first SIGNAL_CHARS; a
   * candidate it drops on the page-level decision while signals were missing (not read yet, or in another
   * request's answer) is re-checked at the end of the pass, as on the page.
   */
  interface RemoteQueue {
    /** Chunks in reading order; `local` ones (read before the background was asked, or too long for a request) are matched here in their turn. */
    queue: Array<{ chunk: Chunk; local: boolean }>;
    /** Requests in flight, and those of them that feed the guard signals. */
    inflight: number;
    signalFlying: number;
    /** Text sent so far (requests grow with it). */
    sent: number;
    /** Resolved at the next answer (what an idle step waits for). */
    wake: { promise: Promise<void>; resolve: () => void } | null;
    /** Answers to add, in order, and how far each has been added. */
    ready: Array<{ chunk: Chunk; spans: number[]; rejected: number[]; defer: boolean; pos: number }>;
  }

  const firstLocalChars = opts.firstLocalChars ?? FIRST_LOCAL_CHARS;
  /** False once a `glens:match` request has failed: the rest of the page's life is matched here. */
  let remoteOk = !!opts.matchRemote;
  /** Text of the last full pass (and what followed it) matched in the background and on the page. */
  const matchedChars = { background: 0, page: 0 };

  /** A queue for a pass, when the background may match: the matcher here has no discovered variants (the background's has none). */
  const remoteQueue = (): RemoteQueue | undefined =>
    opts.matchRemote && remoteOk && discovered.length === 0 ? { queue: [], inflight: 0, signalFlying: 0, sent: 0, wake: null, ready: [] } : undefined;

  /** The pass should send its next chunk to the background. */
  const wantsRemote = (pass: Pass): boolean =>
    !!pass.remote && remoteOk && (firstPaintMs >= 0 || pass.localChars >= firstLocalChars);

  /** A chunk the walk has read: matched here (pass.chunk) or queued for the background. */
  const takeChunk = (pass: Pass, chunk: Chunk) => {
    const rem = pass.remote;
    if (rem && (rem.queue.length || rem.inflight > 0 || rem.ready.length || wantsRemote(pass))) {
      rem.queue.push({ chunk, local: !wantsRemote(pass) || chunk.text.length > MATCH_MAX_CHARS });
    } else {
      pass.chunk = chunk;
      pass.chunkPos = 0;
      pass.localChars += chunk.text.length;
    }
  };

  /** Send the next queued chunk (the queue's head is a remote one). */
  const sendNext = (rem: RemoteQueue) => {
    const { chunk } = rem.queue.shift()!;
    const signals = matchCtx.signals;
    const sig = hasGuards && signals && signalChars < SIGNAL_CHARS ? Math.min(chunk.text.length, SIGNAL_CHARS - signalChars) : 0;
    // Its page-level decisions miss signals: of text not read yet, or of requests still in flight.
    const partial = rem.signalFlying > 0 || signalChars + sig < SIGNAL_CHARS;
    signalChars += sig;
    const gen = generation;
    const req = {
      text: chunk.text,
      signalChars: sig,
      head: signals ? [...signals.head] : [],
      body: signals ? [...signals.body] : [],
      terms: index.terms.length,
    };
    let answer: Promise<MatchReply | null>;
    try {
      answer = opts.matchRemote!(req);
    } catch {
      answer = Promise.resolve(null);
    }
    rem.inflight++;
    rem.sent += chunk.text.length;
    if (sig > 0) rem.signalFlying++;
    void answer
      .catch(() => null)
      .then((reply) => {
        rem.inflight--;
        if (sig > 0) rem.signalFlying--;
        const wake = rem.wake;
        rem.wake = null;
        wake?.resolve();
        if (stopped || gen !== generation) return;
        if (!reply) {
          // No answer: this chunk and everything after it are matched here.
          remoteOk = false;
          // Its share of the signal text was counted when it went out: feed it here.
          if (sig > 0 && signals && matcher.addPageText) matcher.addPageText(signals, chunk.text.slice(0, sig));
          rem.queue.unshift({ chunk, local: true });
          return;
        }
        if (signals) {
          for (const id of reply.body) signals.body.add(id);
          signals.verdict?.clear();
        }
        matchedChars.background += chunk.text.length;
        rem.ready.push({ chunk, spans: reply.spans, rejected: reply.rejected, defer: partial, pos: 0 });
      });
  };

  /** Add up to APPLY_SPANS spans of the first background answer (checked: inside its chunk, known terms). */
  const applyReady = (rem: RemoteQueue) => {
    const r = rem.ready[0];
    const { chunk, spans } = r;
    const len = chunk.text.length;
    const nTerms = index.terms.length;
    if (r.pos === 0 && r.defer) {
      for (let i = 0; i + 1 < r.rejected.length; i += 2) {
        if (r.rejected[i] < nTerms && r.rejected[i + 1] < len) deferAt(chunk, r.rejected[i], r.rejected[i + 1]);
      }
    }
    const whole = spans.length - (spans.length % 3);
    const stop = Math.min(whole, r.pos + 3 * APPLY_SPANS);
    for (let i = r.pos; i < stop; i += 3) {
      const s = spans[i];
      const e = spans[i + 1];
      const term = spans[i + 2];
      if (s < e && e <= len && term < nTerms) addSpan(chunk, s, e, term);
    }
    r.pos = stop;
    if (stop >= whole) rem.ready.shift();
  };

  /**
   * After the first paint the page and the background take turns: while a request is in flight the walk
   * waits, and the next request goes out once the answer is added. On a machine with few cores, walking
   * (or adding spans) while the background matches made both run slower: each slice's wall time doubled
   * while its thread waited for a core, and the CPU time rose too (2-core bench, generated 100k words: the
   * page's script time 146–160 → 100–127 ms wall, 68–84 → 57–64 ms CPU; 500k: 318–330 → 203–218 ms
   * wall; slices over 10 ms by wall 11–13% → 4–8%). The pass takes longer in all, but only its
   * far-from-the-viewport end. Before the first paint the walk reads on: the first highlights come sooner.
   */
  const waitsForAnswer = (rem: RemoteQueue): boolean => rem.inflight > 0 && firstPaintMs >= 0;

  /** A step with nothing to do until the background answers: resolves at the next answer. */
  const idle = (rem: RemoteQueue): Promise<void> => {
    if (!rem.wake) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      rem.wake = { promise, resolve };
    }
    return rem.wake.promise;
  };

  let nextSeq = 1;
  /** Adaptive step sizes (see STEP_MS). */
  let nodeBudget = NODE_BUDGET.start;
  let matchWindow = WINDOW.start;
  /** Next step size from the last step (`done` units in `ms`): aim at STEP_MS, grow at most 2× a step. */
  const adapt = (current: number, done: number, ms: number, lim: { min: number; max: number }): number => {
    if (done <= 0) return current;
    const want = ms > 0 ? (done * STEP_MS) / ms : current * 2;
    return Math.max(lim.min, Math.min(lim.max, current * 2, Math.floor(want)));
  };

  /** One unit of work; returns true while more remains (a promise: wait for the background's answer). */
  const makeStep = (pass: Pass) => (): StepResult => {
    const rem = pass.remote;
    if (pass.chunk) {
      const tm = performance.now();
      const from = pass.chunkPos;
      pass.chunkPos = matchChunk(pass.chunk, from, matchWindow);
      matchWindow = adapt(matchWindow, pass.chunkPos - from, performance.now() - tm, WINDOW);
      if (pass.chunkPos >= pass.chunk.text.length) pass.chunk = null;
      return pass.chunk !== null || pass.walkers.length > 0 || pass.pending.length > 0 || (!!rem && (rem.queue.length > 0 || rem.inflight > 0 || rem.ready.length > 0));
    }
    if (rem) {
      if (rem.ready.length) {
        applyReady(rem);
        return true;
      }
      if (rem.queue.length && (rem.inflight === 0 || (remoteOk && !rem.queue[0].local && !waitsForAnswer(rem)))) {
        if (rem.queue[0].local || !remoteOk) {
          pass.chunk = rem.queue.shift()!.chunk;
          pass.chunkPos = 0;
          pass.localChars += pass.chunk.text.length;
          return true;
        }
        sendNext(rem);
      }
    }
    if (rem && waitsForAnswer(rem)) return idle(rem);
    const cur = pass.walkers[0];
    if (!cur) {
      if (pass.pending.length) {
        takeChunk(pass, makeChunk(pass.pending));
        pass.pending = [];
        pass.pendingChars = 0;
        return true;
      }
      if (rem && rem.inflight > 0) return idle(rem);
      return !!rem && rem.queue.length > 0;
    }
    const out: Segment[] = [];
    const tw = performance.now();
    const finished = cur.w.run(nodeBudget, out);
    nodeBudget = adapt(nodeBudget, nodeBudget, performance.now() - tw, NODE_BUDGET);
    if (out.length) {
      cur.onSegments?.(out);
      if (pass.vocab && vocabChars < VOCAB_CHARS) {
        for (const s of out) {
          vocabSegs.push(s);
          vocabChars += s.text.length;
        }
      }
      for (const s of out) {
        pass.pending.push(s);
        pass.pendingChars += s.text.length + 1;
      }
    }
    if (finished) pass.walkers.shift();
    // Until the first paint, match small chunks: the first highlights show sooner. For the background,
    // a chunk as soon as nothing is in flight, else the text read meanwhile in one request.
    const remote = wantsRemote(pass);
    const chunkChars = firstPaintMs < 0 && !remote ? FIRST_CHUNK_CHARS : CHUNK_CHARS;
    // The first request small (it wakes the background), then REMOTE_PIPE_CHARS at least, growing with the
    // text sent: a fast background must not turn a page into hundreds of small requests (each costs here).
    const ready = remote
      ? pass.pendingChars >= (rem!.sent === 0 ? chunkChars : Math.min(REMOTE_CHUNK_CHARS, Math.max(REMOTE_PIPE_CHARS, rem!.sent >> 1)))
      : pass.pendingChars >= chunkChars;
    // A walker done: match what it read (for the background, only once the last one is: the pass's
    // re-check walks each of its blocks with a walker of its own).
    if (ready || (finished && pass.pending.length && (!remote || pass.walkers.length === 0))) {
      takeChunk(pass, makeChunk(pass.pending));
      pass.pending = [];
      pass.pendingChars = 0;
    }
    return true;
  };

  /** Visible blocks, sampled with elementFromPoint on a grid (run a little after the pass starts). */
  const viewportBlocks = (root: Element): Element[] => {
    const out: Element[] = [];
    const w = win.innerWidth || 0;
    const h = win.innerHeight || 0;
    if (!w || !h || typeof doc.elementFromPoint !== 'function') return out;
    // At the top of the page the document-order walk already starts with the viewport; sampling would
    // only force a synchronous layout of a possibly huge page. Sample only when scrolled.
    if ((win.scrollY || 0) < h / 2) return out;
    const seen = new Set<Element>();
    // A coarse grid (8 × 2 hit tests on a laid-out page: well under a millisecond).
    for (let row = 0; row < 8; row++) {
      for (let col = 0; col < 2; col++) {
        let el: Element | null = null;
        try {
          el = doc.elementFromPoint(((col * 2 + 1) * w) / 4, ((row + 0.5) * h) / 8);
        } catch {
          el = null;
        }
        if (!el || seen.has(el) || isOwn(el)) continue;
        seen.add(el);
        const b = blockOf(el, root);
        if (!b || b === root || b === doc.documentElement || !root.contains(b)) continue;
        if (b.childElementCount > 50) continue; // a container: the full pass handles it
        out.push(b);
      }
    }
    // Drop blocks nested in another chosen block; keep document order.
    const uniq = [...new Set(out)];
    const top = uniq.filter((b) => !uniq.some((o) => o !== b && o.contains(b)));
    top.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    return top;
  };

  let passPromise: Promise<void> = Promise.resolve();
  /** Resolves when the current full pass and its discovery have finished (state 'done'). */
  let settled: Promise<void> = Promise.resolve();
  let settle: (() => void) | null = null;
  let passCount = 0;
  /**
   * Can the page be scrolled away from the top? On demand it may well be (and is laid out by then); at load
   * only after a reload, back/forward or with a #fragment. (Reading scrollY at load could force a layout.)
   */
  const mayBeScrolled = (): boolean => {
    try {
      if (opts.reason === 'on-demand' || doc.location?.hash) return true;
      const nav = win.performance?.getEntriesByType?.('navigation')?.[0] as PerformanceNavigationTiming | undefined;
      return !nav || nav.type === 'reload' || nav.type === 'back_forward';
    } catch {
      return true;
    }
  };

  /**
   * The initial (or after-navigation) full pass. It starts at once in document order (at the top of a
   * page that IS the viewport, and the first ranges are painted in the first slice). Once the first frame
   * has rendered (layout is clean, so reading the viewport forces nothing), blocks visible in a scrolled
   * viewport are moved to the front of the queue; the document-order walk skips them later.
   */
  const fullPass = () => {
    const gen = ++generation;
    state = 'running';
    // 'done' (and whenDone) waits for fuzzy discovery too: its variants are occurrences of the report.
    settle?.();
    settled = new Promise<void>((resolve) => (settle = resolve));
    const root = walkRoot();
    if (!root) {
      state = 'done';
      passPromise = Promise.resolve();
      settle?.();
      return;
    }
    const vpSegs = new Map<Element, Segment[]>();
    cancelDiscovery();
    discoveredIn = undefined;
    matchedChars.background = 0;
    matchedChars.page = 0;
    vocabSegs = [];
    vocabChars = 0;
    const done = new Set<Element>();
    const main: TextWalker = new TextWalker(root, { done, onDone: (el) => onDone(el), onShadowRoot });
    // Viewport blocks get their document-order key when the full walk passes them.
    const onDone = (el: Element) => {
      const sec = main.currentSection;
      for (const s of vpSegs.get(el) ?? []) {
        s.seq = nextSeq++;
        s.section = sec;
      }
      orderDirty = true;
    };
    const pass: Pass = {
      walkers: [
        {
          w: main,
          onSegments: (segs) => {
            for (const s of segs) s.seq = nextSeq++;
          },
        },
      ],
      pending: [],
      pendingChars: 0,
      chunk: null,
      chunkPos: 0,
      vocab: true,
      localChars: 0,
      remote: remoteQueue(),
    };
    const viewportFirst = () => {
      if (stopped || gen !== generation || main.done) return;
      const vp = viewportBlocks(root).filter((b) => main.isAhead(b));
      const walkers: Pass['walkers'] = [];
      for (const b of vp) {
        done.add(b);
        const list: Segment[] = [];
        vpSegs.set(b, list);
        walkers.push({
          w: new TextWalker(b, { onShadowRoot, section: -1 }),
          onSegments: (segs) => {
            for (const s of segs) {
              s.section = -1;
              s.seq = -1;
              list.push(s);
            }
          },
        });
      }
      if (walkers.length) {
        pass.walkers.unshift(...walkers);
        // Let a frame render right after the viewport's ranges are painted.
        wantFrame = 0;
        frameUntil = 0;
        optimisticLeft = OPTIMISTIC_MAX;
      }
    };
    // A fresh load starts at the top, where document order IS the viewport: nothing to sample. After a
    // reload, back/forward, a #fragment or an in-page navigation the page may be scrolled: sample a little
    // later. (A timeout, not rAF: a callback of ours in the rendering task would make that task, with the
    // page's own style recalc and layout, count as ours; and by then layout is usually clean.)
    const later = passCount++ > 0;
    if (later || mayBeScrolled()) {
      // On demand or after a navigation the page has long been laid out: sample at once.
      const id = setTimeout(viewportFirst, later || opts.reason === 'on-demand' ? 0 : 50);
      undos.push(() => clearTimeout(id));
    }
    const passStart = performance.now();
    wantFrame = 0;
    frameUntil = 0;
    optimisticLeft = OPTIMISTIC_MAX;
    passPromise = runSliced(makeStep(pass), {
      budgetMs: budget,
      stats,
      cancelled: () => stopped || gen !== generation,
      schedule: sliceSchedule,
      firstBudgetMs: 2,
      // Until the first highlight is painted, the first slice may run on (painted before the page's next
      // frame, it shows in that frame instead of one frame later), as long as the start-up task, set-up
      // included, stays within FIRST_TASK_MS: a step may overrun its aim by ~1 ms, the slice's painting
      // follows, a GC may fall in it, and the task must stay ≤ 10 ms.
      firstMaxMs: Math.max(2, FIRST_TASK_MS - (performance.now() - Math.min(t0, opts.taskStart ?? t0))),
      firstDone: () => firstPaintMs >= 0,
      onSlice: commitAtSliceEnd,
      onDone: () => {
        const late = rescanDeferred();
        settleDensity();
        commitNow();
        annotateMs = performance.now() - passStart;
        notifyChange();
        const discover = () =>
          startDiscovery(gen, () => {
            if (stopped || gen !== generation) return;
            state = 'done';
            notifyChange();
            settle?.();
            settle = null;
          });
        if (late) void passPromise.then(discover, discover);
        else discover();
      },
    });
  };

  // ---- fuzzy discovery (idle time, after the main pass)
  let vocabSegs: Segment[] = [];
  let vocabChars = 0;
  const discovered: string[] = [];
  let discoveredIn: PageReport['discoveredIn'];
  let discoveryTimer: { cancel(): void } | null = null;
  let discoveryDone: Promise<void> = Promise.resolve();
  let discoveryResolve: (() => void) | null = null;
  const finishDiscovery = () => {
    discoveryTimer = null;
    vocabSegs = [];
    vocabChars = 0;
    discoveryResolve?.();
    discoveryResolve = null;
  };
  function cancelDiscovery() {
    discoveryTimer?.cancel();
    finishDiscovery();
  }
  undos.push(() => cancelDiscovery());
  /** Idle callback where available (else a timeout): discovery never competes with the page. */
  const whenIdle = (fn: () => void): { cancel(): void } => {
    const w = win as Window & { requestIdleCallback?: typeof requestIdleCallback; cancelIdleCallback?: typeof cancelIdleCallback };
    if (typeof w.requestIdleCallback === 'function') {
      const id = w.requestIdleCallback(fn, { timeout: 2000 });
      return { cancel: () => w.cancelIdleCallback?.(id) };
    }
    const id = setTimeout(fn, 30);
    return { cancel: () => clearTimeout(id) };
  };
  /**
   * Run discovery: in the background when the content script offers it (`discoverRemote`), else (or if
   * that fails) in idle slices here with `discoverLocal`, if given. `onEnd` runs once it, and the re-scan of
   * its variants, has finished.
   */
  const startDiscovery = (gen: number, onEnd: () => void) => {
    const totalMs = opts.discoveryMs ?? 300;
    const addForms = matcher.addForms?.bind(matcher);
    if (!addForms || totalMs <= 0 || distinctTerms < DISCOVERY_MIN_TERMS || !vocabSegs.length) {
      finishDiscovery();
      onEnd();
      return;
    }
    discoveryDone = new Promise<void>((resolve) => (discoveryResolve = resolve));
    const segs = vocabSegs;
    /** Re-scan only the blocks holding the new variants (the body itself would mean a full pass). */
    const end = (found: readonly { text: string }[]) => {
      let rescanned = false;
      if (found.length) {
        for (const f of found) discovered.push(f.text);
        const root = walkRoot();
        const blocks = new Set([...blocksHolding(segs, found)].filter((b) => b !== root && b !== doc.documentElement));
        if (blocks.size) {
          rescan({ blocks, removed: false, full: false });
          rescanned = true;
        }
      }
      finishDiscovery();
      if (rescanned) void passPromise.then(onEnd, onEnd);
      else onEnd();
    };
    const local = () => {
      const Local = opts.discoverLocal;
      if (!Local) return end([]);
      discoveredIn = 'page';
      const job = new Local<Segment>(segs, index, (seg) => segOccs.get(seg), (forms) => addForms(forms));
      let spent = 0;
      const slice = () => {
        discoveryTimer = null;
        if (stopped || gen !== generation) return finishDiscovery();
        const t = performance.now();
        const more = job.step(t + Math.min(DISCOVERY_SLICE_MS, totalMs - spent));
        spent += performance.now() - t;
        if (more && spent < totalMs) {
          discoveryTimer = whenIdle(slice);
          return;
        }
        end(job.found);
      };
      discoveryTimer = whenIdle(slice);
    };
    const remote = opts.discoverRemote;
    if (!remote) return local();
    discoveryTimer = whenIdle(() => {
      discoveryTimer = null;
      if (stopped || gen !== generation) return finishDiscovery();
      // The words the pass read (capped) and, per text, the spans already matched (left out).
      const texts: string[] = [];
      const occupied: number[][] = [];
      let left = VOCAB_CHARS;
      for (const seg of segs) {
        if (left <= 0 || texts.length >= DISCOVER_MAX_TEXTS) break;
        const text = seg.text.length > left ? seg.text.slice(0, left) : seg.text;
        left -= text.length;
        const flat: number[] = [];
        for (const o of segOccs.get(seg) ?? []) if (o.end <= text.length) flat.push(o.start, o.end);
        texts.push(text);
        occupied.push(flat);
      }
      let over = false;
      const settle = (): boolean => {
        if (over) return false;
        over = true;
        clearTimeout(timer);
        discoveryTimer = null;
        return true;
      };
      const fallBack = () => {
        if (!settle()) return;
        if (stopped || gen !== generation) return finishDiscovery();
        local();
      };
      const timer = setTimeout(fallBack, REMOTE_DISCOVERY_TIMEOUT_MS);
      discoveryTimer = { cancel: () => void settle() };
      Promise.resolve()
        .then(() => remote(texts, occupied))
        .then((forms) => {
          if (forms === null) return fallBack();
          if (!settle()) return;
          if (stopped || gen !== generation) return finishDiscovery();
          discoveredIn = 'background';
          const termOf = new Map(index.terms.map((t, i) => [t.id, i]));
          const found: { text: string }[] = [];
          for (const f of forms) {
            const term = termOf.get(f.termId);
            if (term === undefined) continue;
            if (addForms([{ text: f.text, term, cs: false }]) > 0) found.push(f);
          }
          end(found);
        }, fallBack);
    });
  };

  /**
   * At the end of a pass: re-scan the blocks of guarded candidates that were dropped on the page-level
   * decision and that the page's text read by now allows. True when a re-scan was queued.
   */
  const rescanDeferred = (): boolean => {
    if (!deferred.size || !matcher.pageAllows) return false;
    const root = walkRoot();
    const blocks = new Set<Element>();
    for (const [term, set] of deferred) {
      let allowed = false;
      try {
        allowed = matcher.pageAllows(term, matchCtx);
      } catch {
        allowed = false;
      }
      if (!allowed) continue;
      deferred.delete(term);
      for (const b of set) if (b.isConnected && b !== root && b !== doc.documentElement) blocks.add(b);
    }
    if (!blocks.size) return false;
    // Part of the pass: matched where the pass was (the background, if it answers).
    rescan({ blocks, removed: false, full: false }, true);
    return true;
  };

  /**
   * Re-scan changed blocks only (from the MutationObserver; `remote`: blocks of the pass's re-check, matched
   * in the background like the pass).
   */
  const rescan = (batch: MutationBatch, remote = false) => {
    if (stopped) return;
    const root = walkRoot();
    if (!root) return;
    if (batch.full || (batch.blocks.has(root) && root === doc.body)) {
      clearAll();
      fullPass();
      return;
    }
    // Top-most changed blocks: those with no changed ancestor (a walk up each block's ancestors, not a
    // comparison of every pair: the pass's re-check may hand in hundreds).
    const changed = new Set([...batch.blocks].filter((b) => b.isConnected));
    const under = (el: Element, self: boolean): boolean => {
      for (let a: Element | null = self ? el : el.parentElement; a; a = a.parentElement) if (changed.has(a)) return true;
      return false;
    };
    const tops = [...changed].filter((b) => !under(b, false));
    // Drop segments under changed blocks and of disconnected content (only segments with hits are kept,
    // so this loop is proportional to the number of annotated blocks).
    for (const [block, segs] of blockSegs) {
      const gone = batch.removed && (!block.isConnected || segs.some((s) => !s.nodes[0]?.isConnected));
      if (gone || under(block, true)) {
        for (const s of segs) dropSegment(s);
        blockSegs.delete(block);
      }
    }
    if (!tops.length) {
      notifyChange();
      return;
    }
    const gen = generation;
    const walkers: Pass['walkers'] = tops.map((b) => ({
      w: new TextWalker(b, { onShadowRoot }),
      onSegments: (segs: Segment[]) => {
        // Placed in document order lazily, when a segment gets its first occurrence.
        for (const s of segs) s.seq = NaN;
      },
    }));
    const pass: Pass = { walkers, pending: [], pendingChars: 0, chunk: null, chunkPos: 0, localChars: 0, remote: remote ? remoteQueue() : undefined };
    const prev = passPromise;
    passPromise = prev.then(() =>
      runSliced(makeStep(pass), {
        budgetMs: budget,
        stats,
        cancelled: () => stopped || gen !== generation,
        onSlice: commitAtSliceEnd,
        onDone: () => {
          rescanDeferred();
          settleDensity();
          commitNow();
          notifyChange();
        },
      }),
    );
  };

  /**
   * Where a segment starts in the document: its first text node, or for a lazy segment (a whole simple
   * block, whose nodes may not be read yet) the block itself, which no other segment lies inside.
   */
  const anchorOf = (seg: Segment): Node => seg.nodes[0] ?? seg.lazy ?? seg.block;

  /** Give a re-scanned segment a document-order key and a section from its neighbours (binary search). */
  const placeSegment = (seg: Segment) => {
    const sorted = sortedSegments();
    const first = anchorOf(seg);
    let lo = 0;
    let hi = sorted.length - 1;
    let pred = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const other = anchorOf(sorted[mid]);
      if (other.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING) {
        pred = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const before = pred >= 0 ? sorted[pred].seq : 0;
    const after = pred + 1 < sorted.length ? sorted[pred + 1].seq : before + 2;
    seg.seq = before + (after - before) / 2;
    seg.section = pred >= 0 ? sorted[pred].section : 0;
    sorted.splice(pred + 1, 0, seg);
  };

  const clearAll = () => {
    setFocus(null);
    for (const s of [...segOccs.keys()]) dropSegment(s);
    segOccs.clear();
    blockSegs.clear();
    hit.clear();
    handleToOcc.clear();
    provisional.clear();
    orderDirty = true;
  };

  // ---- change notifications (badge)
  let changeTimer: ReturnType<typeof setTimeout> | null = null;
  let lastDistinct = -1;
  const notifyChange = () => {
    if (!opts.onChange || stopped) return;
    if (changeTimer !== null) return;
    changeTimer = setTimeout(() => {
      changeTimer = null;
      if (stopped) return;
      if (distinctTerms !== lastDistinct || state === 'done') {
        lastDistinct = distinctTerms;
        opts.onChange?.({ terms: distinctTerms, state });
      }
    }, 50);
  };
  undos.push(() => {
    if (changeTimer !== null) clearTimeout(changeTimer);
  });

  // ---- report
  const guidanceInfo = (id: string): { kind: string; title: string } => {
    const g = index.guidance?.find((x) => x.id === id);
    if (g) return g;
    const given = opts.guidanceTitles?.[id];
    if (given) return given;
    const fromCard = card.cachedGuidance(id);
    if (fromCard) return fromCard;
    const kind = /^P\d/.test(id) ? 'principle' : /^R\d/.test(id) ? 'recommendation' : /^C\d/.test(id) ? 'characteristic' : 'instrument';
    return { kind, title: id };
  };

  const report = (): PageReport => {
    const terms = new Map<number, { count: number; surfaces: Record<string, number>; first?: Occ }>();
    for (const o of allOccsInOrder()) {
      let t = terms.get(o.term);
      if (!t) terms.set(o.term, (t = { count: 0, surfaces: {}, first: o }));
      t.count++;
      t.surfaces[o.surface] = (t.surfaces[o.surface] ?? 0) + 1;
    }
    const outTerms: PageReport['terms'] = [];
    const firstContext: Record<string, string> = {};
    const guidance = new Map<string, { count: number; terms: string[] }>();
    for (const [ti, t] of terms) {
      const ct = index.terms[ti];
      outTerms.push({ id: ct.id, label: ct.label, count: t.count, surfaces: t.surfaces, related: [...ct.related] });
      if (t.first) {
        const f = t.first;
        firstContext[ct.id] = f.seg.text.slice(Math.max(0, f.start - 60), Math.min(f.seg.text.length, f.end + 60)).trim();
      }
      for (const g of ct.related) {
        let e = guidance.get(g);
        if (!e) guidance.set(g, (e = { count: 0, terms: [] }));
        e.count += t.count;
        e.terms.push(ct.id);
      }
    }
    return {
      url: doc.location?.href ?? '',
      title: doc.title ?? '',
      state: stopped ? 'off' : state,
      reason: opts.reason,
      datasetVersion: index.version,
      timing: {
        annotateMs: round(state === 'done' ? annotateMs : performance.now() - t0),
        longestSliceMs: round(stats.longestSliceMs),
        firstPaintMs: round(Math.max(0, firstPaintMs)),
        slices: stats.slices,
      },
      terms: outTerms,
      guidance: [...guidance].map(([id, e]) => ({ id, ...guidanceInfo(id), count: e.count, terms: e.terms })),
      firstContext,
      matchedChars: { ...matchedChars },
      ...(discoveredIn ? { discoveredIn } : {}),
    };
  };

  // ---- focus + navigation
  function setFocus(o: Occ | null) {
    focusOcc = o;
    if (o) keepSheet();
    try {
      painter.setFocus(o?.handle ?? null);
    } catch {
      /* painter disposed */
    }
  }

  const visible = (o: Occ) => {
    const r = rangeOf(o);
    return r !== null && rectsOf(doc, r).some((x) => x.width > 0 || x.height > 0);
  };

  const openOcc = (o: Occ, how: { pinned: boolean; focus: boolean }) => {
    const termId = index.terms[o.term].id;
    const r = rangeOf(o);
    if (!r) return;
    card.open({
      termId,
      anchor: () => rectsOf(doc, r),
      pinned: how.pinned,
      focus: how.focus,
      node: r.startContainer,
    });
  };

  const goTo = (o: Occ) => {
    const r = rangeOf(o);
    if (!r) return;
    setFocus(o);
    scrollToRange(doc, win, r);
    openOcc(o, { pinned: true, focus: true });
  };

  const step = (dir: 1 | -1, filter?: (o: Occ) => boolean): boolean => {
    const list = allOccsInOrder().filter((o) => o.handle !== null || (filter && filter(o)));
    const cands = filter ? list.filter(filter) : list;
    if (!cands.length) return false;
    let i = focusOcc ? cands.indexOf(focusOcc) : -1;
    for (let n = 0; n < cands.length; n++) {
      i = i < 0 ? (dir === 1 ? 0 : cands.length - 1) : (i + dir + cands.length) % cands.length;
      const o = cands[i];
      if (visible(o)) {
        card.rememberFocus();
        goTo(o);
        return true;
      }
    }
    return false;
  };

  // ---- pointer + keyboard
  let px = 0;
  let py = 0;
  let rafPending = false;
  let hoverTimer: ReturnType<typeof setTimeout> | null = null;
  let hoverOcc: Occ | null = null;

  const hitAt = (x: number, y: number): Occ | null => {
    if (painter.kind === 'wrap') {
      const el = doc.elementFromPoint(x, y);
      const h = el && painter.handleForNode?.(el.firstChild ?? el);
      return h ? (handleToOcc.get(h) ?? null) : null;
    }
    // The hit index holds read occurrences only, which is every one registered near the viewport.
    const o = hitTest(doc, hit, (oc) => oc.range!, x, y, shadowRoots);
    return o && o.handle ? o : null;
  };

  const clearHover = () => {
    if (hoverTimer !== null) clearTimeout(hoverTimer);
    hoverTimer = null;
    hoverOcc = null;
  };

  const onFrame = () => {
    rafPending = false;
    if (stopped) return;
    const o = hitAt(px, py);
    if (o) {
      card.pointerOnAnchor(true);
      if (card.isOpenFor(index.terms[o.term].id)) return;
      if (hoverOcc === o) return;
      clearHover();
      hoverOcc = o;
      hoverTimer = setTimeout(() => {
        hoverTimer = null;
        if (hoverOcc === o && !stopped) openOcc(o, { pinned: false, focus: false });
      }, 300);
    } else {
      clearHover();
      card.pointerOnAnchor(false);
    }
  };

  const onPointerMove = (e: PointerEvent) => {
    if (e.pointerType === 'touch') return;
    if (isOwn(e.target as Node)) {
      clearHover();
      return;
    }
    px = e.clientX;
    py = e.clientY;
    if (!rafPending && segOccs.size) {
      rafPending = true;
      win.requestAnimationFrame(onFrame);
    }
  };

  const onClick = (e: MouseEvent) => {
    if (isOwn(e.target as Node)) return;
    const o = segOccs.size ? hitAt(e.clientX, e.clientY) : null;
    if (o) {
      clearHover();
      setFocus(null);
      openOcc(o, { pinned: true, focus: false });
    } else if (card.isOpen()) {
      card.close(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && card.isOpen()) {
      card.close(true);
      return;
    }
    if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return;
    const k = e.code === 'KeyJ' ? 1 : e.code === 'KeyK' ? -1 : 0;
    if (!k) return;
    if (isEditableTarget(e.target as Element | null)) return;
    e.preventDefault();
    step(k as 1 | -1);
  };

  win.addEventListener('pointermove', onPointerMove, { passive: true, capture: true });
  doc.addEventListener('click', onClick, { capture: true });
  win.addEventListener('keydown', onKeyDown, { capture: true });
  undos.push(() => {
    win.removeEventListener('pointermove', onPointerMove, { capture: true });
    doc.removeEventListener('click', onClick, { capture: true });
    win.removeEventListener('keydown', onKeyDown, { capture: true });
    clearHover();
  });

  // ---- observers
  const root = walkRoot();
  if (root) {
    observer = observePage({ root, isOwn, onBatch: rescan, debounceMs: opts.debounceMs });
    undos.push(() => observer?.stop());
    for (const sr of shadowRoots) observer.observe(sr);
  }
  let navTimer: ReturnType<typeof setTimeout> | null = null;
  const onNav = () => {
    if (stopped) return;
    if (navTimer !== null) clearTimeout(navTimer);
    // Let the page render its new route first; mutations in between are covered by the full pass.
    navTimer = setTimeout(() => {
      navTimer = null;
      if (stopped) return;
      card.close(false);
      matchCtx.title = doc.title;
      matchCtx.url = doc.location?.href;
      resetSignals();
      clearAll();
      fullPass();
      notifyChange();
    }, 200);
  };
  undos.push((opts.onLocationChange ?? ((cb) => watchLocation(win, cb)))(onNav));
  undos.push(() => {
    if (navTimer !== null) clearTimeout(navTimer);
  });

  fullPass();

  const annotator: Annotator = {
    stop() {
      if (stopped) return;
      stopped = true;
      generation++;
      settle?.(); // release whenDone() waiters
      settle = null;
      clearAll();
      for (let i = undos.length - 1; i >= 0; i--) {
        try {
          undos[i]();
        } catch {
          /* keep undoing the rest */
        }
      }
      undos.length = 0;
    },
    report,
    next: () => step(1),
    previous: () => step(-1),
    focusTerm(id) {
      const ti = index.terms.findIndex((t) => t.id === id);
      if (ti < 0) return false;
      return step(1, (o) => o.term === ti);
    },
    whenDone: async () => {
      // Passes can chain (re-scans queue behind the current pass; discovery queues one).
      let p: Promise<void>;
      let q: Promise<void>;
      do {
        p = passPromise;
        q = settled;
        await p;
        await q;
      } while (p !== passPromise || q !== settled);
    },
    updateSettings(s) {
      Object.assign(settings, s);
      if (!stopped) {
        reconcile();
        commitNow();
        card.refresh();
      }
    },
    flushMutations() {
      observer?.flush();
    },
    debug: {
      painter,
      occurrences: allOccsInOrder,
      rangeOf,
      hitAt(x, y) {
        const o = hitAt(x, y);
        return o ? { termId: index.terms[o.term].id, surface: o.surface } : null;
      },
      card,
      stats,
      discovered: () => [...discovered],
      whenDiscovered: () => discoveryDone,
    },
  };
  return annotator;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Editable targets where our shortcuts must not fire. */
export function isEditableTarget(el: Element | null): boolean {
  if (!el || el.nodeType !== 1) return false;
  const tag = el.localName;
  if (tag === 'input' || tag === 'textarea' || tag === 'select') return true;
  if ((el as HTMLElement).isContentEditable) return true;
  return el.ownerDocument?.designMode === 'on';
}

/** Scroll so the range is in view (its scroll container first, then the window). */
function scrollToRange(doc: Document, win: Window, r: PaintRange): void {
  const el = r.startContainer.parentElement;
  try {
    el?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  } catch {
    /* ignore */
  }
  const rect = rectsOf(doc, r)[0];
  if (!rect) return;
  const h = win.innerHeight;
  if (rect.top < 60 || rect.bottom > h - 60) {
    try {
      win.scrollBy({ top: rect.top - h / 3, behavior: 'instant' as ScrollBehavior });
    } catch {
      win.scrollBy(0, rect.top - h / 3);
    }
  }
}

// Re-exports for tests and tools.
export { isBlockElement, isSkipElement };
export type { Segment };
