import * as v from 'valibot';
import { storage, type WxtStorageItem } from 'wxt/utils/storage';
import {
  SETTINGS_STORAGE_KEY,
  SETTINGS_VERSION,
  SettingsSchema,
  coerceSettings,
  defaultSettings,
  migrateV1toV2,
  type CoerceResult,
  type Settings,
  type SettingsV1,
} from './schema';

export * from './domains';
export * from './schema';
export * from './page';

/**
 * Settings: one versioned @wxt-dev/storage item (`local:settings`), validated with
 * valibot on every read. Each invalid key falls back to its default (valid keys and
 * valid list entries are kept) and a notice is recorded for the popup/options to show.
 */

/**
 * A storage item defined on first use. @wxt-dev/storage starts a versioned item's migration (two storage
 * reads) the moment it is defined: at module load that would put the storage bindings' set-up and two
 * round trips into the content script's first task on every page.
 */
function lazyItem<T>(define: () => WxtStorageItem<T, Record<string, never>>): WxtStorageItem<T, Record<string, never>> {
  let item: WxtStorageItem<T, Record<string, never>> | undefined;
  const real = () => (item ??= define());
  return {
    get key() {
      return real().key;
    },
    get defaultValue() {
      return real().defaultValue;
    },
    get fallback() {
      return real().fallback;
    },
    getValue: () => real().getValue(),
    getMeta: () => real().getMeta(),
    setValue: (value) => real().setValue(value),
    setMeta: (props) => real().setMeta(props),
    removeValue: (opts) => real().removeValue(opts),
    removeMeta: (props) => real().removeMeta(props),
    watch: (cb) => real().watch(cb),
    watchMeta: (cb) => real().watchMeta(cb),
    migrate: () => real().migrate(),
  };
}

/** The storage item. Prefer readSettings()/saveSettings(), which validate. */
export const settingsItem = /* @__PURE__ */ lazyItem(() =>
  storage.defineItem<Record<string, unknown>>(`local:${SETTINGS_STORAGE_KEY}`, {
    fallback: defaultSettings() as unknown as Record<string, unknown>,
    version: SETTINGS_VERSION,
    migrations: { 2: migrateV1toV2 },
  }),
);

/** The last time stored settings were repaired: which keys, and when. */
export interface SettingsNotice {
  keys: string[];
  at: string;
  /** 'invalid' = a stored value was invalid and reset; 'unavailable' = storage could not be read. */
  cause: 'invalid' | 'unavailable';
}
export const settingsNoticeItem = /* @__PURE__ */ lazyItem(() => storage.defineItem<SettingsNotice | null>('local:settingsNotice', { fallback: null }));

export interface ReadResult extends CoerceResult {
  /** False when storage could not be read; `settings` are then the defaults. */
  storageOk: boolean;
}

/**
 * Read settings, validated. On invalid keys the repaired value is written back and a
 * notice recorded; when storage is unavailable the defaults are returned with storageOk=false.
 */
export async function readSettings(): Promise<ReadResult> {
  let raw: unknown;
  try {
    raw = await settingsItem.getValue();
  } catch {
    return { settings: defaultSettings(), problems: [], storageOk: false };
  }
  const result = coerceSettings(raw);
  if (result.problems.length) {
    try {
      await settingsItem.setValue(result.settings as unknown as Record<string, unknown>);
      await settingsNoticeItem.setValue({ keys: result.problems, at: new Date().toISOString(), cause: 'invalid' });
    } catch {
      // Storage became read-only or unavailable; the returned value is still valid.
    }
  }
  return { ...result, storageOk: true };
}

/** Convenience: just the validated settings. */
export async function getSettings(): Promise<Settings> {
  return (await readSettings()).settings;
}

/**
 * Apply a change to the stored settings (read → validate → change → validate → write).
 * Throws with a readable message when the result would be invalid; nothing is written then.
 */
export function saveSettings(change: Partial<Settings> | ((s: Settings) => Settings)): Promise<Settings> {
  // Serialise read-modify-write cycles in this context so quick successive changes all land.
  const run = saveQueue.then(async () => {
    const { settings: current } = await readSettings();
    const next = typeof change === 'function' ? change(structuredCloneSettings(current)) : { ...current, ...change };
    const r = v.safeParse(SettingsSchema, next);
    if (!r.success) throw new Error(`Settings not saved: ${describeIssues(r.issues)}`);
    await settingsItem.setValue(r.output as unknown as Record<string, unknown>);
    return r.output as Settings;
  });
  saveQueue = run.catch(() => undefined);
  return run;
}
let saveQueue: Promise<unknown> = Promise.resolve();

/** Reset every setting to its default and clear the notice. */
export async function resetSettings(): Promise<Settings> {
  const d = defaultSettings();
  await settingsItem.setValue(d as unknown as Record<string, unknown>);
  await settingsNoticeItem.setValue(null);
  return d;
}

/** Human sentence for the visible notice. */
export function describeNotice(notice: Pick<SettingsNotice, 'keys' | 'cause'>): string {
  if (notice.cause === 'unavailable') return 'Settings storage is unavailable; the default settings are in use and changes cannot be saved.';
  return `A stored setting was invalid and has been reset: ${notice.keys.join(', ')}.`;
}

function structuredCloneSettings(s: Settings): Settings {
  return { ...s, siteModes: { ...s.siteModes }, extraDomains: [...s.extraDomains] };
}

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path?.map((p) => String((p as { key: unknown }).key)).join('.') || 'settings';
      return `${path}: ${i.message}`;
    })
    .join('; ');
}

/* ---------------------------------------------------------------- export / import */

export const SETTINGS_FILE_FORMAT = 'governance-lens-settings';

/** Settings as a JSON document (pretty-printed) for the export button. */
export function exportSettings(settings: Settings): string {
  return JSON.stringify({ format: SETTINGS_FILE_FORMAT, version: SETTINGS_VERSION, settings }, null, 2);
}

export type ImportResult = { ok: true; settings: Settings } | { ok: false; error: string };

/**
 * Parse and validate an exported settings file. Missing keys take their default; any
 * invalid or unknown key rejects the whole file (a bad file changes nothing) with the reason.
 */
export function parseSettingsFile(text: string): ImportResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `The file is not valid JSON (${(e as Error).message}).` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, error: 'The file does not contain a settings object.' };
  const d = doc as Record<string, unknown>;
  if (d.format !== SETTINGS_FILE_FORMAT) {
    return { ok: false, error: `This is not a Governance Lens settings file (expected "format": "${SETTINGS_FILE_FORMAT}").` };
  }
  if (typeof d.version !== 'number' || !Number.isInteger(d.version) || d.version < 1) {
    return { ok: false, error: 'The file has no valid "version" number.' };
  }
  if (d.version > SETTINGS_VERSION) {
    return { ok: false, error: `The file is from a newer version of Governance Lens (settings version ${d.version}; this one reads up to ${SETTINGS_VERSION}).` };
  }
  let body = d.settings;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, error: 'The file has no "settings" object.' };
  if (d.version === 1) body = migrateV1toV2(body as SettingsV1);
  const merged = { ...defaultSettings(), ...(body as object) };
  const r = v.safeParse(SettingsSchema, merged);
  if (!r.success) return { ok: false, error: `The file was not imported, nothing changed: ${describeIssues(r.issues)}.` };
  return { ok: true, settings: r.output as Settings };
}

/** Validate a file and store it. A bad file changes nothing. */
export async function importSettings(text: string): Promise<ImportResult> {
  const r = parseSettingsFile(text);
  if (r.ok) await settingsItem.setValue(r.settings as unknown as Record<string, unknown>);
  return r;
}

