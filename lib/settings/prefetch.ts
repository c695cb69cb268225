import { browser } from 'wxt/browser';
import { SETTINGS_META_KEY, SETTINGS_STORAGE_KEY } from './keys';

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
