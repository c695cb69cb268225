import { blockOf } from './walk';
import type { Undo } from './paint';

/**
 * Dynamic pages: a debounced MutationObserver collects the blocks whose text changed and hands them
 * to the annotator, which re-scans only those blocks (and drops ranges of removed content). Work is
 * bounded when a page mutates every frame: records are coalesced into a Set, flushes are debounced
 * and capped per second, and a flood of records degrades to one full re-scan instead of per-record work.
 */

export interface MutationBatch {
  /** Blocks to re-scan (already de-duplicated; may contain nested blocks). */
  blocks: Set<Element>;
  /** Something was removed: sweep ranges of disconnected content. */
  removed: boolean;
  /** Too many changes: re-scan the whole root instead. */
  full: boolean;
}

export interface ObserverOptions {
  /** The walk root (document.body): blocks are looked up relative to it. */
  root: Element;
  /** Our own host element; mutations involving only it are ignored. */
  isOwn: (node: Node) => boolean;
  onBatch: (batch: MutationBatch) => void;
  debounceMs?: number;
  /** At most this many flushes per second. */
  maxPerSecond?: number;
  /** Above this many pending blocks or records, fall back to a full re-scan. */
  floodLimit?: number;
  now?: () => number;
}

export interface PageObserver {
  /** Also observe an open shadow root (MutationObserver does not see into them from the document). */
  observe(target: Node): void;
  /** Run our own DOM writes without observing them (fallback wrapping). */
  pause(fn: () => void): void;
  /** Deliver pending changes now (tests). */
  flush(): void;
  /** Number of flushes delivered. */
  readonly flushes: number;
  stop: Undo;
}

/** Start observing `opts.root` (and any shadow roots passed to observe()). */
export function observePage(opts: ObserverOptions): PageObserver {
  const debounceMs = opts.debounceMs ?? 150;
  const minGap = 1000 / (opts.maxPerSecond ?? 4);
  const flood = opts.floodLimit ?? 300;
  const now = opts.now ?? (() => performance.now());
  const targets: Node[] = [];
  let pending: MutationBatch = { blocks: new Set(), removed: false, full: false };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastFlush = -Infinity;
  let flushes = 0;
  let stopped = false;

  const schedule = () => {
    if (timer !== null || stopped) return;
    const wait = Math.max(debounceMs, lastFlush + minGap - now());
    timer = setTimeout(() => {
      timer = null;
      deliver();
    }, wait);
  };

  const deliver = () => {
    if (stopped) return;
    const b = pending;
    if (!b.full && b.blocks.size === 0 && !b.removed) return;
    pending = { blocks: new Set(), removed: false, full: false };
    lastFlush = now();
    flushes++;
    opts.onBatch(b);
  };

  const handle = (records: MutationRecord[]) => {
    if (stopped) return;
    if (pending.full) {
      schedule();
      return;
    }
    if (records.length > flood) {
      pending.full = true;
      pending.blocks.clear();
      schedule();
      return;
    }
    let any = false;
    for (const rec of records) {
      const target = rec.target;
      if (rec.type === 'childList') {
        let onlyOwn = true;
        for (let i = 0; i < rec.addedNodes.length && onlyOwn; i++) if (!opts.isOwn(rec.addedNodes[i])) onlyOwn = false;
        for (let i = 0; i < rec.removedNodes.length && onlyOwn; i++) if (!opts.isOwn(rec.removedNodes[i])) onlyOwn = false;
        if (onlyOwn) continue;
        if (rec.removedNodes.length) pending.removed = true;
      }
      if (opts.isOwn(target)) continue;
      const block = blockOf(target, opts.root);
      if (block) pending.blocks.add(block);
      any = true;
    }
    if (pending.blocks.size > flood) {
      pending.full = true;
      pending.blocks.clear();
    }
    if (any) schedule();
  };

  const mo = new MutationObserver(handle);
  const init: MutationObserverInit = { childList: true, characterData: true, subtree: true };
  const observe = (t: Node) => {
    if (stopped) return;
    targets.push(t);
    mo.observe(t, init);
  };
  observe(opts.root);

  return {
    observe,
    pause(fn) {
      const before = mo.takeRecords();
      if (before.length) handle(before);
      try {
        fn();
      } finally {
        mo.takeRecords();
      }
    },
    flush() {
      const recs = mo.takeRecords();
      if (recs.length) handle(recs);
      if (timer !== null) clearTimeout(timer);
      timer = null;
      deliver();
    },
    get flushes() {
      return flushes;
    },
    stop() {
      stopped = true;
      mo.disconnect();
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}

/**
 * In-page navigations (pushState/replaceState/popstate/hashchange) without patching history:
 * popstate/hashchange listeners plus a cheap poll of location.href.
 */
export function watchLocation(win: Window, cb: (url: string) => void, pollMs = 500): Undo {
  let last = win.location.href;
  const check = () => {
    const href = win.location.href;
    if (href !== last) {
      last = href;
      cb(href);
    }
  };
  win.addEventListener('popstate', check);
  win.addEventListener('hashchange', check);
  const id = setInterval(check, pollMs);
  return () => {
    win.removeEventListener('popstate', check);
    win.removeEventListener('hashchange', check);
    clearInterval(id);
  };
}
