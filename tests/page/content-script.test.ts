// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { fakeBrowser } from 'wxt/testing';
import { runAnnotateScript } from '@/entrypoints/annotate/index';
import { runHighlightSheetScript } from '@/entrypoints/highlight-sheet';
import { createLifecycle } from '@/lib/page/lifecycle';
import { HL_GUIDED } from '@/lib/page/constants';
import { globalSlot } from '@/lib/page';
import { preAdoptHighlightSheet } from '@/lib/page/early-sheet';
import { defaultSettings, SETTINGS_VERSION } from '@/lib/settings/schema';
import { PageReportSchema } from '@/lib/messaging/protocol';
import { setBody, stubHighlightApi, stubRects } from './helpers';

let hl: ReturnType<typeof stubHighlightApi>;
let unrect: () => void;
const sheets = () => document.adoptedStyleSheets as readonly CSSStyleSheet[];

const waitFor = async (cond: () => boolean, ms = 2000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 10));
  }
};

beforeEach(() => {
  fakeBrowser.reset();
  hl = stubHighlightApi();
  unrect = stubRects();
  document.adoptedStyleSheets = [];
  // In scope: a default-scope domain.
  (window as any).happyDOM?.setURL?.('https://www.intgovforum.org/en/content/igf-2026');
});
afterEach(() => {
  globalSlot().stop?.();
  globalSlot().sheet = undefined;
  globalSlot().settings = undefined;
  delete globalSlot().settingsValue;
  hl.restore();
  unrect();
});

describe('content script entrypoint', () => {
  it('starts in scope, never double-starts, and undoes everything when the context is invalidated', async () => {
    setBody('<p>The Internet Governance Forum (IGF) is multistakeholder.</p>');
    const before = document.body.innerHTML;
    const ctx = createLifecycle({ alive: () => true });
    runAnnotateScript(ctx);
    await waitFor(() => (hl.registry.get(HL_GUIDED)?.size ?? 0) > 0);
    const painted = hl.registry.get(HL_GUIDED)!;
    const n = painted.size;
    expect(n).toBeGreaterThanOrEqual(2);
    // A second run of main in the same window with a live copy: no second annotator.
    const second = createLifecycle({ alive: () => true });
    runAnnotateScript(second);
    expect(second.isValid, 'the duplicate ends its own lifecycle (no timer left behind)').toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(hl.registry.get(HL_GUIDED)).toBe(painted);
    expect(painted.size).toBe(n);
    expect(document.adoptedStyleSheets).toHaveLength(1);
    // Extension reloaded/updated: the orphan removes its highlights and stylesheet.
    ctx.invalidate();
    expect(hl.registry.size).toBe(0);
    expect(document.adoptedStyleSheets).toHaveLength(0);
    expect(document.body.innerHTML).toBe(before);
  });

  it('outside the scope it waits for glens:start from this extension (and ignores other senders)', async () => {
    (window as any).happyDOM?.setURL?.('https://example.org/article');
    setBody('<p>The Internet Governance Forum (IGF) is multistakeholder.</p>');
    const ctx = createLifecycle({ alive: () => true });
    runAnnotateScript(ctx);
    await new Promise((r) => setTimeout(r, 50));
    expect(hl.registry.get(HL_GUIDED)?.size ?? 0).toBe(0);
    const id = fakeBrowser.runtime.id;
    await fakeBrowser.runtime.onMessage.trigger({ type: 'glens:start', reason: 'on-demand' }, { id: 'someone-else' });
    await new Promise((r) => setTimeout(r, 50));
    expect(hl.registry.get(HL_GUIDED)?.size ?? 0).toBe(0);
    await fakeBrowser.runtime.onMessage.trigger({ type: 'glens:start', reason: 'on-demand' }, { id });
    await waitFor(() => (hl.registry.get(HL_GUIDED)?.size ?? 0) > 0);
    const [report] = await fakeBrowser.runtime.onMessage.trigger({ type: 'glens:getReport' }, { id });
    expect((report as any).reason).toBe('on-demand');
    expect((report as any).terms.map((t: any) => t.id)).toContain('internet-governance-forum');
    // Its own longest start-up task is reported beside the slices (the e2e real-pages bound reads both).
    expect(v.is(PageReportSchema, report)).toBe(true);
    expect((report as any).timing.startupMs).toBeGreaterThan(0);
    ctx.invalidate();
    expect(hl.registry.size).toBe(0);
  });

  it('decides on the settings read started at document_start, and applies a change saved since', async () => {
    setBody('<p>The Internet Governance Forum (IGF) is multistakeholder.</p>');
    // Read at document_start: not paused. Saved since (before this script watched): paused.
    globalSlot().settings = Promise.resolve({ settings: { ...defaultSettings(), paused: false }, settings$: { v: SETTINGS_VERSION } });
    await fakeBrowser.storage.local.set({ settings: { ...defaultSettings(), paused: true }, settings$: { v: SETTINGS_VERSION } });
    const painted: string[] = [];
    const set = hl.registry.set.bind(hl.registry);
    hl.registry.set = (name, h) => (painted.push(name), set(name, h));
    const life = createLifecycle({ alive: () => true });
    runAnnotateScript(life);
    expect(globalSlot().settings, 'taken: a later copy reads for itself').toBeUndefined();
    // It starts on the prefetched value, then the fresh read stops it.
    await waitFor(() => painted.includes(HL_GUIDED));
    await waitFor(() => hl.registry.size === 0);
    life.invalidate();
  });

  it('with the prefetched reply already in, starts in the settings task itself (warm start)', async () => {
    setBody('<p>The Internet Governance Forum (IGF) is multistakeholder.</p>');
    const on = { settings: { ...defaultSettings(), paused: false }, settings$: { v: SETTINGS_VERSION } };
    globalSlot().settings = Promise.resolve(on);
    globalSlot().settingsValue = on;
    await fakeBrowser.storage.local.set(on);
    // A frozen clock: the settings task reads as short as a warm one (the merge is decided on time spent).
    const realNow = performance.now.bind(performance);
    const frozen = realNow();
    performance.now = () => frozen;
    try {
      const life = createLifecycle({ alive: () => true });
      runAnnotateScript(life);
      expect(hl.registry.size, 'nothing in the evaluating task').toBe(0);
      await new Promise((r) => setTimeout(r, 0)); // the settings task
      expect(globalSlot().settingsValue, 'taken (a later copy reads for itself)').toBeUndefined();
      expect(hl.registry.get(HL_GUIDED)?.size ?? 0, 'painted in the settings task, no task in between').toBeGreaterThan(0);
      life.invalidate();
      expect(hl.registry.size).toBe(0);
    } finally {
      performance.now = realNow;
    }
  });

  it('a prefetched read that says paused or Never leaves the page untouched (reply pending or in hand)', async () => {
    for (const inHand of [false, true]) {
      for (const stored of [
        { ...defaultSettings(), paused: true },
        { ...defaultSettings(), siteModes: { 'intgovforum.org': 'never' as const } },
      ]) {
        setBody('<p>The Internet Governance Forum (IGF) is multistakeholder.</p>');
        const raw = { settings: stored, settings$: { v: SETTINGS_VERSION } };
        globalSlot().settings = Promise.resolve(raw);
        if (inHand) globalSlot().settingsValue = raw;
        await fakeBrowser.storage.local.set(raw);
        preAdoptHighlightSheet(document);
        const life = createLifecycle({ alive: () => true });
        runAnnotateScript(life);
        await waitFor(() => sheets().length === 0);
        await new Promise((r) => setTimeout(r, 50));
        expect(hl.registry.size, `in hand: ${inHand}, ${JSON.stringify(stored.siteModes)}`).toBe(0);
        life.invalidate();
      }
    }
  });
});

describe('document_start script', () => {
  it('adopts the sheet and starts the settings read; keeps the sheet when the page is on', async () => {
    await runHighlightSheetScript();
    expect(sheets()).toHaveLength(1);
    expect(globalSlot().settings).toBeInstanceOf(Promise);
    expect(globalSlot().settingsValue, 'the reply, kept for the content script').toEqual(await globalSlot().settings);
  });

  it('takes the sheet out again at once when the stored settings say paused or Never here', async () => {
    await fakeBrowser.storage.local.set({ settings: { ...defaultSettings(), siteModes: { 'intgovforum.org': 'never' } }, settings$: { v: SETTINGS_VERSION } });
    await runHighlightSheetScript();
    expect(sheets()).toHaveLength(0);
    await fakeBrowser.storage.local.set({ settings: { ...defaultSettings(), paused: true }, settings$: { v: SETTINGS_VERSION } });
    await runHighlightSheetScript();
    expect(sheets()).toHaveLength(0);
  });
});

describe('lifecycle', () => {
  it('ends when the extension context goes away (polled) and runs each undo once', async () => {
    let alive = true;
    const life = createLifecycle({ alive: () => alive, pollMs: 10 });
    let n = 0;
    life.onInvalidated(() => n++);
    expect(life.isValid).toBe(true);
    alive = false;
    await new Promise((r) => setTimeout(r, 40));
    expect(n).toBe(1);
    expect(life.isValid).toBe(false);
    life.invalidate();
    expect(n).toBe(1);
    // A callback added after the end runs at once.
    life.onInvalidated(() => n++);
    expect(n).toBe(2);
  });

  it('treats a throwing runtime (Firefox dead object) as gone', () => {
    const life = createLifecycle({
      alive: () => {
        throw new Error('dead object');
      },
    });
    expect(life.isValid).toBe(false);
  });

  it('releases the document_start sheet on a page it does not annotate', async () => {
    (window as any).happyDOM?.setURL?.('https://example.com/news');
    setBody('<p>The Internet Governance Forum (IGF).</p>');
    preAdoptHighlightSheet(document);
    expect(sheets()).toHaveLength(1);
    runAnnotateScript(createLifecycle({ alive: () => true }));
    await waitFor(() => sheets().length === 0);
    expect(hl.registry.size).toBe(0);
  });

  it('uses the document_start sheet on a page in scope, and removes it when invalidated', async () => {
    (window as any).happyDOM?.setURL?.('https://www.intgovforum.org/en/content/igf-2026');
    setBody('<p>The Internet Governance Forum (IGF) is multistakeholder.</p>');
    preAdoptHighlightSheet(document);
    const early = sheets()[0];
    const life = createLifecycle({ alive: () => true });
    runAnnotateScript(life);
    await waitFor(() => (hl.registry.get(HL_GUIDED)?.size ?? 0) > 0);
    expect(sheets()).toEqual([early]);
    life.invalidate();
    expect(sheets()).toHaveLength(0);
    expect(hl.registry.size).toBe(0);
  });
});
