import { browser } from 'wxt/browser';
import { SETTINGS_META_KEY, SETTINGS_STORAGE_KEY, SETTINGS_VERSION } from './keys';
import { decideScope } from './scope';
import type { Settings } from './schema';

/** What `storage.local.get` returns for the settings and their version meta (not yet validated). */
export type RawPageSettings = Record<string, unknown>;

/**
 * Start the page's one settings read (the raw value and its version meta; readPageSettings validates it).
 * The document_start script starts it, so the reply is in by the time the content script runs and the
 * annotator need not wait for a round trip behind the page's own load tasks. No validation library here:
 * this runs on every page in scope, before the page is parsed.
 */
export function fetchPageSettings(): Promise<RawPageSettings> {
  return browser.storage.local.get([SETTINGS_STORAGE_KEY, SETTINGS_META_KEY]) as Promise<RawPageSettings>;
}

/**
 * True when the prefetched settings clearly turn this page off (paused everywhere, or Never on this
 * site), judged without the validation library; anything unclear returns false and the content script,
 * which validates, decides. The document_start script removes its sheet at once then: removed before the
 * page is first styled, it costs nothing, while removing it later restyles the whole page again.
 */
export function prefetchSaysOff(host: string, raw: RawPageSettings | null | undefined): boolean {
  try {
    const s = raw?.[SETTINGS_STORAGE_KEY] as Partial<Settings> | null | undefined;
    const meta = raw?.[SETTINGS_META_KEY] as { v?: unknown } | null | undefined;
    if (!s || typeof s !== 'object' || meta?.v !== SETTINGS_VERSION) return false;
    if (s.paused === true) return true;
    const siteModes = s.siteModes && typeof s.siteModes === 'object' ? s.siteModes : {};
    return decideScope(host, { paused: false, siteModes, extraDomains: [] } as unknown as Settings).why === 'never';
  } catch {
    return false;
  }
}
