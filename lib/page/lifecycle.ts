/**
 * The content script's lifetime, without telling the page anything.
 *
 * WXT's ContentScriptContext announces every start with `window.postMessage({type:
 * '<extension id>:annotate:wxt:content-script-started'})`, which any page script can read: every page in
 * scope would learn that the reader runs this extension, and its id. We run the content script as a plain
 * (unlisted) script instead, and notice an extension reload or update by polling the runtime id, which the
 * browser clears in an orphaned copy. A newer copy in the same window finds the older one through the
 * per-window slot (lib/page globalSlot) and stops it first; nothing goes through the page's DOM or events.
 */

export interface Lifecycle {
  /** False once the extension context is gone (reloaded, updated, uninstalled) or invalidate() ran. */
  readonly isValid: boolean;
  /** Run `cb` once when the lifecycle ends; returns an unsubscribe function. */
  onInvalidated(cb: () => void): () => void;
  /** End the lifecycle now (runs every onInvalidated callback once). */
  invalidate(): void;
}

export interface LifecycleOptions {
  /** True while the extension context lives (the entrypoint passes `() => browser.runtime?.id != null`). */
  alive: () => boolean;
  /** How often `alive` is polled (ms). */
  pollMs?: number;
}

/**
 * Create a lifecycle that ends when `alive()` turns false (checked every `pollMs`, default 2 s, and on
 * every `isValid` read) or when `invalidate()` is called.
 */
export function createLifecycle(opts: LifecycleOptions): Lifecycle {
  const callbacks = new Set<() => void>();
  let ended = false;
  let timer: ReturnType<typeof setInterval> | null = null;
  const alive = (): boolean => {
    try {
      return opts.alive();
    } catch {
      return false; // Firefox: a dead wrapper of an unloaded extension throws
    }
  };
  const end = () => {
    if (ended) return;
    ended = true;
    if (timer !== null) clearInterval(timer);
    timer = null;
    for (const cb of [...callbacks]) {
      try {
        cb();
      } catch {
        // one failing undo must not keep the others from running
      }
    }
    callbacks.clear();
  };
  timer = setInterval(() => {
    if (!alive()) end();
  }, opts.pollMs ?? 2000);
  return {
    get isValid() {
      if (!ended && !alive()) end();
      return !ended;
    },
    onInvalidated(cb) {
      if (ended) {
        cb();
        return () => {};
      }
      callbacks.add(cb);
      return () => callbacks.delete(cb);
    },
    invalidate: end,
  };
}
