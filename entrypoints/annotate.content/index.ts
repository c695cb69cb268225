import { browser } from 'wxt/browser';
import index from 'virtual:glens-index';
import { defaultMatchPatterns } from '@/lib/scope/domains';
import { listenInContent, reportCount } from '@/lib/messaging/bus';
import type { PageReport } from '@/lib/messaging/protocol';
import { decideScope, defaultSettings, getSettings, watchSettings, type Settings } from '@/lib/settings';
import { createMatcher, type Matcher } from '@/lib/match';
import { globalSlot, removeOrphanedPaint, startAnnotator, type Annotator } from '@/lib/page';

/**
 * Wiring only (see lib/page). The same file runs from the manifest (default scope) and when injected
 * on demand by the background (scripting.executeScript + `glens:start`). A per-window Symbol slot
 * guards against double starts; WXT's context invalidates an older copy when a newer one starts, and
 * everything is undone when the extension is reloaded or updated (ctx.onInvalidated).
 */
export default defineContentScript({
  matches: defaultMatchPatterns(),
  runAt: 'document_idle',
  main(ctx) {
    const slot = globalSlot();
    let live = false;
    try {
      live = !!slot.alive?.();
    } catch {
      live = false; // a copy from an unloaded extension (Firefox nukes its sandbox: "dead object")
    }
    if (live) return; // a live copy already runs in this window
    try {
      slot.stop?.(); // an orphaned copy: undo its effects first
    } catch {
      // its code is gone; removeOrphanedPaint below undoes what it left
    }
    // Firefox runs none of an unloaded copy's code again, and re-injects this script into open tabs:
    // remove whatever an older copy left (its card host, its highlights) before starting.
    removeOrphanedPaint(document);

    let annotator: Annotator | null = null;
    let dead = false;
    let settings: Settings = defaultSettings();
    let starting: Promise<void> | null = null;
    // 'idle' until the scope decision is taken, then 'off' when this page is not annotated.
    let decided = false;
    /** Built once per content-script run (loaded from the build-time snapshot in the index). */
    let matcher: Matcher | null = null;
    const getMatcher = (): Matcher => (matcher ??= createMatcher(index));

    const stop = () => {
      annotator?.stop();
      annotator = null;
    };
    const teardown = () => {
      if (dead) return;
      dead = true;
      stop();
      unlisten();
      unwatch?.();
    };
    slot.alive = () => !dead && ctx.isValid;
    slot.stop = teardown;

    const annotatorSettings = (s: Settings) => ({ density: s.density, kinds: s.kinds, theme: s.theme });

    const start = (reason: NonNullable<PageReport['reason']>): Promise<void> => {
      if (annotator || dead) return Promise.resolve();
      if (document.designMode === 'on' || !document.documentElement) return Promise.resolve();
      annotator = startAnnotator({
        index,
        matcher: getMatcher(),
        settings: annotatorSettings(settings),
        reason,
        getCardData: (termId) => browser.runtime.sendMessage({ type: 'glens:cardData', termId }) as Promise<any>,
        onChange: (r) => void reportCount(r.terms.length),
        onLocationChange: (cb) => {
          ctx.addEventListener(window, 'wxt:locationchange', () => cb());
          return () => {};
        },
      });
      return Promise.resolve();
    };

    const idleReport = (): PageReport => ({
      url: location.href,
      title: document.title,
      state: decided ? 'off' : 'idle',
      datasetVersion: index.version,
      timing: { annotateMs: 0, longestSliceMs: 0, firstPaintMs: 0, slices: 0 },
      terms: [],
      guidance: [],
    });

    // Synchronously, before any await: the background may message right after injecting.
    const unlisten = listenInContent(async (msg) => {
      if (dead) return undefined;
      switch (msg.type) {
        case 'glens:getReport':
          return annotator ? annotator.report() : idleReport();
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
    ctx.onInvalidated(teardown);
    // WXT notices an extension reload only when the context is checked: poll cheaply.
    ctx.setInterval(() => {}, 2000);

    // Ask storage first, then load the matcher while the settings round trip is in flight.
    const settingsRead = getSettings();
    try {
      getMatcher();
    } catch {
      matcher = null; // start() retries (and reports) if it really cannot be built
    }
    starting = (async () => {
      try {
        settings = await settingsRead;
      } catch {
        settings = defaultSettings();
      }
      if (dead) return;
      const decision = decideScope(location.hostname, settings);
      decided = true;
      if (decision.on && decision.reason) await start(decision.reason);
      try {
        unwatch = watchSettings((s) => {
          settings = s;
          if (dead) return;
          if (s.paused) return stop();
          const d = decideScope(location.hostname, s);
          if (annotator && d.why === 'never') return stop();
          if (annotator) annotator.updateSettings(annotatorSettings(s));
          else if (d.on && d.reason) void start(d.reason);
        });
      } catch {
        unwatch = null;
      }
    })();
  },
});
