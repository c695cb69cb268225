/**
 * Time slicing for page work: run small steps until a budget (≤ 10 ms, default 8 ms) is spent, then
 * yield to the main thread (`scheduler.yield` where present, else a MessageChannel macrotask, else
 * setTimeout). Records per-slice durations for the page report and the benchmark.
 */

export const DEFAULT_BUDGET_MS = 8;

export interface SliceStats {
  /** Number of slices run. */
  slices: number;
  /** Longest single slice (ms). */
  longestSliceMs: number;
  /** Sum of slice durations (ms): the script time spent. */
  busyMs: number;
}

export function newStats(): SliceStats {
  return { slices: 0, longestSliceMs: 0, busyMs: 0 };
}

type YieldFn = () => Promise<void>;

let channel: MessageChannel | null = null;
const waiting: Array<() => void> = [];

function messageChannelYield(): Promise<void> {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const fn = waiting.shift();
      fn?.();
    };
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(0);
  });
}

/** Yield to the event loop so input and rendering can run. */
export function pickYield(): YieldFn {
  const sch = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (sch && typeof sch.yield === 'function') return () => sch.yield!.call(sch);
  if (typeof MessageChannel === 'function') return messageChannelYield;
  return () => new Promise((r) => setTimeout(r, 0));
}

export interface RunOptions {
  budgetMs?: number;
  stats?: SliceStats;
  /** Stop early (checked between steps). */
  cancelled?: () => boolean;
  now?: () => number;
  yieldFn?: YieldFn;
}

/**
 * Run `step` repeatedly in time slices. `step` does one small unit of work and returns true while
 * more work remains. Resolves when done or cancelled.
 */
export async function runSliced(step: () => boolean, opts: RunOptions = {}): Promise<void> {
  const budget = Math.min(opts.budgetMs ?? DEFAULT_BUDGET_MS, 10);
  const now = opts.now ?? (() => performance.now());
  const yieldFn = opts.yieldFn ?? pickYield();
  const stats = opts.stats ?? newStats();
  const cancelled = opts.cancelled ?? (() => false);
  let more = true;
  while (more && !cancelled()) {
    const t0 = now();
    let t = t0;
    do {
      more = step();
      t = now();
    } while (more && t - t0 < budget && !cancelled());
    const d = t - t0;
    stats.slices++;
    stats.busyMs += d;
    if (d > stats.longestSliceMs) stats.longestSliceMs = d;
    if (more) await yieldFn();
  }
}
