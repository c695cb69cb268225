/**
 * Issue 7 — faults: the extension reloaded while a page is open (the orphaned content script
 * removes its highlights and its card host; the page text is untouched), and the service worker
 * stopped and restarted (the popup still gets the page's data; the card still loads its data
 * from the background, which proves the worker restarts on demand).
 * Storage unavailable or corrupted is covered in tests/e2e/ui.e2e.ts.
 *
 * Each block runs on a private copy of the build (a reload re-reads the extension's files, and
 * other e2e files may rebuild .output meanwhile) with its own browser: a reload closes the
 * session's console page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page as PwPage, Worker } from 'playwright-core';
import { serveStatic, type StaticServer } from '../../scripts/lib/browsers';
import type { ExtSession, BrowserName } from '../../scripts/lib/ext-session';
import { chromiumContext, openSession } from './hardening/support';
import {
  HL_FOCUS,
  HL_GUIDED,
  HL_TERM,
  HOST_TAG,
  IG_PARAGRAPHS,
  SCOPE_HOST,
  highlightSizes,
  htmlPage,
  pageSnapshot,
  pollUntil,
  type GPage,
  type PageReport,
  type Tab,
} from './helpers';

// IG_PARAGRAPHS paints guidance-linked terms; #p4 adds glossary terms without guidance (glens-term).
const P4 = '<p id="p4">UNESCO hosted the WSIS Forum, where the Tunis Commitment and human rights online were discussed.</p>';
const FILES = { '/page.html': htmlPage('Faults page', `<main>${IG_PARAGRAPHS}${P4}</main>`) };

interface FaultEnv {
  session: ExtSession;
  server: StaticServer;
  /** The private build directory the browser loaded. */
  buildDir: string;
  openAnnotated(pathname: string): Promise<Tab & { report: PageReport }>;
}

/** One browser on a private build copy and one loopback server for the block. */
function useFaultEnv(browser: BrowserName): () => FaultEnv {
  let env: FaultEnv | undefined;
  let closeSession: (() => Promise<void>) | undefined;
  let server: StaticServer | undefined;
  beforeAll(async () => {
    server = await serveStatic({ files: FILES });
    const s = await openSession(browser, [SCOPE_HOST]);
    closeSession = s.close;
    const session = s.session;
    const srv = server;
    env = {
      session,
      server: srv,
      buildDir: s.buildDir,
      openAnnotated: async (p) => {
        const tab = await session.openTab(srv.url(p, SCOPE_HOST));
        const report = await session.waitForDone(tab.tabId);
        return { ...tab, report };
      },
    };
  });
  afterAll(async () => {
    await closeSession?.();
    await server?.close();
  });
  return () => {
    if (!env) throw new Error('e2e env not started');
    return env;
  };
}

/** Centre of the first painted guidance-linked range (where hovering opens a card). */
function guidedPoint(page: GPage): Promise<{ x: number; y: number } | null> {
  return page.evaluate((name: string) => {
    const hl = (globalThis as any).CSS?.highlights?.get(name);
    if (!hl) return null;
    for (const a of hl as Iterable<AbstractRange>) {
      const r = document.createRange();
      r.setStart(a.startContainer, a.startOffset);
      r.setEnd(a.endContainer, a.endOffset);
      const rect = r.getClientRects()[0];
      if (rect && rect.width > 0) return { x: rect.left + Math.min(rect.width / 2, 8), y: rect.top + rect.height / 2 };
    }
    return null;
  }, HL_GUIDED);
}

/** Hover a guidance-linked term and wait until its card shows data from the background. */
async function hoverCard(page: GPage): Promise<string> {
  const pt = await guidedPoint(page);
  expect(pt, 'a painted guidance-linked term').toBeTruthy();
  // Move away first so a second hover is a fresh enter.
  await page.mouseMove(1, 1);
  await page.mouseMove(pt!.x, pt!.y);
  return page.waitFor(
    (hostTag: string) => {
      const dlg = document.querySelector(hostTag)?.shadowRoot?.querySelector('[role="dialog"]');
      const text = dlg && (dlg as HTMLElement).getClientRects().length ? dlg.textContent : null;
      return text && !/Loading/i.test(text) ? text : null;
    },
    HOST_TAG,
    { what: 'the card to open on hover and load its data', timeoutMs: 15_000 },
  );
}

/** Open a default-scope page, wait for "done" and painted highlights, and open a card (so the host exists). */
async function annotatedWithCard(env: FaultEnv) {
  const tab = await env.openAnnotated('/page.html');
  const painted = await pollUntil(
    async () => {
      const s = await highlightSizes(tab.page);
      return (s[HL_GUIDED] ?? 0) > 0 && (s[HL_TERM] ?? 0) > 0 ? s : null;
    },
    { what: 'glens-guided and glens-term highlights to be painted', timeoutMs: 15_000 },
  );
  const card = await hoverCard(tab.page);
  const snap = await pageSnapshot(tab.page);
  expect(snap.hosts).toBe(1);
  return { ...tab, painted, card, snap };
}

/** Assert the page is back to its own state: no glens highlight ranges, no host, same text and elements. */
async function expectCleanedUp(page: GPage, before: { text: string; elements: number }) {
  const sizes = await pollUntil(
    async () => {
      const s = await highlightSizes(page);
      const hosts = await page.evaluate((tag: string) => document.querySelectorAll(tag).length, HOST_TAG);
      const clean = [HL_GUIDED, HL_TERM, HL_FOCUS].every((n) => !s[n]) && hosts === 0;
      return clean ? s : null;
    },
    // WXT notices the invalidated context on the content script's 2 s poll.
    { what: 'the orphaned content script to remove its highlights and card host', timeoutMs: 10_000 },
  );
  for (const n of [HL_GUIDED, HL_TERM, HL_FOCUS]) expect(sizes[n] ?? 0, n).toBe(0);
  const after = await pageSnapshot(page);
  expect(after.hosts).toBe(0);
  expect(after.text).toBe(before.text);
  expect(after.elements).toBe(before.elements);
}

describe('extension reloaded while a page is open, in chromium', () => {
  const env = useFaultEnv('chromium');

  it('the orphaned content script removes its highlights and its card host; the page text is unchanged', async () => {
    const e = env();
    const { page, snap } = await annotatedWithCard(e);
    const ctx = chromiumContext(e.session);
    const isOurs = (w: Worker) => w.url().startsWith(e.session.extensionBase);
    const oldWorker = ctx.serviceWorkers().find(isOurs);
    // Reload the unpacked extension as chrome://extensions' reload button does (CDP loads the same
    // directory again: same id, new version of every context). `runtime.reload()` is not used: in
    // Chromium 156 an extension loaded with --load-extension stays unloaded after it (its pages then
    // answer ERR_BLOCKED_BY_CLIENT), which tests an uninstall rather than a reload.
    const cdp = await ctx.browser()!.newBrowserCDPSession();
    try {
      const res = (await cdp.send('Extensions.loadUnpacked' as any, { path: e.buildDir } as any)) as unknown as { id: string };
      expect(res.id).toBe(e.session.extensionId);
    } finally {
      await cdp.detach().catch(() => undefined);
    }
    await expectCleanedUp(page, snap);
    // The extension really came back: a new service worker and working extension pages.
    const fresh = await pollUntil(() => ctx.serviceWorkers().find((w) => isOurs(w) && w !== oldWorker), {
      what: 'the reloaded extension to start a new service worker',
      timeoutMs: 15_000,
    });
    expect(fresh.url()).toMatch(/background\.js$/);
    const ext = await e.session.openExtensionPage('popup.html');
    expect(await ext.evaluate(() => document.readyState)).toBe('complete');
    await ext.close();
    // Chromium does not inject manifest content scripts into tabs already open: the page stays clean.
    expect(await highlightSizes(page)).toEqual({ [HL_GUIDED]: null, [HL_TERM]: null, [HL_FOCUS]: null });
    expect((await pageSnapshot(page)).hosts).toBe(0);
    await page.close();
  });
});

/** glens:getReport sent from a given extension page (the session's console closes with a reload). */
function reportFrom(ext: GPage, tabId: number): Promise<{ state: string; terms: number } | null> {
  return ext.evaluate(async (id: number) => {
    const api = (globalThis as any).browser ?? (globalThis as any).chrome;
    try {
      const r = await api.tabs.sendMessage(id, { type: 'glens:getReport' });
      return r ? { state: String(r.state), terms: (r.terms as unknown[]).length } : null;
    } catch {
      return null;
    }
  }, tabId);
}

/*
 * Firefox: `runtime.reload()` on the temporary add-on works, but the browser behaves differently from
 * Chromium: the old content script's sandbox is nuked at once (none of its code runs again, so it cannot
 * undo anything itself), and the reloaded add-on injects its manifest content scripts into the tabs
 * already open. The case is therefore: the new copy takes over cleanly — the old highlight objects are
 * unregistered (replaced, not duplicated), the orphaned card host is gone, the page text is unchanged.
 */
describe('extension reloaded while a page is open, in firefox', () => {
  const env = useFaultEnv('firefox');

  it('the re-injected content script replaces the orphan: no duplicate highlights, no orphaned card host, text unchanged', async () => {
    const e = env();
    const { page, snap, painted, tabId } = await annotatedWithCard(e);
    await page.mouseMove(1, 1);
    await page.evaluate(() => {
      const w = globalThis as any;
      w.__glensOldGuided = w.CSS.highlights.get('glens-guided');
    });
    const ext = await e.session.openExtensionPage('popup.html');
    await ext
      .evaluate(() => {
        const api = (globalThis as any).browser ?? (globalThis as any).chrome;
        setTimeout(() => api.runtime.reload(), 0);
      })
      .catch(() => undefined);
    // The old highlight objects are unregistered (the orphan's paint is gone)…
    await page.waitFor(() => (globalThis as any).CSS.highlights.get('glens-guided') !== (globalThis as any).__glensOldGuided, undefined, {
      what: 'the orphan highlights to be unregistered',
      timeoutMs: 15_000,
    });
    // …and the reloaded add-on's copy annotates the page again.
    const fresh = await pollUntil(
      async () => {
        const p = await e.session.openExtensionPage('popup.html').catch(() => null);
        if (!p) return null;
        const r = await reportFrom(p, tabId);
        await p.close();
        return r?.state === 'done' ? r : null;
      },
      { what: 'the reloaded add-on to report "done" on the open tab', timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(fresh.terms).toBeGreaterThan(0);
    expect(await highlightSizes(page)).toEqual(painted);
    const after = await pollUntil(
      async () => {
        const s = await pageSnapshot(page);
        return s.hosts === 0 ? s : null;
      },
      { what: 'the orphaned card host to be removed', timeoutMs: 10_000 },
    ).catch(async () => pageSnapshot(page));
    expect(after.hosts, 'card hosts left after the reload (the orphan’s host must be removed)').toBe(0);
    expect(after.text).toBe(snap.text);
    expect(after.elements).toBe(snap.elements);
    // The new copy works: its card opens on hover, in a single host.
    await page.bringToFront();
    await hoverCard(page);
    expect((await pageSnapshot(page)).hosts).toBe(1);
    await page.close();
  });
});

/*
 * Chromium only: the Firefox build is MV2 with a background page, not a service worker, and Firefox
 * offers no remote protocol command to stop an extension's background.
 */
describe('service worker stopped and restarted, in chromium', () => {
  const env = useFaultEnv('chromium');

  it('the popup still lists the page terms and the card still loads its data from a restarted worker', async () => {
    const e = env();
    const tab = await e.openAnnotated('/page.html');
    await pollUntil(async () => ((await highlightSizes(tab.page))[HL_GUIDED] ?? 0) > 0, { what: 'highlights to be painted' });
    const ctx = chromiumContext(e.session);
    const script = e.session.extensionUrl('background.js');

    // The ServiceWorker domain (on an extension page's session) reports the worker's running status.
    const cdp = await ctx.newCDPSession(e.session.console.raw as PwPage);
    const statuses: string[] = [];
    cdp.on('ServiceWorker.workerVersionUpdated', (ev: { versions: { scriptURL: string; runningStatus: string }[] }) => {
      for (const v of ev.versions) if (v.scriptURL === script) statuses.push(v.runningStatus);
    });
    const status = () => statuses[statuses.length - 1];
    const stop = async (when: string) => {
      statuses.length = 0;
      await cdp.send('ServiceWorker.stopAllWorkers');
      await pollUntil(() => status() === 'stopped', { what: `the service worker to stop (${when})`, timeoutMs: 10_000 });
    };
    try {
      await cdp.send('ServiceWorker.enable');
      await pollUntil(() => status() === 'running', { what: 'the service worker to be running', timeoutMs: 10_000 });

      await stop('before the popup');
      // The popup, pinned to the tab, talks to the content script directly.
      const popup = await e.session.openExtensionPage(`popup.html?tab=${tab.tabId}`);
      const listed = await popup.waitFor(
        () => {
          const labels = [...document.querySelectorAll('.gl-page [aria-label]')].map((el) => el.getAttribute('aria-label') ?? '');
          return labels.length ? labels : null;
        },
        undefined,
        { what: '"On this page" to list terms', timeoutMs: 15_000 },
      );
      expect(tab.report.terms.length).toBeGreaterThan(0);
      for (const t of tab.report.terms) {
        expect(listed.some((l) => l.startsWith(`${t.label}, ${t.count} on this page`)), `${t.label} ×${t.count} in ${JSON.stringify(listed)}`).toBe(true);
      }
      await popup.close();

      // Card data comes only from the background (glens:cardData): stop the worker again, then hover.
      await stop('before the hover');
      await tab.page.bringToFront();
      const card = await hoverCard(tab.page);
      expect(card).toMatch(/Inclusiveness|Collective|Effective|Collaboration|access|participation|Internet Governance Forum/);
      // The card's request started the worker again.
      expect(statuses).toContain('running');
    } finally {
      await cdp.detach().catch(() => undefined);
    }
    await tab.page.close();
  });
});
