/**
 * Issue 7 — privacy: the extension makes NO network request. While it annotates a default-scope page,
 * opens a card, and its popup, options page and side panel are used (opened as tabs), every request
 * the browser reports is recorded: page, extension pages, and in Chromium the service worker (playwright
 * reports service-worker requests on the context) and the content script (its fetches go through the
 * page). The test page makes no request of its own, so the only allowed requests are the page document
 * itself and the extension's own packaged files (chrome-extension:// / moz-extension:// URLs that exist
 * in the build). Firefox: request events of every tab over WebDriver BiDi (the background page is not a
 * tab there).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Request as PwRequest } from 'playwright-core';
import type { Page as PpPage, HTTPRequest } from 'puppeteer-core';
import { SCOPE_HOST, serveStatic, type StaticServer } from '../../../scripts/lib/browsers';
import type { BrowserName, ExtSession } from '../../../scripts/lib/ext-session';
import { BROWSERS, HOST_TAG, htmlPage, IG_PARAGRAPHS, type GPage } from '../helpers';
import { chromiumContext, firefoxBrowser, openSession, tabIdFor } from './support';

// No images, styles, scripts or links to fetch: any request besides the document is not the page's.
/** A page that records every `message` event it receives (a page could fingerprint extensions this way). */
const LISTENING_PAGE = htmlPage(
  'Listening page',
  `${IG_PARAGRAPHS}<script>window.__seen = []; addEventListener('message', (e) => window.__seen.push(JSON.stringify(e.data)), true);</script>`,
  '<link rel="icon" href="data:,">',
);

const PAGE = htmlPage(
  'Privacy test page',
  `${IG_PARAGRAPHS}<p>Internet Society recommendations on enhanced cooperation and the multistakeholder model.</p>`,
  '<link rel="icon" href="data:,">',
);

interface Seen {
  url: string;
  from: string;
}

describe.each(BROWSERS)('privacy in %s', (browser: BrowserName) => {
  let session: ExtSession;
  let buildDir = '';
  let closeSession: () => Promise<void> = async () => {};
  let server: StaticServer;
  const seen: Seen[] = [];
  const watched = new WeakSet<PpPage>();
  const watchFirefox = (p: PpPage) => {
    if (watched.has(p)) return;
    watched.add(p);
    p.on('request', (r: HTTPRequest) => seen.push({ url: r.url(), from: `tab ${p.url()}` }));
  };

  beforeAll(async () => {
    server = await serveStatic({ files: { '/private.html': PAGE, '/listening.html': LISTENING_PAGE } });
    const opened = await openSession(browser, [SCOPE_HOST]);
    session = opened.session;
    buildDir = opened.buildDir;
    closeSession = opened.close;
    if (browser === 'chromium') {
      const ctx = chromiumContext(session);
      ctx.on('request', (r: PwRequest) => {
        const sw = r.serviceWorker();
        seen.push({ url: r.url(), from: sw ? `service worker ${sw.url()}` : `page ${r.frame()?.url?.() ?? '?'}` });
      });
    } else {
      const b = firefoxBrowser(session);
      for (const p of await b.pages()) watchFirefox(p);
      b.on('targetcreated', (t) => void t.page().then((p) => p && watchFirefox(p), () => undefined));
    }
  });
  afterAll(async () => {
    await closeSession();
    await server?.close();
  });

  it('annotating a page and using the popup, options and side panel makes no network request', async () => {
    const pageUrl = server.url('/private.html', SCOPE_HOST);
    // A plain tab whose requests are watched before it navigates (a tab the extension creates is
    // attached too late to see its own document request).
    const page = await session.newPage();
    if (browser === 'firefox') watchFirefox(page.raw as PpPage);
    await page.goto(pageUrl);
    const tab = { page, tabId: await tabIdFor(session, pageUrl) };
    const report = await session.waitForDone(tab.tabId);
    expect(report.terms.length).toBeGreaterThan(0);
    // Open the card on a term (it renders inside our host with the extension's own resources).
    await session.sendToTab(tab.tabId, { type: 'glens:focusTerm', termId: report.terms[0].id }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    const hosts = await tab.page.evaluate((t: string) => document.getElementsByTagName(t).length, HOST_TAG);

    const pages: GPage[] = [];
    for (const p of ['popup.html', 'options.html', 'sidepanel.html']) {
      const ext = await session.openExtensionPage(p);
      pages.push(ext);
      await new Promise((r) => setTimeout(r, 400));
    }
    // Use the popup: a lookup query.
    const popup = pages[0];
    const box = 'input[type="search"], [role="combobox"], [role="searchbox"]';
    await popup.waitFor((sel: string) => !!document.querySelector(sel), box, { what: 'the popup search box' });
    await popup.type(box, 'multistakeholder');
    await new Promise((r) => setTimeout(r, 800));
    for (const p of pages) await p.close();
    await tab.page.close();

    const build = buildDir;
    const own = (u: string) => {
      const m = /^(chrome|moz)-extension:\/\/[^/]+\/([^?#]*)/.exec(u);
      return !!m && u.startsWith(session.extensionBase) && fs.existsSync(path.join(build, decodeURIComponent(m[2])));
    };
    const doc = new URL(pageUrl).href;
    const foreign = seen.filter((s) => s.url !== doc && !own(s.url) && !s.url.startsWith('data:') && !s.url.startsWith('blob:'));
    console.log(
      `privacy (${browser}): ${seen.length} requests seen, ${seen.filter((s) => own(s.url)).length} to the extension's own files, ` +
        `${foreign.length} other; card host elements: ${hosts}`,
    );
    expect(foreign, 'requests that are neither the page document nor packaged extension files').toEqual([]);
    // Sanity: the recorder works — it saw the page document (and in Chromium the extension pages' own
    // files; Firefox's BiDi network events do not report moz-extension: loads).
    expect(seen.some((s) => s.url === doc), 'the recorder saw the page document').toBe(true);
    if (browser === 'chromium') expect(seen.some((s) => own(s.url)), 'the recorder saw extension files').toBe(true);
  });

  it('tells the page nothing: no message reaches a page the extension annotates', async () => {
    const pageUrl = server.url('/listening.html', SCOPE_HOST);
    const page = await session.newPage();
    await page.goto(pageUrl);
    const tabId = await tabIdFor(session, pageUrl);
    const report = await session.waitForDone(tabId);
    expect(report.terms.length, 'the page was annotated').toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    const got = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
    await page.close();
    expect(got, 'messages the page received').toEqual([]);
  });
});
