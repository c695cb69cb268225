import { browser } from 'wxt/browser';
import { DATASET_VERSION, loadIndex } from 'virtual:glens-index';
import { listenInContent, reportCount, requestDiscovery, requestMatch } from '@/lib/messaging/bus';
import type { PageReport } from '@/lib/messaging/protocol';
import { decideScope, defaultSettings, type Settings } from '@/lib/settings/schema';
import { pageSettingsFrom, readPageSettings, watchSettings } from '@/lib/settings/page';
import { createMatcher, type Matcher } from '@/lib/match';
import { globalSlot, removeOrphanedPaint, startAnnotator, type Annotator } from '@/lib/page';
import { releaseHighlightSheet } from '@/lib/page/early-sheet';
import { createLifecycle, type Lifecycle } from '@/lib/page/lifecycle';
import type { CompiledIndex } from '@/lib/dataset/types';

/**
 * Wiring only (see lib/page). The same file runs from the manifest's content_scripts (default scope),
 * from registered content scripts ("Always on this site"), and when injected on demand by the background
 * (scripting.executeScript + `glens:start`).
 *
 * It is a plain (unlisted) script, not a WXT content script: WXT's context posts a message to the page
 * on every start, which would tell any page the reader runs this extension (lib/page/lifecycle.ts).
 *
 * Start-up is spread over several short tasks, so no single task of the page is long: the first one
 * (this script's evaluation) only registers the message listener; the next asks for the settings,
 * parses the dataset and loads the matcher, and once the settings have arrived, a page in scope gets its
 * annotator and first slice in a task of their own. A per-window Symbol slot guards
 * against double starts; everything is undone when the extension is reloaded or updated.
 */
export default defineUnlistedScript(() => {
  runAnnotateScript(createLifecycle({ alive: () => browser.runtime?.id != null }));
});

/**
 * Run `fn` in a new task and resolve with its result. A callback of ours (not an awaited timer) so the
 * work is a call into this script, attributed to the extension in a trace (scripts/bench).
 */
const inNextTask = <T>(fn: () => T): Promise<T> =>
  new Promise((resolve, reject) =>
    setTimeout(() => {
      const t = performance.now();
      try {
        resolve(fn());
      } catch (err) {
        reject(err);
      } finally {
        startupTask(t);
      }
    }, 0),
  );

/** The longest start-up task so far (ms; reported as timing.startupMs). */
let startupMs = 0;
/** Record a start-up task that began at `t` and ends now. */
const startupTask = (t: number): void => {
  startupMs = Math.max(startupMs, performance.now() - t);
};

/**
 * Start-up work (ms) after which the annotator starts in a task of its own rather than the settings task.
 * Merged, the task stays under 10 ms: this, ~1.5 ms of set-up, and a first slice of at least 2 ms (with
 * its painting).
 */
const MERGED_START_MS = 5;

/** The content script's logic, given its lifecycle (tests pass their own). */
export function runAnnotateScript(life: Lifecycle): void {
  const t0 = performance.now();
  try {
    runScript(life);
  } finally {
    startupTask(t0);
  }
}

function runScript(life: Lifecycle): void {
  const slot = globalSlot();
  let live = false;
  try {
    live = !!slot.alive?.();
  } catch {
    live = false; // a copy from an unloaded extension (Firefox nukes its sandbox: "dead object")
  }
  if (live) {
    life.invalidate(); // a live copy already runs in this window (and this lifecycle's timer must stop)
    return;
  }
  try {
    slot.stop?.(); // an orphaned copy: undo its effects first
  } catch {
    // its code is gone; removeOrphanedPaint below undoes what it left
  }
  // Firefox runs none of an unloaded copy's code again, and re-injects this script into open tabs:
  // remove whatever an older copy left (its card host, its highlights) before starting.
  removeOrphanedPaint(document, slot.sheet?.doc === document ? slot.sheet.sheet : null);

  // The settings read the document_start script started (its reply is usually in by now).
  const prefetched = slot.settings;
  slot.settings = undefined;

  let annotator: Annotator | null = null;
  /** The count the badge was last sent. */
  let lastCount = -1;
  let dead = false;
  let settings: Settings = defaultSettings();
  let starting: Promise<void> | null = null;
  // 'idle' until the scope decision is taken, then 'off' when this page is not annotated.
  let decided = false;
  /** Parsed and loaded once per run (while the settings are read: the script runs where it is wanted). */
  let index: CompiledIndex | null = null;
  let matcher: Matcher | null = null;
  const getIndex = (): CompiledIndex => (index ??= loadIndex());
  // Not warmed up (lib/match/warmup.ts) as the background's is: here the warm-up ran cold in a start-up task
  // (that task took 14–46 ms on the real pages' e2e, 10–18 ms without), for a gain within the noise.
  const getMatcher = (): Matcher => (matcher ??= createMatcher(getIndex()));

  const stop = () => {
    annotator?.stop();
    annotator = null;
  };
  const teardown = () => {
    if (dead) return;
    dead = true;
    stop();
    releaseHighlightSheet(document);
    unlisten();
    unwatch?.();
    life.invalidate();
  };
  slot.alive = () => !dead && life.isValid;
  slot.stop = teardown;

  const annotatorSettings = (s: Settings) => ({ density: s.density, kinds: s.kinds, theme: s.theme });

  const canStart = () => !annotator && !dead && document.designMode !== 'on' && !!document.documentElement;
  const start = async (reason: NonNullable<PageReport['reason']>): Promise<void> => {
    if (!canStart()) return;
    // Its own task (the settings reply came in the last one); the first slice runs in it.
    await inNextTask(() => startNow(reason));
  };
  const startNow = (reason: NonNullable<PageReport['reason']>, taskStart?: number): void => {
    if (annotator || dead) return;
    lastCount = -1;
    annotator = startAnnotator({
      taskStart,
      index: getIndex(),
      matcher: getMatcher(),
      settings: annotatorSettings(settings),
      reason,
      getCardData: (termId) => browser.runtime.sendMessage({ type: 'glens:cardData', termId }) as Promise<any>,
      // Fuzzy discovery runs in the background, off the page's main thread, and only there (no
      // `discoverLocal`): leaving fuse.js and the discovery code out of this script cut its evaluation on a
      // page's cold start from ~15 to ~10 ms of CPU (Chromium, 15 + 15 loads). If the background fails, the
      // page keeps its exact matches without discovered variants.
      discoverRemote: requestDiscovery,
      // So does exact matching, after the first few thousand characters (here again if that fails).
      matchRemote: requestMatch,
      // The badge: only when the count changes (a pass reports a change after most slices).
      onChange: (c) => {
        if (c.terms === lastCount) return;
        lastCount = c.terms;
        void reportCount(c.terms);
      },
    });
  };

  const withStartup = (r: PageReport): PageReport => ({ ...r, timing: { ...r.timing, startupMs: Math.round(startupMs * 10) / 10 } });
  const idleReport = (): PageReport => ({
    url: location.href,
    title: document.title,
    state: decided ? 'off' : 'idle',
    datasetVersion: DATASET_VERSION,
    timing: { annotateMs: 0, longestSliceMs: 0, firstPaintMs: 0, slices: 0 },
    terms: [],
    guidance: [],
  });

  // Synchronously, before any await: the background may message right after injecting.
  const unlisten = listenInContent(async (msg) => {
    if (dead) return undefined;
    switch (msg.type) {
      case 'glens:getReport':
        return withStartup(annotator ? annotator.report() : idleReport());
      case 'glens:focusTerm':
        return annotator ? annotator.focusTerm(msg.termId) : false;
      case 'glens:navigate':
        if (!annotator) return false;
        return msg.direction === 'next' ? annotator.next() : annotator.previous();
      case 'glens:start':
        await starting;
        if (settings.paused) return { ok: false, error: 'Paused everywhere.' };
        await start(msg.reason);
        return { ok: true };
    }
  });

  let unwatch: (() => void) | null = null;
  life.onInvalidated(teardown);

  // Settings are read in the next task (the first storage call sets up the browser's bindings: not
  // in the task that evaluated this script); the annotator starts in the task after they arrive.
  starting = (async () => {
    // While the settings round trip is in flight: parse the dataset and load the matcher (one task: one
    // wait fewer behind the page's own tasks). The script only runs on pages in scope or asked for, so
    // this is rarely wasted.
    const read = await inNextTask(() => {
      if (dead) return null;
      const taskStart = performance.now();
      // The document_start script's reply, when it is already in (it usually is).
      const early = prefetched ? slot.settingsValue : undefined;
      if (prefetched) delete slot.settingsValue;
      try {
        getMatcher(); // parses the dataset too; the prebuilt trie loads lazily, so this task stays short
      } catch {
        index = null; // startNow() retries (and reports) if it really cannot be built
        matcher = null;
      }
      if (early === undefined) return { r: readPageSettings(prefetched) }; // boxed: not adopted by the task's promise
      // Settings in hand and this task still short (the code is warm: a page after the first on this
      // site): start here rather than one task later, behind whatever the page queued meanwhile. A cold
      // start (the first page) has spent its ~8 ms already and starts in a task of its own below.
      const s = pageSettingsFrom(early);
      if (performance.now() - taskStart < MERGED_START_MS && !s.paused && canStart()) {
        const decision = decideScope(location.hostname, s);
        if (decision.on && decision.reason) {
          settings = s;
          startNow(decision.reason, taskStart);
        }
      }
      return { r: Promise.resolve(s) };
    });
    if (!read || dead) return;
    try {
      settings = await read.r;
    } catch {
      settings = defaultSettings();
    }
    if (dead) return;
    const decision = decideScope(location.hostname, settings);
    decided = true;
    if (decision.on && decision.reason) await start(decision.reason);
    // Not annotated (off here, paused, out of scope, or in design mode): leave the page without our
    // document_start sheet.
    if (!annotator) releaseHighlightSheet(document);
    const onSettings = (s: Settings) => {
      settings = s;
      if (dead) return;
      if (s.paused) return stop();
      const d = decideScope(location.hostname, s);
      if (annotator && d.why === 'never') return stop();
      if (annotator) annotator.updateSettings(annotatorSettings(s));
      else if (d.on && d.reason) void start(d.reason);
    };
    try {
      unwatch = watchSettings(onSettings);
    } catch {
      unwatch = null;
    }
    // The prefetched value was read at document_start: a change saved before the watch above began would
    // be missed, so read once more now that it runs (a cheap round trip, off the start-up path).
    if (prefetched && !dead) {
      const fresh = await readPageSettings();
      if (!dead && JSON.stringify(fresh) !== JSON.stringify(settings)) onSettings(fresh);
    }
  })();
}
