import { browser } from 'wxt/browser';
import { fetchPageSettings, type RawPageSettings } from './prefetch';
import { SETTINGS_META_KEY, SETTINGS_STORAGE_KEY, SETTINGS_VERSION, coerceSettings, defaultSettings, migrateV1toV2, type Settings, type SettingsV1 } from './schema';

/**
 * The content script's read, on every page load: ONE `storage.local.get` of the value and its version
 * meta (through the item it would be two or three round trips, the first at definition). A version-1
 * value is migrated in memory (the background, which defines the item, migrates the stored one). Invalid
 * keys read as their defaults here; the stored value is repaired, and the notice recorded, by the first
 * readSettings() of the background or the popup (a content script does not write). `prefetched`: the
 * read the document_start script started (lib/settings/prefetch.ts).
 */
export async function readPageSettings(prefetched?: Promise<RawPageSettings>): Promise<Settings> {
  let got: RawPageSettings;
  try {
    got = await (prefetched ?? fetchPageSettings());
  } catch {
    return defaultSettings();
  }
  return pageSettingsFrom(got);
}

/** Validated settings from what the settings read returned (migrated in memory when older; see above). */
export function pageSettingsFrom(got: RawPageSettings | null | undefined): Settings {
  let raw = got?.[SETTINGS_STORAGE_KEY];
  const meta = got?.[SETTINGS_META_KEY] as { v?: unknown } | null | undefined;
  const version = typeof meta?.v === 'number' ? meta.v : 1;
  if (raw != null && version < SETTINGS_VERSION) raw = migrateV1toV2(raw as SettingsV1);
  return coerceSettings(raw).settings;
}

/**
 * Watch settings (live updates for open tabs); the callback receives validated settings.
 * Returns the unwatch function.
 */
export function watchSettings(cb: (settings: Settings) => void): () => void {
  // storage.onChanged directly (what the item's watch() does), so a content script that only reads and
  // watches never defines the item (see readPageSettings).
  const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== 'local' || !(SETTINGS_STORAGE_KEY in changes)) return;
    cb(coerceSettings(changes[SETTINGS_STORAGE_KEY].newValue).settings);
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
}

