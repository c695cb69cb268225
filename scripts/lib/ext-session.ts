/**
 * One driver for both browsers: open pages as real tabs (with the extension's tab id),
 * talk to the content script the way the popup does (tabs.sendMessage from an extension
 * page), press "Annotate this page", and drive pages with the few input primitives the
 * e2e tests need. Used by `npm run annotate`, `npm start` and tests/e2e.
 */
import type { Page as PwPage } from 'playwright-core';
import type { Page as PpPage } from 'puppeteer-core';
import { launchChromium, launchFirefox, type ChromiumSession, type FirefoxSession } from './browsers';
import * as v from 'valibot';
import { PageReportSchema, type PageReport } from '../../lib/messaging/protocol';

export type BrowserName = 'chromium' | 'firefox';

/** The page operations tests and tools use, the same in both browsers. */
export interface GPage {
  readonly browser: BrowserName;
  readonly raw: PwPage | PpPage;
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<Awaited<R>>;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  goBack(): Promise<void>;
  url(): string;
  title(): Promise<string>;
  click(selector: string): Promise<void>;
  /** Focus `selector` and type text with real key events. */
  type(selector: string, text: string): Promise<void>;
  press(key: string): Promise<void>;
  /** Choose files in an <input type=file> (fires its change event). */
  setInputFiles(selector: string, files: string[]): Promise<void>;
  mouseMove(x: number, y: number): Promise<void>;
  mouseClick(x: number, y: number): Promise<void>;
  /** Resize the page's viewport (CSS px). */
  setViewportSize(width: number, height: number): Promise<void>;
  screenshot(opts?: { path?: string; fullPage?: boolean }): Promise<Buffer>;
  bringToFront(): Promise<void>;
  /** Run a script file's text in the page's main world (e.g. axe.min.js). */
  addScriptFile(file: string): Promise<void>;
  /** Poll a page function until it returns a truthy value. */
  waitFor<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A, opts?: { timeoutMs?: number; what?: string }): Promise<NonNullable<Awaited<R>>>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` in Node until it returns a truthy value (no fixed sleeps in callers). */
export async function pollUntil<R>(fn: () => R | Promise<R>, { timeoutMs = 20_000, intervalMs = 50, what = 'condition' } = {}): Promise<NonNullable<Awaited<R>>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<Awaited<R>>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await sleep(intervalMs);
  }
}

function basePage(browser: BrowserName, raw: PwPage | PpPage, self: Omit<GPage, 'waitFor' | 'browser' | 'raw'>): GPage {
  const page: GPage = {
    ...self,
    browser,
    raw,
    waitFor: (fn: any, arg?: any, opts?: { timeoutMs?: number; what?: string }) =>
      pollUntil(() => page.evaluate(fn, arg), { timeoutMs: opts?.timeoutMs, what: opts?.what ?? 'page condition' }) as any,
  };
  return page;
}

function wrapPlaywright(p: PwPage): GPage {
  return basePage('chromium', p, {
    evaluate: (fn: any, arg?: any) => p.evaluate(fn, arg),
    goto: async (url) => void (await p.goto(url, { waitUntil: 'load' })),
    reload: async () => void (await p.reload({ waitUntil: 'load' })),
    goBack: async () => void (await p.goBack({ waitUntil: 'load' })),
    url: () => p.url(),
    title: () => p.title(),
    click: (s) => p.click(s),
    type: async (s, text) => {
      await p.focus(s);
      await p.keyboard.type(text);
    },
    press: (k) => p.keyboard.press(k),
    setInputFiles: (sel, files) => p.setInputFiles(sel, files),
    mouseMove: (x, y) => p.mouse.move(x, y),
    mouseClick: (x, y) => p.mouse.click(x, y),
    setViewportSize: (width, height) => p.setViewportSize({ width, height }),
    screenshot: (o) => p.screenshot({ path: o?.path, fullPage: o?.fullPage }),
    bringToFront: () => p.bringToFront(),
    // A raw expression through CDP is not subject to the page's CSP (extension pages forbid inline scripts).
    addScriptFile: async (file) => void (await p.evaluate((await import('node:fs')).readFileSync(file, 'utf8'))),
    close: () => p.close(),
  });
}

function wrapPuppeteer(p: PpPage, opts: { extension?: boolean } = {}): GPage {
  return basePage('firefox', p, {
    evaluate: (fn: any, arg?: any) => p.evaluate(fn, arg) as any,
    // BiDi navigations to moz-extension: pages never report "load" to puppeteer: follow them by polling.
    goto: async (url) => {
      if (opts.extension || url.startsWith('moz-extension:')) {
        p.goto(url, { timeout: 0 }).catch(() => undefined);
        await pollUntil(async () => (await p.evaluate(() => `${location.href}|${document.readyState}`)) === `${url}|complete`, {
          timeoutMs: 20_000,
          what: `${url} to load`,
        });
      } else {
        await p.goto(url, { waitUntil: 'load' });
      }
    },
    reload: async () => {
      if (opts.extension) {
        // Mark the old document so the poll cannot mistake it for the reloaded one.
        await p.evaluate(() => ((globalThis as any).__glensOldDocument = true));
        p.reload({ timeout: 0 }).catch(() => undefined);
        await pollUntil(async () => await p.evaluate(() => !(globalThis as any).__glensOldDocument && document.readyState === 'complete'), {
          what: 'the extension page to reload',
        });
      } else {
        await p.reload({ waitUntil: 'load' });
      }
    },
    goBack: async () => void (await p.goBack({ waitUntil: 'load' })),
    url: () => p.url(),
    title: () => p.title(),
    click: (s) => p.click(s),
    type: async (s, text) => {
      await p.focus(s);
      await p.keyboard.type(text);
    },
    setInputFiles: async (sel, files) => {
      const el = await p.$(sel);
      if (!el) throw new Error(`no element ${sel}`);
      await (el as any).uploadFile(...files);
    },
    // Same combo syntax as Playwright: "Alt+Shift+KeyJ".
    press: async (k) => {
      const keys = k.split('+') as any[];
      const main = keys.pop();
      for (const m of keys) await p.keyboard.down(m);
      await p.keyboard.press(main);
      for (const m of keys.reverse()) await p.keyboard.up(m);
    },
    mouseMove: (x, y) => p.mouse.move(x, y),
    mouseClick: (x, y) => p.mouse.click(x, y),
    setViewportSize: (width, height) => p.setViewport({ width, height }),
    screenshot: async (o) => Buffer.from(await p.screenshot({ path: o?.path as `${string}.png` | undefined, fullPage: o?.fullPage })),
    bringToFront: () => p.bringToFront(),
    // A raw script through BiDi is not subject to the page's CSP (extension pages forbid inline scripts).
    addScriptFile: async (file) => void (await p.evaluate((await import('node:fs')).readFileSync(file, 'utf8'))),
    close: () => p.close(),
  });
}

export interface Tab {
  page: GPage;
  /** The tab id as the extension sees it. */
  tabId: number;
}

export interface OpenOptions {
  hostMap?: string[];
  headless?: boolean;
  extensionDir?: string;
  viewport?: { width: number; height: number };
  /**
   * Requests to anything but loopback (and `hostMap`) fail at once, as with no network. For saved pages
   * served from a file: their remote scripts and images otherwise keep Firefox waiting on DNS here (with no
   * network the tab stays on about:blank for minutes). Chromium already fails them fast.
   */
  offline?: boolean;
}

/**
 * A running browser with the built extension, plus one extension page (popup.html in a
 * tab) used as the "console" from which extension APIs are called, as the popup would.
 */
export class ExtSession {
  private constructor(
    readonly browser: BrowserName,
    readonly extensionBase: string,
    readonly extensionId: string,
    private readonly chromium: ChromiumSession | undefined,
    private readonly firefox: FirefoxSession | undefined,
    private console_: GPage | undefined,
  ) {}

  static async open(browser: BrowserName, opts: OpenOptions = {}): Promise<ExtSession> {
    if (browser === 'chromium') {
      const c = await launchChromium({ hostMap: opts.hostMap, headless: opts.headless, extensionDir: opts.extensionDir, viewport: opts.viewport });
      const s = new ExtSession('chromium', c.extensionBase, c.extensionId, c, undefined, undefined);
      // The persistent context opens one blank tab; reuse it for the console page.
      const first = c.context.pages()[0] ?? (await c.context.newPage());
      s.console_ = wrapPlaywright(first);
      // Right after launch the extension may still be loading: retry until its page opens.
      await pollUntil(
        async () => {
          await s.console_!.goto(s.extensionUrl('popup.html'));
          return s.console_!.url().startsWith(s.extensionBase);
        },
        { timeoutMs: 30_000, intervalMs: 250, what: `the extension page ${s.extensionUrl('popup.html')}` },
      ).catch(async (e) => {
        await c.close();
        throw e;
      });
      return s;
    }
    const local = ['127.0.0.1', 'localhost', ...(opts.hostMap ?? [])].join(', ');
    const offline = opts.offline
      ? {
          // A proxy on the discard port (connection refused) for every non-local request.
          'network.proxy.type': 1,
          'network.proxy.http': '127.0.0.1',
          'network.proxy.http_port': 9,
          'network.proxy.ssl': '127.0.0.1',
          'network.proxy.ssl_port': 9,
          'network.proxy.no_proxies_on': local,
        }
      : undefined;
    const f = await launchFirefox({ hostMap: opts.hostMap, headless: opts.headless, extensionDir: opts.extensionDir, viewport: opts.viewport, prefs: offline });
    const s = new ExtSession('firefox', f.extensionBase, f.extensionId, undefined, f, undefined);
    const first = (await f.browser.pages())[0] ?? (await f.browser.newPage());
    s.console_ = wrapPuppeteer(first, { extension: true });
    try {
      await s.console_.goto(s.extensionUrl('popup.html'));
    } catch (e) {
      await f.close();
      throw e;
    }
    return s;
  }

  extensionUrl(p: string): string {
    return this.extensionBase + p.replace(/^\//, '');
  }

  /** The extension page used to call extension APIs. */
  get console(): GPage {
    return this.console_!;
  }

  /** A new blank tab, not known to the extension by id. */
  async newPage(): Promise<GPage> {
    if (this.chromium) return wrapPlaywright(await this.chromium.context.newPage());
    return wrapPuppeteer(await this.firefox!.browser.newPage());
  }

  /** Open an extension page (popup.html, options.html, sidepanel.html…) in its own tab. */
  async openExtensionPage(p: string): Promise<GPage> {
    if (this.chromium) {
      const page = wrapPlaywright(await this.chromium.context.newPage());
      await page.goto(this.extensionUrl(p));
      return page;
    }
    const page = wrapPuppeteer(await this.firefox!.browser.newPage(), { extension: true });
    await page.goto(this.extensionUrl(p));
    return page;
  }

  /**
   * Open `url` in a new tab created by the extension (so its tab id is known without the
   * "tabs" permission), wait for it to load and bring it to the front.
   */
  async openTab(url: string): Promise<Tab> {
    const href = new URL(url).href;
    const known = new Set(await this.rawPages());
    const tabId = await this.console.evaluate(async (u: string) => {
      const api = (globalThis as any).browser ?? (globalThis as any).chrome;
      const tab = await api.tabs.create({ url: u, active: true });
      return tab.id as number;
    }, href);
    // The new tab is the page at `href`; a page script may change its URL at once (history API), so after
    // a few seconds the one new page of the same origin is taken as well.
    const t0 = Date.now();
    const origin = new URL(href).origin;
    const raw = await pollUntil(
      async () => {
        const fresh = (await this.rawPages()).filter((p) => !known.has(p));
        const exact = fresh.find((p) => p.url() === href);
        if (exact || Date.now() - t0 < 3000) return exact;
        const same = fresh.filter((p) => URL.canParse(p.url()) && new URL(p.url()).origin === origin);
        return same.length === 1 ? same[0] : undefined;
      },
      { timeoutMs: 20_000, what: `the tab for ${href}` },
    );
    const page = this.chromium ? wrapPlaywright(raw as PwPage) : wrapPuppeteer(raw as PpPage);
    await pollUntil(() => page.evaluate(() => document.readyState === 'complete'), { timeoutMs: 30_000, what: `${href} to load` });
    await page.bringToFront();
    return { page, tabId };
  }

  private async rawPages(): Promise<(PwPage | PpPage)[]> {
    if (this.chromium) return this.chromium.context.pages();
    return this.firefox!.browser.pages();
  }

  /** Send a message to a tab's content script from the extension page (as the popup does). */
  async sendToTab<R = unknown>(tabId: number, message: unknown): Promise<R> {
    return this.console.evaluate(
      async ({ tabId, message }: { tabId: number; message: unknown }) => {
        const api = (globalThis as any).browser ?? (globalThis as any).chrome;
        return api.tabs.sendMessage(tabId, message);
      },
      { tabId, message },
    ) as Promise<R>;
  }

  /** Send a message to the background (runtime.sendMessage from the extension page). */
  async sendToBackground<R = unknown>(message: unknown): Promise<R> {
    return this.console.evaluate(async (message: unknown) => {
      const api = (globalThis as any).browser ?? (globalThis as any).chrome;
      return api.runtime.sendMessage(message);
    }, message) as Promise<R>;
  }

  /** The content script's PageReport, or null when no content script answers. */
  async getReport(tabId: number): Promise<PageReport | null> {
    const raw: unknown = await this.console.evaluate(async (tabId: number): Promise<unknown> => {
      const api = (globalThis as any).browser ?? (globalThis as any).chrome;
      try {
        return (await api.tabs.sendMessage(tabId, { type: 'glens:getReport' })) ?? null;
      } catch {
        return null;
      }
    }, tabId);
    if (raw === null || raw === undefined) return null;
    // The contract: whatever the popup reads must satisfy PageReportSchema.
    const parsed = v.safeParse(PageReportSchema, raw);
    if (!parsed.success) throw new Error(`glens:getReport answered a value that is not a PageReport: ${v.summarize(parsed.issues).split('\n')[0]}`);
    return parsed.output;
  }

  /** Poll glens:getReport until the extension says it is done (its own completion signal). */
  async waitForDone(tabId: number, timeoutMs = 60_000): Promise<PageReport> {
    let done: PageReport | undefined;
    await pollUntil(
      async () => {
        const r = await this.getReport(tabId);
        if (r && r.state === 'done') done = r;
        return !!done;
      },
      { timeoutMs, intervalMs: 50, what: 'the extension to report state "done"' },
    );
    return done!;
  }

  /** The extension's manifest name and version, read from the extension itself. */
  async manifest(): Promise<{ name: string; version: string }> {
    return this.console.evaluate(() => {
      const api = (globalThis as any).browser ?? (globalThis as any).chrome;
      const m = api.runtime.getManifest();
      return { name: m.name as string, version: m.version as string };
    });
  }

  /**
   * Give the extension access to a tab as the person would before "Annotate this page":
   * - Chromium: CDP `Extensions.triggerAction` presses the toolbar button on the tab, which
   *   grants activeTab exactly as a click does (and opens the real popup).
   * - Firefox (no way to press the toolbar button over BiDi): a real click in the extension
   *   page calls permissions.request for the page's host (the optional host permission
   *   "Always on this site" uses; prompts are disabled by pref).
   */
  async grantTabAccess(tab: Tab): Promise<{ ok: boolean; error?: string }> {
    if (this.chromium) {
      const cdp = await this.chromium.context.browser()!.newBrowserCDPSession();
      try {
        const { targetInfos } = (await cdp.send('Target.getTargets', { filter: [{ type: 'tab' }] } as any)) as any;
        const href = tab.page.url();
        const target = targetInfos.find((t: any) => t.url === href);
        if (!target) return { ok: false, error: `no tab target for ${href}` };
        await cdp.send('Extensions.triggerAction' as any, { id: this.extensionId, targetId: target.targetId } as any);
        return { ok: true };
      } catch (e) {
        return { ok: false, error: `Extensions.triggerAction: ${(e as Error).message}` };
      } finally {
        await cdp.detach().catch(() => undefined);
      }
    }
    const pattern = `*://${new URL(tab.page.url()).hostname}/*`;
    const r = await this.requestOriginsInClick(this.console, [pattern]);
    return r === 'granted' ? { ok: true } : { ok: false, error: `host permission ${pattern}: ${r}` };
  }

  /**
   * Call permissions.request({origins}) inside a real (trusted) click in an extension page,
   * as a user gesture requires. Resolves with "granted", "refused" or "error: …".
   */
  async requestOriginsInClick(page: GPage, origins: string[]): Promise<string> {
    await page.evaluate((origins: string[]) => {
      document.getElementById('glens-e2e-grant')?.remove();
      const b = document.createElement('button');
      b.id = 'glens-e2e-grant';
      b.textContent = 'Grant';
      b.style.cssText = 'position:fixed;left:0;top:0;z-index:2147483647;width:80px;height:40px';
      b.addEventListener('click', () => {
        const api = (globalThis as any).browser ?? (globalThis as any).chrome;
        // Called synchronously in the click handler: the gesture must still be active.
        (globalThis as any).__glensGrant = api.permissions.request({ origins }).then(
          (ok: boolean) => (ok ? 'granted' : 'refused'),
          (e: Error) => `error: ${e.message}`,
        );
      });
      document.body.append(b);
    }, origins);
    await page.click('#glens-e2e-grant');
    return page.evaluate(async () => {
      const r = await (globalThis as any).__glensGrant;
      document.getElementById('glens-e2e-grant')?.remove();
      return String(r);
    });
  }

  /**
   * "Annotate this page" outside the default scope: grant access (see grantTabAccess), then
   * the popup's own message `glens:annotateTab` makes the background inject and start the
   * content script.
   */
  async annotateOnDemand(tab: Tab): Promise<{ ok: boolean; error?: string }> {
    const granted = await this.grantTabAccess(tab);
    if (!granted.ok) return granted;
    const res = await this.sendToBackground<{ ok: boolean; error?: string } | undefined>({ type: 'glens:annotateTab', tabId: tab.tabId });
    return res ?? { ok: false, error: 'the background did not answer glens:annotateTab' };
  }

  async close(): Promise<void> {
    await this.chromium?.close();
    await this.firefox?.close();
  }
}
