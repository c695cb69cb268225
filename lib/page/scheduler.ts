/**
 * Time slicing for page work: run small steps until a budget (≤ 10 ms, default 6 ms) is spent, then
 * give the main thread back and continue in a new task. Records per-slice durations for the page report
 * and the benchmark.
 *
 * Continuations are plain callbacks of ours (a MessageChannel message, or a timeout), not `await`ed
 * promises: the browser then runs each slice as a call into this script, so a trace attributes it to the
 * extension by script URL (a promise continuation is an anonymous microtask). The end-of-pass work
 * (`onDone`) runs in the task of the last slice, or in one of its own when that slice has used more than
 * half the budget.
 */

export const DEFAULT_BUDGET_MS = 6;

export interface SliceStats {
  /** Number of slices run. */
  slices: number;
  /** Longest single slice (ms), its onSlice included. */
  longestSliceMs: number;
  /** Sum of slice durations (ms): the script time spent. */
  busyMs: number;
}

export function newStats(): SliceStats {
  return { slices: 0, longestSliceMs: 0, busyMs: 0 };
}

/** Run `fn` in a later task. */
export type Schedule = (fn: () => void) => void;

let channel: MessageChannel | null = null;
const waiting: Array<() => void> = [];

function messageChannelSchedule(fn: () => void): void {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const next = waiting.shift();
      next?.();
    };
  }
  waiting.push(fn);
  channel.port2.postMessage(0);
}

/** A timeout of 0: lets the renderer paint a frame between two slices. */
export const timeoutSchedule: Schedule = (fn) => void setTimeout(fn, 0);

/** The default continuation: a MessageChannel task (no 4 ms timer clamping), else a timeout. */
export function pickSchedule(): Schedule {
  if (typeof MessageChannel === 'function') return messageChannelSchedule;
  return timeoutSchedule;
}

export interface RunOptions {
  budgetMs?: number;
  stats?: SliceStats;
  /** Stop early (checked between steps). */
  cancelled?: () => boolean;
  now?: () => number;
  /** How to continue in a later task (called before each slice after the first). */
  schedule?: Schedule;
  /**
   * Called when the work is finished (not when cancelled): in the task of the last slice, or in a task of
   * its own if that slice has used more than half the budget.
   */
  onDone?: () => void;
  /** Called at the end of every slice, in its task (before onDone on the last one); timed with the slice. */
  onSlice?: () => void;
  /** Budget of the first slice, which runs at once in the caller's task (default: budgetMs). */
  firstBudgetMs?: number;
  /**
   * With `firstMaxMs`: the first slice goes on past `firstBudgetMs`, up to `firstMaxMs` (≤ 10), until
   * this returns true (e.g. "something is painted", so the first highlights make the page's next frame).
   */
  firstDone?: () => boolean;
  firstMaxMs?: number;
}

/**
 * What a step returns: true while more work remains, false when done, or a promise when nothing can be
 * done until it settles (an answer from the extension's background): the slice ends there and the next
 * one is scheduled once it has settled.
 */
export type StepResult = boolean | PromiseLike<unknown>;

/**
 * Run `step` repeatedly in time slices. `step` does one small unit of work and returns true while
 * more work remains (see StepResult). The first slice runs at once; resolves when done or cancelled.
 */
export function runSliced(step: () => StepResult, opts: RunOptions = {}): Promise<void> {
  const budget = Math.min(opts.budgetMs ?? DEFAULT_BUDGET_MS, 10);
  const now = opts.now ?? (() => performance.now());
  const stats = opts.stats ?? newStats();
  const cancelled = opts.cancelled ?? (() => false);
  let limit = Math.min(opts.firstBudgetMs ?? budget, budget);
  let extend = opts.firstDone ? Math.min(opts.firstMaxMs ?? 0, 10) : 0;
  return new Promise<void>((resolve, reject) => {
    const finish = () => {
      try {
        if (!cancelled()) opts.onDone?.();
        resolve();
      } catch (err) {
        reject(err);
      }
    };
    const slice = () => {
      try {
        let more = !cancelled();
        let used = 0;
        let wait: PromiseLike<unknown> | null = null;
        if (more) {
          const t0 = now();
          let t = t0;
          do {
            const r = step();
            if (typeof r === 'boolean') more = r;
            else {
              wait = r;
              more = true;
            }
            t = now();
          } while (more && !wait && (t - t0 < limit || (t - t0 < extend && !opts.firstDone!())) && !cancelled());
          limit = budget;
          extend = 0;
          // The slice's end-of-slice work (painting what it found) is part of its task: timed with it.
          if (opts.onSlice) {
            opts.onSlice();
            t = now();
          }
          const d = t - t0;
          used = d;
          stats.slices++;
          stats.busyMs += d;
          if (d > stats.longestSliceMs) stats.longestSliceMs = d;
        }
        if (more && !cancelled()) {
          const next = () => (opts.schedule ?? pickSchedule())(slice);
          if (wait) wait.then(next, next);
          else next();
          return;
        }
        if (opts.onDone && !cancelled() && used > budget / 2) {
          (opts.schedule ?? pickSchedule())(finish);
          return;
        }
        finish();
      } catch (err) {
        reject(err);
      }
    };
    slice();
  });
}
