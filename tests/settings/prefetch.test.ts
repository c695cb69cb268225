import { describe, expect, it } from 'vitest';
import { prefetchSaysOff } from '@/lib/settings/prefetch';
import { SETTINGS_VERSION, defaultSettings } from '@/lib/settings/schema';

const stored = (over: Record<string, unknown>, v: unknown = SETTINGS_VERSION) => ({ settings: { ...defaultSettings(), ...over }, settings$: { v } });

describe('prefetchSaysOff (the document_start judgement, without validation)', () => {
  it('is true for paused everywhere, and for Never on the site or a domain covering it', () => {
    expect(prefetchSaysOff('www.intgovforum.org', stored({ paused: true }))).toBe(true);
    expect(prefetchSaysOff('www.intgovforum.org', stored({ siteModes: { 'intgovforum.org': 'never' } }))).toBe(true);
    expect(prefetchSaysOff('intgovforum.org', stored({ siteModes: { 'intgovforum.org': 'never' } }))).toBe(true);
  });

  it('is false when the page is on, or when a more specific Always overrides Never', () => {
    expect(prefetchSaysOff('www.intgovforum.org', stored({}))).toBe(false);
    expect(prefetchSaysOff('www.un.org', stored({ siteModes: { 'intgovforum.org': 'never' } }))).toBe(false);
    expect(prefetchSaysOff('press.un.org', stored({ siteModes: { 'un.org': 'never', 'press.un.org': 'always' } }))).toBe(false);
  });

  it('leaves anything unclear to the content script (false): nothing stored, another version, malformed values', () => {
    expect(prefetchSaysOff('www.un.org', {})).toBe(false);
    expect(prefetchSaysOff('www.un.org', null)).toBe(false);
    expect(prefetchSaysOff('www.un.org', stored({ paused: true }, 1))).toBe(false);
    expect(prefetchSaysOff('www.un.org', { settings: 'paused', settings$: { v: SETTINGS_VERSION } })).toBe(false);
    expect(prefetchSaysOff('www.un.org', stored({ paused: 'yes', siteModes: ['un.org'] }))).toBe(false);
    expect(prefetchSaysOff('www.un.org', stored({ siteModes: null }))).toBe(false);
  });
});
