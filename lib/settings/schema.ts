import * as v from 'valibot';
import { isValidStoredHost } from './domains';

/**
 * Settings without storage: their shape, defaults, valibot schemas, the v1 → v2 migration, validation
 * key by key, and the scope decision. Storage lives in ./index (the @wxt-dev/storage items) and ./page
 * (the content script's one read and its watch), so the content script bundles no storage library.
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
export interface SettingsV1 {
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

export { SETTINGS_META_KEY, SETTINGS_STORAGE_KEY, SETTINGS_VERSION } from './keys';

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

export { decideScope, siteModeFor, type ScopeDecision, type ScopeWhy } from './scope';
