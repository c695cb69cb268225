/** A match in a text: [start, end) offsets into the string given to the matcher. */
export interface MatchSpan {
  start: number;
  end: number;
  /** Index into CompiledIndex.terms. */
  term: number;
}

/**
 * Page-level signals for context guards, computed once per page (see `Matcher.pageSignals`).
 * Opaque ids of signal words (context words, strong IG anchors, EU-law counter-words) found in the
 * title/URL (`head`) and in the page text (`body`).
 */
export interface PageSignals {
  head: Set<number>;
  body: Set<number>;
  /** Internal: page text not scanned yet (scanned lazily, block by block, only while a decision needs it). */
  rest?: { text: string; pos: number };
  /** Internal: per-term page-level decisions already taken. */
  verdict?: Map<number, boolean>;
}

/**
 * Optional page-level context for `Matcher.find`. The page layer should create ONE object per page (and
 * per navigation) and pass the same object to every find() call: signals are computed lazily, at most once
 * per object, and only when a guarded (ambiguous) term needs them.
 */
export interface MatchContext {
  /** document.title. */
  title?: string;
  /** location.href. */
  url?: string;
  /**
   * The page's visible text (the concatenation the page layer already has), or a function returning it
   * (called at most once, only if needed).
   */
  pageText?: string | (() => string);
  /** Precomputed signals (from `Matcher.pageSignals`); when set, title/url/pageText are not read. */
  signals?: PageSignals;
  /** Half-width in chars of the local context window around a guarded candidate (default 400). */
  window?: number;
  /**
   * Called for each guarded candidate that find() drops only on the page-level decision (no context word
   * near it). That decision reads the page text fed so far, so the page layer can ask again once it has fed
   * more (`Matcher.pageAllows`) and re-scan the blocks holding such candidates: what is painted then does
   * not depend on how the text was cut into find() calls.
   */
  onPageRejected?: (term: number, start: number, end: number) => void;
}
