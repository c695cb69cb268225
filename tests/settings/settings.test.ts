import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  coerceSettings,
  decideScope,
  defaultSettings,
  describeNotice,
  exportSettings,
  importSettings,
  migrateV1toV2,
  parseSettingsFile,
  readPageSettings,
  readSettings,
  resetSettings,
  saveSettings,
  settingsItem,
  settingsNoticeItem,
  validateDomain,
  watchSettings,
} from '@/lib/settings';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('reading settings', () => {
  it('returns the defaults when nothing is stored', async () => {
    const r = await readSettings();
    expect(r).toEqual({ settings: defaultSettings(), problems: [], storageOk: true });
  });

  it('resets only the invalid key, keeps the valid ones, and records a visible notice', async () => {
    await fakeBrowser.storage.local.set({
      settings: { ...defaultSettings(), density: 'sometimes', theme: 'dark', paused: true },
      settings$: { v: 2 },
    });
    const r = await readSettings();
    expect(r.problems).toEqual(['density']);
    expect(r.settings).toMatchObject({ density: 'all', theme: 'dark', paused: true });
    const notice = await settingsNoticeItem.getValue();
    expect(notice?.keys).toEqual(['density']);
    expect(describeNotice(notice!)).toBe('A stored setting was invalid and has been reset: density.');
    // The repaired value was written back, so a second read is clean.
    expect((await readSettings()).problems).toEqual([]);
  });

  it('keeps the valid entries of a partly corrupted list and map', () => {
    const r = coerceSettings({
      extraDomains: ['example.org', 'http://bad', 42, 'ok.example.net'],
      siteModes: { 'good.org': 'always', 'bad host': 'never', 'x.org': 'sometimes' },
    });
    expect(r.problems).toEqual(['siteModes', 'extraDomains']);
    expect(r.settings.extraDomains).toEqual(['example.org', 'ok.example.net']);
    expect(r.settings.siteModes).toEqual({ 'good.org': 'always' });
  });

  it('treats a non-object stored value as all-invalid', () => {
    const r = coerceSettings('garbage');
    expect(r.settings).toEqual(defaultSettings());
    expect(r.problems.length).toBe(6);
  });

  it('falls back to defaults with storageOk=false when storage throws', async () => {
    const spy = vi.spyOn(settingsItem, 'getValue').mockRejectedValue(new Error('storage is unavailable'));
    const r = await readSettings();
    expect(r.storageOk).toBe(false);
    expect(r.settings).toEqual(defaultSettings());
    expect(describeNotice({ keys: [], cause: 'unavailable' })).toMatch(/unavailable/);
    spy.mockRestore();
  });
});

describe("the content script's read (readPageSettings)", () => {
  it('reads the value and its version in one storage call', async () => {
    await fakeBrowser.storage.local.set({ settings: { ...defaultSettings(), theme: 'dark' }, settings$: { v: 2 } });
    const spy = vi.spyOn(fakeBrowser.storage.local, 'get');
    expect(await readPageSettings()).toEqual({ ...defaultSettings(), theme: 'dark' });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('gives the defaults when nothing is stored or storage throws', async () => {
    expect(await readPageSettings()).toEqual(defaultSettings());
    const spy = vi.spyOn(fakeBrowser.storage.local, 'get').mockRejectedValue(new Error('storage is unavailable'));
    expect(await readPageSettings()).toEqual(defaultSettings());
    spy.mockRestore();
  });

  it('reads a version-1 value as migrated, without writing', async () => {
    const v1 = { paused: false, alwaysOn: ['example.org'], neverOn: ['news.example.com'], density: 'all', kinds: 'guided', theme: 'auto' };
    await fakeBrowser.storage.local.set({ settings: v1 });
    const s = await readPageSettings();
    expect(s.siteModes).toEqual({ 'example.org': 'always', 'news.example.com': 'never' });
    expect(s.kinds).toBe('guided');
    expect((await fakeBrowser.storage.local.get('settings')).settings).toEqual(v1);
  });

  it('reads invalid keys as their defaults and leaves the repair to readSettings (no write from a page)', async () => {
    const stored = { ...defaultSettings(), density: 'sometimes', paused: true };
    await fakeBrowser.storage.local.set({ settings: stored, settings$: { v: 2 } });
    expect(await readPageSettings()).toEqual({ ...defaultSettings(), paused: true });
    expect((await fakeBrowser.storage.local.get('settings')).settings).toEqual(stored);
    // The background's or popup's next read repairs it and records the notice.
    expect((await readSettings()).problems).toEqual(['density']);
    expect((await settingsNoticeItem.getValue())?.keys).toEqual(['density']);
  });
});

describe('migration', () => {
  it('migrates a version-1 value (alwaysOn/neverOn lists) to siteModes', async () => {
    await fakeBrowser.storage.local.set({
      settings: { paused: false, alwaysOn: ['example.org'], neverOn: ['news.example.com'], density: 'first-per-section', kinds: 'guided', theme: 'auto' },
      settings$: { v: 1 },
    });
    await settingsItem.migrate();
    const r = await readSettings();
    expect(r.problems).toEqual([]);
    expect(r.settings).toEqual({
      paused: false,
      siteModes: { 'example.org': 'always', 'news.example.com': 'never' },
      extraDomains: [],
      density: 'first-per-section',
      kinds: 'guided',
      theme: 'auto',
    });
  });

  it('migrateV1toV2 lets neverOn win a conflict', () => {
    expect(migrateV1toV2({ alwaysOn: ['a.org'], neverOn: ['a.org'] }).siteModes).toEqual({ 'a.org': 'never' });
  });
});

describe('saving, watching, reset', () => {
  it('saves a valid change and refuses an invalid one without writing', async () => {
    await saveSettings({ density: 'first-per-section' });
    expect((await readSettings()).settings.density).toBe('first-per-section');
    await expect(saveSettings({ extraDomains: ['http://x'] })).rejects.toThrow(/not saved/);
    expect((await readSettings()).settings.extraDomains).toEqual([]);
  });

  it('notifies watchers with validated settings (live updates for open tabs)', async () => {
    const seen: unknown[] = [];
    const unwatch = watchSettings((s) => seen.push(s.paused));
    await saveSettings({ paused: true });
    await vi.waitFor(() => expect(seen).toContain(true));
    unwatch();
  });

  it('resets to defaults and clears the notice', async () => {
    await saveSettings({ theme: 'dark', extraDomains: ['example.org'] });
    await settingsNoticeItem.setValue({ keys: ['density'], at: 'x', cause: 'invalid' });
    await resetSettings();
    expect((await readSettings()).settings).toEqual(defaultSettings());
    expect(await settingsNoticeItem.getValue()).toBeNull();
  });
});

describe('export and import', () => {
  it('round-trips', async () => {
    const s = { ...defaultSettings(), theme: 'dark' as const, siteModes: { 'example.org': 'never' as const } };
    const r = await importSettings(exportSettings(s));
    expect(r).toEqual({ ok: true, settings: s });
    expect((await readSettings()).settings).toEqual(s);
  });

  it.each([
    ['not json', '{nope', /not valid JSON/],
    ['wrong format', JSON.stringify({ format: 'other', version: 2, settings: {} }), /not a Governance Lens settings file/],
    ['newer version', JSON.stringify({ format: 'governance-lens-settings', version: 99, settings: {} }), /newer version/],
    ['no settings', JSON.stringify({ format: 'governance-lens-settings', version: 2 }), /no "settings" object/],
    ['bad value', JSON.stringify({ format: 'governance-lens-settings', version: 2, settings: { density: 'lots' } }), /density/],
    ['bad domain', JSON.stringify({ format: 'governance-lens-settings', version: 2, settings: { extraDomains: ['*.un.org'] } }), /extraDomains/],
    ['unknown key', JSON.stringify({ format: 'governance-lens-settings', version: 2, settings: { colour: 'red' } }), /colour/],
  ])('rejects a bad file (%s) and changes nothing', async (_name, text, reason) => {
    await saveSettings({ theme: 'light' });
    const r = await importSettings(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(reason);
    expect((await readSettings()).settings).toEqual({ ...defaultSettings(), theme: 'light' });
  });

  it('accepts a version-1 file by migrating it', () => {
    const r = parseSettingsFile(JSON.stringify({ format: 'governance-lens-settings', version: 1, settings: { alwaysOn: ['example.org'] } }));
    expect(r.ok && r.settings.siteModes).toEqual({ 'example.org': 'always' });
  });
});

describe('domain input validation', () => {
  it.each([
    ['example.org', 'example.org'],
    ['  Example.ORG. ', 'example.org'],
    ['press.un.org', 'press.un.org'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['dig.watch', 'dig.watch'],
  ])('accepts %j as %j', (input, domain) => {
    expect(validateDomain(input)).toEqual({ ok: true, domain });
  });

  it.each([
    ['http://x', /without http:\/\/ or https:\/\//],
    ['https://un.org/path', /without http/],
    ['un .org', /space/],
    ['*.un.org', /Wildcards are not needed: enter “un\.org”/],
    ['un.org/foo', /without a path/],
    ['un.org:8080', /port/],
    ['localhost', /valid domain name/],
    ['192.168.1.1', /not an IP address/],
    ['-bad.org', /valid domain name/],
    ['', /Enter a domain name/],
    ['user@un.org', /@/],
  ])('rejects %j with a clear error', (input, error) => {
    const r = validateDomain(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });

  it('accepts hosts from a tab (localhost, IPv4) only when allowHost is set', () => {
    expect(validateDomain('localhost', { allowHost: true })).toEqual({ ok: true, domain: 'localhost' });
    expect(validateDomain('127.0.0.1', { allowHost: true })).toEqual({ ok: true, domain: '127.0.0.1' });
  });
});

describe('scope decision', () => {
  const s = defaultSettings();
  it('is on in the default scope, naming the covering domain', () => {
    expect(decideScope('press.un.org', s)).toMatchObject({ on: true, why: 'default', reason: 'default-scope', domain: 'un.org' });
    expect(decideScope('www.un.org', s).label).toBe('On here: default scope (un.org covers its subdomains).');
  });
  it('is off outside the scope, on for added domains', () => {
    expect(decideScope('example.org', s)).toMatchObject({ on: false, why: 'outside' });
    expect(decideScope('a.example.org', { ...s, extraDomains: ['example.org'] })).toMatchObject({ on: true, why: 'extra' });
  });
  it('never beats the default scope; the most specific site choice wins; pause beats all', () => {
    const t = { ...s, siteModes: { 'un.org': 'never' as const, 'press.un.org': 'always' as const } };
    expect(decideScope('www.un.org', t)).toMatchObject({ on: false, why: 'never' });
    expect(decideScope('press.un.org', t)).toMatchObject({ on: true, why: 'always', reason: 'site-always' });
    expect(decideScope('press.un.org', { ...t, paused: true })).toMatchObject({ on: false, why: 'paused' });
  });
  it('does not treat a look-alike host as a subdomain', () => {
    expect(decideScope('notun.org', s).on).toBe(false);
  });
});
