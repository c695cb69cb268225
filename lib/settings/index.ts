import * as v from 'valibot';
import { storage } from 'wxt/utils/storage';
import { hostInDomain } from '@/lib/scope/domains';
import { defaultDomainFor, isValidStoredHost } from './domains';

export * from './domains';

/**
 * Settings: one versioned @wxt-dev/storage item (`local:settings`), validated with
 * valibot on every read. Each invalid key falls back to its default (valid keys and
 * valid list entries are kept) and a notice is recorded for the popup/options to show.
 */

export type SiteMode = 'always' | 'never';
export type Density = 'all' | 'first-per-section';
export type Kinds = 'guided' | 'all';
export type Theme = 'auto' | 'light' | 'dark';

export interface Settings {
  /** Pause everywhere: no page is annotated, not even on demand. */
  paused: boolean;
  /** Per-site choice; a key covers the domain and its subdomains; the most specific key wins. */
  siteModes: Record<string, SiteMode>;
  /** Domains the person added to the default scope (each covers its subdomains). */
  extraDomains: string[];
  density: Density;
  /** 'guided': only terms tied to ISOC guidance; 'all': every glossary term. */
  kinds: Kinds;
  theme: Theme;
}

export const SETTINGS_VERSION = 2;
export const SETTINGS_KEYS = ['paused', 'siteModes', 'extraDomains', 'density', 'kinds', 'theme'] as const;
export type SettingsKey = (typeof SETTINGS_KEYS)[number];

/** Defaults (a fresh object each call so nobody mutates the shared one). */
export function defaultSettings(): Settings {
  return { paused: false, siteModes: {}, extraDomains: [], density: 'all', kinds: 'all', theme: 'auto' };
}
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze(defaultSettings());

const Host = v.pipe(v.string(), v.check(isValidStoredHost, 'not a valid domain'));
const KeySchemas = {
  paused: v.boolean(),
  siteModes: v.record(Host, v.picklist(['always', 'never'])),
  extraDomains: v.pipe(v.array(Host), v.maxLength(500)),
  density: v.picklist(['all', 'first-per-section']),
  kinds: v.picklist(['guided', 'all']),
  theme: v.picklist(['auto', 'light', 'dark']),
} as const;

/** Strict schema for a whole settings object (used by import). */
export const SettingsSchema = v.strictObject(KeySchemas);

/** Version 1 (before site modes were one map): alwaysOn/neverOn lists. */
interface SettingsV1 {
  paused?: unknown;
  alwaysOn?: unknown;
  neverOn?: unknown;
  density?: unknown;
  kinds?: unknown;
  theme?: unknown;
}

/** v1 → v2: alwaysOn/neverOn lists become siteModes; neverOn wins a conflict. */
export function migrateV1toV2(old: SettingsV1 | null | undefined): Record<string, unknown> {
  const o = (old && typeof old === 'object' ? old : {}) as SettingsV1;
  const siteModes: Record<string, unknown> = {};
  if (Array.isArray(o.alwaysOn)) for (const h of o.alwaysOn) if (typeof h === 'string') siteModes[h] = 'always';
  if (Array.isArray(o.neverOn)) for (const h of o.neverOn) if (typeof h === 'string') siteModes[h] = 'never';
  const { alwaysOn: _a, neverOn: _n, ...rest } = o;
  return { ...rest, siteModes, extraDomains: [] };
}

/** The storage item. Prefer readSettings()/saveSettings(), which validate. */
export const settingsItem = storage.defineItem<Record<string, unknown>>('local:settings', {
  fallback: defaultSettings() as unknown as Record<string, unknown>,
  version: SETTINGS_VERSION,
  migrations: { 2: migrateV1toV2 },
});

/** The last time stored settings were repaired: which keys, and when. */
export interface SettingsNotice {
  keys: string[];
  at: string;
  /** 'invalid' = a stored value was invalid and reset; 'unavailable' = storage could not be read. */
  cause: 'invalid' | 'unavailable';
}
export const settingsNoticeItem = storage.defineItem<SettingsNotice | null>('local:settingsNotice', { fallback: null });

export interface CoerceResult {
  settings: Settings;
  /** Keys that were invalid and fell back to their default (or lost invalid entries). */
  problems: SettingsKey[];
}

/**
 * Validate any stored value key by key. Invalid keys take their default; lists and maps keep
 * their valid entries. Unknown keys are dropped silently (they may be from a newer version).
 */
export function coerceSettings(raw: unknown): CoerceResult {
  const settings = defaultSettings();
  const problems: SettingsKey[] = [];
  if (raw === null || raw === undefined) return { settings, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { settings, problems: [...SETTINGS_KEYS] };
  const obj = raw as Record<string, unknown>;
  for (const key of SETTINGS_KEYS) {
    if (!(key in obj)) continue; // missing key: default, not a problem (new setting)
    const r = v.safeParse(KeySchemas[key] as v.GenericSchema, obj[key]);
    if (r.success) {
      (settings as any)[key] = r.output;
      continue;
    }
    problems.push(key);
    // Salvage what is valid in collections.
    if (key === 'extraDomains' && Array.isArray(obj[key])) {
      settings.extraDomains = [...new Set((obj[key] as unknown[]).filter((d): d is string => typeof d === 'string' && isValidStoredHost(d)))].slice(0, 500);
    } else if (key === 'siteModes' && obj[key] && typeof obj[key] === 'object' && !Array.isArray(obj[key])) {
      for (const [h, m] of Object.entries(obj[key] as Record<string, unknown>)) {
        if (isValidStoredHost(h) && (m === 'always' || m === 'never')) settings.siteModes[h] = m;
      }
    }
  }
  return { settings, problems };
}

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

/**
 * Watch settings (live updates for open tabs); the callback receives validated settings.
 * Returns the unwatch function.
 */
export function watchSettings(cb: (settings: Settings) => void): () => void {
  return settingsItem.watch((raw) => cb(coerceSettings(raw).settings));
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

/* ---------------------------------------------------------------- scope decision */

export type ScopeWhy = 'paused' | 'never' | 'always' | 'default' | 'extra' | 'outside';

export interface ScopeDecision {
  /** True when the page should be annotated automatically. */
  on: boolean;
  why: ScopeWhy;
  /** The glens:start reason when on. */
  reason?: 'default-scope' | 'site-always';
  /** The domain/site key that decided, e.g. "un.org". */
  domain?: string;
  /** One line for the popup, e.g. "On here: default scope (un.org covers its subdomains)". */
  label: string;
}

/** The most specific site-mode key covering `host`. */
export function siteModeFor(host: string, s: Settings): { key: string; mode: SiteMode } | undefined {
  let best: { key: string; mode: SiteMode } | undefined;
  for (const [key, mode] of Object.entries(s.siteModes)) {
    if (hostInDomain(host, key) && (!best || key.length > best.key.length)) best = { key, mode };
  }
  return best;
}

/**
 * Whether a host is annotated automatically, and why. Precedence: paused > the most
 * specific site choice (never/always) > default domains > added domains > off.
 */
export function decideScope(host: string, s: Settings): ScopeDecision {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (s.paused) return { on: false, why: 'paused', label: 'Paused everywhere — nothing is annotated until you resume.' };
  const site = siteModeFor(h, s);
  if (site?.mode === 'never') {
    return { on: false, why: 'never', domain: site.key, label: `Off here: you chose Never on ${site.key}${site.key === h ? '' : ' (covers its subdomains)'}.` };
  }
  if (site?.mode === 'always') {
    return { on: true, why: 'always', reason: 'site-always', domain: site.key, label: `On here: you chose Always on ${site.key} (covers its subdomains).` };
  }
  const def = defaultDomainFor(h);
  if (def) return { on: true, why: 'default', reason: 'default-scope', domain: def, label: `On here: default scope (${def} covers its subdomains).` };
  const extra = s.extraDomains.find((d) => hostInDomain(h, d));
  if (extra) return { on: true, why: 'extra', reason: 'default-scope', domain: extra, label: `On here: your added domain ${extra} (covers its subdomains).` };
  return { on: false, why: 'outside', label: 'Off here: this site is not in the default scope. Annotate it on demand, or choose Always on this site.' };
}
