import type { CDPSession } from 'playwright-core';
import { CONTENT_SCRIPT_FILE } from '../../lib/scope/domains';

/**
 * Chromium trace capture and attribution of main-thread work to the extension.
 *
 * Method (documented in the bench output too):
 * 1. Record `devtools.timeline`, `disabled-by-default-devtools.timeline` (RunTask) and `v8.execute`
 *    (RunMicrotasks). The JS sampler (`disabled-by-default-v8.cpu_profiler`, ~0.2 ms interval) is opt-in
 *    (BENCH_PROFILER=1): it slows cold JS 2–4× and so inflates every time it is meant to attribute. The
 *    extension runs all of its page work in callbacks of its own script (timeouts, MessageChannel,
 *    idle callbacks, message and mutation listeners), so URL attribution alone finds it.
 * 2. The page's renderer main thread is the thread where the extension's content script was evaluated
 *    (an EvaluateScript/FunctionCall event whose `args.data.url` is chrome-extension://ID/…).
 * 3. On that thread take the OUTERMOST script events (EvaluateScript, FunctionCall, RunMicrotasks,
 *    TimerFire, FireAnimationFrame, FireIdleCallback, EventDispatch, v8.run, v8.compile, …); nested
 *    events are inside them, so summing outermost events never double counts.
 * 4. An outermost event counts whole when it carries the extension URL itself, or when it is URL-less
 *    (RunMicrotasks, TimerFire…) and holds extension-URL events but no page script, or holds no URL events
 *    and at least half of its JS CPU samples have an extension frame on the stack (continuations after
 *    `await scheduler.yield()`). When page script and extension events share one outermost event (our
 *    MutationObserver callback delivered at the end of a page callback), only the nested extension events
 *    count.
 * 5. Extension script time = Σ of those wall durations (GC, forced layout and native calls made from the
 *    extension's script are included; style/layout/paint outside script events are not). Thread (CPU)
 *    time and the sampled time (Σ sample intervals with an extension frame) are reported as cross-checks.
 * 6. A task "holds extension work" when a top-level RunTask contains an extension event.
 */

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  id?: string;
  args?: any;
}

export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  // JS samples attribute URL-less events (RunMicrotasks after `await`) to the extension. Opt-in
  // (BENCH_PROFILER=1) as a cross-check: the sampler's own cost inflates the times 2–4×.
  ...(process.env.BENCH_PROFILER ? ['disabled-by-default-v8.cpu_profiler'] : []),
];

/**
 * Start a trace. `profiler: false` drops the JS sampler (cheaper; then only events that carry the
 * extension's URL are attributed — the content script's evaluation and URL-carrying callbacks, not
 * URL-less microtask continuations).
 */
export async function startTrace(cdp: CDPSession, opts: { profiler?: boolean } = {}): Promise<void> {
  const categories = opts.profiler === false ? TRACE_CATEGORIES.filter((c) => !c.includes('cpu_profiler')) : TRACE_CATEGORIES;
  await cdp.send('Tracing.start', {
    traceConfig: { recordMode: 'recordAsMuchAsPossible', includedCategories: categories },
    transferMode: 'ReturnAsStream',
  });
}

export async function stopTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const done = new Promise<any>((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.end');
  const { stream } = await done;
  const chunks: string[] = [];
  for (;;) {
    const r: any = await cdp.send('IO.read', { handle: stream, size: 1 << 22 });
    chunks.push(r.base64Encoded ? Buffer.from(r.data, 'base64').toString('utf8') : r.data);
    if (r.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const parsed = JSON.parse(chunks.join(''));
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

const SCRIPT_EVENTS = new Set([
  'EvaluateScript',
  'FunctionCall',
  'RunMicrotasks',
  'TimerFire',
  'FireAnimationFrame',
  'FireIdleCallback',
  'EventDispatch',
  'v8.run',
  'v8.compile',
  'v8.callFunction',
  'v8.evaluateModule',
  'V8.Execute',
  'RunYieldContinuation',
  'XHRReadyStateChange',
  'ScheduleYieldContinuation',
]);

function eventUrl(e: TraceEvent): string | undefined {
  const d = e.args?.data ?? e.args;
  if (!d) return undefined;
  return d.url ?? d.scriptName ?? d.fileName ?? d.stackTrace?.[0]?.url;
}

export interface ExtensionTraceStats {
  /** Σ wall ms of outermost extension script events. */
  scriptMs: number;
  /** Σ thread (CPU) ms of the same events. */
  threadMs: number;
  /** Σ CPU-profile sample intervals with an extension frame on the stack. */
  sampledMs: number;
  /** Number of outermost extension script events (≈ slices). */
  events: number;
  /** Longest top-level task that contains extension work, ms. */
  longestTaskMs: number;
  /** The most thread (CPU) time of any such task, ms (robust when the machine is loaded). */
  longestTaskCpuMs: number;
  /** The most extension script time inside any one task, ms (the extension's own share of its longest task). */
  longestExtInTaskMs: number;
  /** The same in thread (CPU) time: robust when a loaded machine deschedules the renderer. */
  longestExtInTaskCpuMs: number;
  /** Tasks holding extension work that are ≥ 50 ms. */
  longTasks: number;
  tasks: number;
  /** Script start (the content script's evaluation) → end of the last extension event, ms. */
  spanMs: number;
  /** Script start → `console.timeStamp(marker)` from the in-page poller, ms (undefined if absent). */
  firstMarkMs?: number;
  /**
   * Script start → end of the first Paint on the page thread after the marker: when the first range is
   * on screen (the marker fires in rAF, before that frame's style recalculation, layout and paint).
   */
  firstPaintedMs?: number;
  /** Longest single extension script event, ms. */
  longestEventMs: number;
  /**
   * Longest extension script event after the script's evaluation (the slices and start-up steps), wall
   * and thread (CPU) ms: what the slice budget governs, with and without the time a loaded machine takes
   * the core away.
   */
  longestAfterEvalMs: number;
  longestAfterEvalCpuMs: number;
  /** Those events (issue 5's slices), and how many of them took over 10 ms, by wall and by thread (CPU) time. */
  slicesAfterEval: number;
  slicesOver10Wall: number;
  slicesOver10Cpu: number;
  /** 99th percentile of their wall durations, ms. */
  sliceP99Ms: number;
  /**
   * Σ style recalculation (UpdateLayoutTree) after the content script's evaluation, wall ms, and the
   * longest one. On the generated pages (no page script) all of it follows from the extension's changes.
   */
  restyleMs: number;
  longestRestyleMs: number;
  /**
   * Σ pre-paint and paint (PrePaint + outermost Paint) after the content script's evaluation, wall ms,
   * and the most of it in one task. Chromium rebuilds its markers for every highlighted range in the
   * pre-paint after each change to a highlight. On the generated pages all of it follows from the
   * extension's changes, apart from the page's own first frames.
   */
  paintMs: number;
  longestPaintInTaskMs: number;
  found: boolean;
}

interface Sample {
  t: number;
  dt: number;
  ext: boolean;
  js: boolean;
}

function samplesFor(events: TraceEvent[], pid: number, tid: number, extOrigin: string): Sample[] {
  const profile = events.find((e) => e.name === 'Profile' && e.pid === pid && e.tid === tid);
  if (!profile) return [];
  const chunks = events.filter((e) => e.name === 'ProfileChunk' && e.pid === pid && e.id === profile.id);
  const parent = new Map<number, number>();
  const url = new Map<number, string>();
  const fname = new Map<number, string>();
  const ids: number[] = [];
  const deltas: number[] = [];
  for (const c of chunks) {
    const cp = c.args?.data?.cpuProfile;
    for (const n of cp?.nodes ?? []) {
      if (n.parent !== undefined) parent.set(n.id, n.parent);
      url.set(n.id, n.callFrame?.url ?? '');
      fname.set(n.id, n.callFrame?.functionName ?? '');
    }
    ids.push(...(cp?.samples ?? []));
    deltas.push(...(c.args?.data?.timeDeltas ?? []));
  }
  const extMemo = new Map<number, boolean>();
  const isExt = (id: number): boolean => {
    const m = extMemo.get(id);
    if (m !== undefined) return m;
    let v = (url.get(id) ?? '').startsWith(extOrigin);
    if (!v && parent.has(id)) v = isExt(parent.get(id)!);
    extMemo.set(id, v);
    return v;
  };
  const out: Sample[] = [];
  let t = profile.args?.data?.startTime ?? profile.ts;
  for (let i = 0; i < ids.length; i++) {
    t += deltas[i] ?? 0;
    const f = fname.get(ids[i]) ?? '';
    out.push({ t, dt: 0, ext: isExt(ids[i]), js: !['(idle)', '(program)', '(root)'].includes(f) });
  }
  for (let i = 0; i < out.length; i++) out[i].dt = i + 1 < out.length ? Math.min(out[i + 1].t - out[i].t, 5000) : 0;
  return out;
}

/** Attribute main-thread work to the extension (see the method above). */
export function analyzeTrace(events: TraceEvent[], extensionId: string, marker = 'glens-first-range', contentScript = CONTENT_SCRIPT_FILE): ExtensionTraceStats {
  const extOrigin = `chrome-extension://${extensionId}/`;
  const empty: ExtensionTraceStats = {
    scriptMs: 0, threadMs: 0, sampledMs: 0, events: 0, longestTaskMs: 0, longestTaskCpuMs: 0, longestExtInTaskMs: 0, longestExtInTaskCpuMs: 0, longTasks: 0, tasks: 0, spanMs: 0,
    longestEventMs: 0, longestAfterEvalMs: 0, longestAfterEvalCpuMs: 0, slicesAfterEval: 0, slicesOver10Wall: 0, slicesOver10Cpu: 0, sliceP99Ms: 0, restyleMs: 0, longestRestyleMs: 0, paintMs: 0, longestPaintInTaskMs: 0, found: false,
  };
  // The page's main thread: where the content script was evaluated or called; failing that (a trace
  // that starts after the script ran), the thread whose JS samples contain the extension's frames.
  let anchor: { pid: number; tid: number } | undefined = events.find(
    (e) => (e.name === 'EvaluateScript' || e.name === 'FunctionCall' || e.name === 'v8.compile') && (eventUrl(e) ?? '').startsWith(extOrigin),
  );
  if (!anchor) {
    for (const p of events.filter((e) => e.name === 'Profile')) {
      if (samplesFor(events, p.pid, p.tid, extOrigin).some((x) => x.ext)) {
        anchor = p;
        break;
      }
    }
  }
  if (!anchor) return empty;
  const { pid, tid } = anchor;
  const thread = events
    .filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && typeof e.dur === 'number')
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const samples = samplesFor(events, pid, tid, extOrigin);

  // Outermost script events, with the extension-URL events nested in them (first level only) and whether
  // script from another URL (the page's) is nested in them too.
  interface Top { e: TraceEvent; end: number; ownExt: boolean; ownForeign: boolean; extNested: number; extNestedCpu: number; nestedEnd: number; foreignNested: boolean; ms: number; cpu: number }
  const tops: Top[] = [];
  let cur: Top | undefined;
  for (const e of thread) {
    const end = e.ts + (e.dur ?? 0);
    const url = eventUrl(e) ?? '';
    if (cur && e.ts < cur.end) {
      if (url.startsWith(extOrigin)) {
        if (e.ts >= cur.nestedEnd) {
          cur.extNested += e.dur ?? 0;
          cur.extNestedCpu += e.tdur ?? e.dur ?? 0;
          cur.nestedEnd = end;
        }
      } else if (url && (e.name === 'FunctionCall' || e.name === 'EvaluateScript')) cur.foreignNested = true;
      continue;
    }
    if (SCRIPT_EVENTS.has(e.name)) {
      const ownExt = url.startsWith(extOrigin);
      cur = { e, end, ownExt, ownForeign: !!url && !ownExt, extNested: 0, extNestedCpu: 0, nestedEnd: -1, foreignNested: false, ms: 0, cpu: 0 };
      tops.push(cur);
    } else if (cur && e.ts >= cur.end) {
      cur = undefined;
    }
  }
  // How much of each outermost event is the extension's:
  // - its own URL is the extension's → all of it;
  // - its own URL is the page's (e.g. a page rAF callback whose microtask checkpoint delivers our
  //   MutationObserver records) → only the extension-URL events nested in it;
  // - URL-less (RunMicrotasks, …): all of it when it holds extension events and no page script, only
  //   the nested extension events when it holds both; with no URL events at all, all of it when at least
  //   half of its JS CPU samples have an extension frame on the stack.
  let si = 0;
  const extTops: Top[] = [];
  for (const top of tops) {
    const dur = top.e.dur ?? 0;
    const cpu = top.e.tdur ?? dur;
    if (top.ownExt) [top.ms, top.cpu] = [dur, cpu];
    else if (top.ownForeign || (top.extNested > 0 && top.foreignNested)) [top.ms, top.cpu] = [top.extNested, top.extNestedCpu];
    else if (top.extNested > 0) [top.ms, top.cpu] = [dur, cpu];
    else {
      while (si < samples.length && samples[si].t < top.e.ts) si++;
      let js = 0;
      let ext = 0;
      for (let k = si; k < samples.length && samples[k].t <= top.end; k++) {
        if (samples[k].js) js++;
        if (samples[k].ext) ext++;
      }
      if (ext > 0 && ext * 2 >= js) [top.ms, top.cpu] = [dur, cpu];
    }
    if (top.ms > 0) extTops.push(top);
  }
  if (!extTops.length) return { ...empty, found: true };
  const us = (x: number) => x / 1000;
  const scriptMs = us(extTops.reduce((s, t) => s + t.ms, 0));
  const threadMs = us(extTops.reduce((s, t) => s + t.cpu, 0));
  const sampledMs = us(samples.filter((s) => s.ext).reduce((s, x) => s + x.dt, 0));
  const longestEventMs = us(Math.max(...extTops.map((t) => t.ms)));
  // Script start: the content script's evaluation. The document_start sheet script (entrypoints/
  // highlight-sheet) runs long before, while the page is still being parsed; its time counts in
  // scriptMs, but the first range is timed from the content script, which does the work.
  const csTop = extTops.find((t) => t.e.name === 'EvaluateScript' && (eventUrl(t.e) ?? '').endsWith(`/${contentScript}`));
  const start = (csTop ?? extTops[0]).e.ts;
  const spanMs = us(Math.max(...extTops.map((t) => t.end)) - start);

  // Top-level tasks holding extension work.
  const runTasks = thread.filter((e) => e.name === 'RunTask');
  const topTasks: TraceEvent[] = [];
  let tEnd = -1;
  for (const t of runTasks) {
    if (t.ts >= tEnd) {
      topTasks.push(t);
      tEnd = t.ts + (t.dur ?? 0);
    }
  }
  let ti = 0;
  const holding = new Set<TraceEvent>();
  const extIn = new Map<TraceEvent, number>();
  const extInCpu = new Map<TraceEvent, number>();
  for (const top of extTops) {
    while (ti < topTasks.length && topTasks[ti].ts + (topTasks[ti].dur ?? 0) < top.e.ts) ti++;
    const t = topTasks[ti];
    if (t && t.ts <= top.e.ts) {
      holding.add(t);
      extIn.set(t, (extIn.get(t) ?? 0) + top.ms);
      extInCpu.set(t, (extInCpu.get(t) ?? 0) + top.cpu);
    }
  }
  const durs = [...holding].map((t) => us(t.dur ?? 0));
  const cpus = [...holding].map((t) => us(t.tdur ?? t.dur ?? 0));
  // Extension events outside any RunTask (should not happen) count as their own task.
  const longestTaskMs = Math.max(0, ...durs, holding.size ? 0 : longestEventMs);
  const afterEval = extTops.filter((t) => t.e.name !== 'EvaluateScript');
  const restyles = thread.filter((e) => e.name === 'UpdateLayoutTree' && e.ts >= start);
  // Pre-paint and paint per top-level task (nested Paint events inside a Paint are not counted twice).
  const paintIn = new Map<TraceEvent, number>();
  let pEnd = -1;
  let pi = 0;
  for (const e of thread) {
    if (e.ts < start || (e.name !== 'PrePaint' && e.name !== 'Paint')) continue;
    if (e.name === 'Paint' && e.ts < pEnd) continue;
    if (e.name === 'Paint') pEnd = e.ts + (e.dur ?? 0);
    while (pi < topTasks.length && topTasks[pi].ts + (topTasks[pi].dur ?? 0) < e.ts) pi++;
    const t = topTasks[pi];
    if (t && t.ts <= e.ts) paintIn.set(t, (paintIn.get(t) ?? 0) + (e.dur ?? 0));
  }
  const mark = events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === marker && e.pid === pid);
  const painted = mark ? thread.find((e) => e.name === 'Paint' && e.ts >= mark.ts) : undefined;
  return {
    scriptMs,
    threadMs,
    sampledMs,
    events: extTops.length,
    longestTaskMs,
    longestTaskCpuMs: Math.max(0, ...cpus),
    longestExtInTaskMs: us(Math.max(0, ...extIn.values(), holding.size ? 0 : longestEventMs * 1000)),
    longestExtInTaskCpuMs: us(Math.max(0, ...extInCpu.values())),
    longTasks: durs.filter((d) => d >= 50).length,
    tasks: holding.size,
    spanMs,
    firstMarkMs: mark ? us(mark.ts - start) : undefined,
    firstPaintedMs: painted ? us(painted.ts + (painted.dur ?? 0) - start) : undefined,
    longestEventMs,
    longestAfterEvalMs: us(Math.max(0, ...afterEval.map((t) => t.ms))),
    longestAfterEvalCpuMs: us(Math.max(0, ...afterEval.map((t) => t.cpu))),
    slicesAfterEval: afterEval.length,
    slicesOver10Wall: afterEval.filter((t) => t.ms > 10_000).length,
    slicesOver10Cpu: afterEval.filter((t) => t.cpu > 10_000).length,
    sliceP99Ms: afterEval.length ? us(afterEval.map((t) => t.ms).sort((a, b) => a - b)[Math.min(afterEval.length - 1, Math.floor(afterEval.length * 0.99))]) : 0,
    restyleMs: us(restyles.reduce((a, e) => a + (e.dur ?? 0), 0)),
    longestRestyleMs: us(Math.max(0, ...restyles.map((e) => e.dur ?? 0))),
    paintMs: us([...paintIn.values()].reduce((a, b) => a + b, 0)),
    longestPaintInTaskMs: us(Math.max(0, ...paintIn.values())),
    found: true,
  };
}

/**
 * Durations between `console.timeStamp('<prefix>-start')` / `('<prefix>-end')` pairs on one thread:
 * wall (ts) and thread CPU (tts) ms. Used to time the floor under the same tracing as the extension.
 */
export function markedSpans(events: TraceEvent[], prefix = 'glens-floor'): { wallMs: number; cpuMs: number }[] {
  const marks = events
    .filter((e) => e.name === 'TimeStamp' && typeof e.args?.data?.message === 'string' && e.args.data.message.startsWith(prefix))
    .sort((a, b) => a.ts - b.ts);
  const out: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 0; i + 1 < marks.length; i++) {
    const a = marks[i] as TraceEvent & { tts?: number };
    const b = marks[i + 1] as TraceEvent & { tts?: number };
    if (a.args.data.message === `${prefix}-start` && b.args.data.message === `${prefix}-end` && a.tid === b.tid) {
      out.push({ wallMs: (b.ts - a.ts) / 1000, cpuMs: a.tts !== undefined && b.tts !== undefined ? (b.tts - a.tts) / 1000 : NaN });
      i++;
    }
  }
  return out;
}
