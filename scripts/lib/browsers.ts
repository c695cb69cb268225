/**
 * Browser launchers shared by `npm run annotate`, `npm start`, the e2e tests and the bench:
 * Debian's Chromium through playwright-core and Debian's Firefox ESR through puppeteer-core
 * over WebDriver BiDi, each with the BUILT extension loaded, plus a tiny loopback server.
 *
 * Nothing here downloads anything: a missing browser is an error that names the Debian package.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Worker } from 'playwright-core';
import type { Browser as PuppeteerBrowser } from 'puppeteer-core';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const CHROME_BUILD = path.join(ROOT, '.output/chrome-mv3');
export const FIREFOX_BUILD = path.join(ROOT, '.output/firefox-mv2');

export const CHROMIUM_PATH = process.env.GLENS_CHROMIUM ?? '/usr/bin/chromium';
export const FIREFOX_PATH = process.env.GLENS_FIREFOX ?? '/usr/bin/firefox-esr';

/**
 * Fixed moz-extension UUID: set through the `extensions.webextensions.uuids` pref before
 * launch, so extension pages live at a known `moz-extension://<uuid>/` base.
 */
export const FIREFOX_EXTENSION_UUID = '6a1f3c2e-6b7d-4c51-9f0e-2f4d5b6c7a80';

/** The default-scope host the tests serve loopback pages under (see lib/scope/domains.ts). */
export const SCOPE_HOST = 'www.intgovforum.org';

/** A browser or build the command needs is missing (exit code 3 in the CLIs). */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/** Throw an EnvironmentError naming the Debian package when a browser binary is missing. */
export function requireBrowser(kind: 'chromium' | 'firefox'): string {
  const p = kind === 'chromium' ? CHROMIUM_PATH : FIREFOX_PATH;
  if (!fs.existsSync(p)) {
    const pkg = kind === 'chromium' ? 'chromium' : 'firefox-esr';
    throw new EnvironmentError(
      `${kind === 'chromium' ? 'Chromium' : 'Firefox ESR'} not found at ${p}. Install the Debian package: sudo apt-get install -y ${pkg}`,
    );
  }
  return p;
}

/** Throw an EnvironmentError when the built extension is missing. */
export function requireBuild(dir: string): string {
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    throw new EnvironmentError(`No built extension in ${path.relative(ROOT, dir) || dir}: run \`npm run build\` first.`);
  }
  return dir;
}

export interface ChromiumOptions {
  /** Unpacked extension directory (default .output/chrome-mv3). */
  extensionDir?: string;
  /** Host names resolved to 127.0.0.1 (e.g. the default-scope test host). */
  hostMap?: string[];
  headless?: boolean;
  /** Extra command-line switches. */
  args?: string[];
  viewport?: { width: number; height: number } | null;
}

export interface ChromiumSession {
  context: BrowserContext;
  extensionId: string;
  /** `chrome-extension://<id>/` */
  extensionBase: string;
  close(): Promise<void>;
}

/** Command-line switches for Chromium with the extension loaded (also used by the bench). */
export function chromiumArgs(extensionDir: string, hostMap: string[] = [], extra: string[] = []): string[] {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    // Lets CDP `Extensions.triggerAction` press the toolbar button (grants activeTab), see annotate.
    '--enable-unsafe-extension-debugging',
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
  ];
  if (hostMap.length) args.push(`--host-resolver-rules=${hostMap.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`);
  // GLENS_CHROMIUM_ARGS: extra switches for investigations (e.g. `--js-flags=--trace-opt,--trace-deopt`).
  const env = process.env.GLENS_CHROMIUM_ARGS?.trim();
  return [...args, ...extra, ...(env ? env.split(/\s+/) : [])];
}

/**
 * Launch Debian Chromium (persistent context, fresh temporary profile) with the unpacked
 * extension; resolves once the extension's service worker is up (its URL gives the id).
 */
export async function launchChromium(opts: ChromiumOptions = {}): Promise<ChromiumSession> {
  const executablePath = requireBrowser('chromium');
  const extensionDir = requireBuild(path.resolve(opts.extensionDir ?? CHROME_BUILD));
  const { chromium } = await import('playwright-core');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glens-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: opts.headless ?? true,
    args: chromiumArgs(extensionDir, opts.hostMap, opts.args),
    viewport: opts.viewport === undefined ? { width: 1280, height: 800 } : opts.viewport,
  });
  const cleanup = async () => {
    await context.close().catch(() => undefined);
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  // The service worker's URL names the extension; if it is not up yet (slow machine), the id of
  // an unpacked extension is derived from its absolute path, exactly as Chromium does.
  const sw = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  const extensionId = sw ? new URL(sw.url()).host : unpackedExtensionId(extensionDir);
  return { context, extensionId, extensionBase: `chrome-extension://${extensionId}/`, close: cleanup };
}

/** Chromium's id for an unpacked extension: SHA-256 of its absolute path, first 32 hex digits mapped 0-f → a-p. */
export function unpackedExtensionId(dir: string): string {
  const hex = createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** Wait for the extension's service worker (e.g. before tracing it); throws with a clear reason. */
export async function waitForServiceWorker(session: ChromiumSession, timeout = 30_000): Promise<Worker> {
  const match = (w: Worker) => w.url().startsWith(session.extensionBase);
  const sw = session.context.serviceWorkers().find(match);
  if (sw) return sw;
  try {
    return await session.context.waitForEvent('serviceworker', { predicate: match, timeout });
  } catch (e) {
    throw new Error(`The extension's service worker did not start in Chromium (${(e as Error).message.split('\n')[0]})`);
  }
}

export interface FirefoxOptions {
  /** Unpacked extension directory (default .output/firefox-mv2). */
  extensionDir?: string;
  /** Host names resolved to loopback (network.dns.localDomains). */
  hostMap?: string[];
  prefs?: Record<string, string | number | boolean>;
  headless?: boolean;
  viewport?: { width: number; height: number };
}

export interface FirefoxSession {
  browser: PuppeteerBrowser;
  /** The add-on id (browser_specific_settings.gecko.id). */
  addonId: string;
  /** The fixed moz-extension UUID. */
  extensionId: string;
  /** `moz-extension://<uuid>/` */
  extensionBase: string;
  close(): Promise<void>;
}

/**
 * Launch Debian Firefox ESR over WebDriver BiDi and install the unpacked extension as a
 * temporary add-on. Its UUID is fixed by pref so extension pages have a known URL;
 * `--remote-allow-system-access` lets BiDi navigate a tab to a moz-extension: URL.
 */
export async function launchFirefox(opts: FirefoxOptions = {}): Promise<FirefoxSession> {
  const executablePath = requireBrowser('firefox');
  const extensionDir = requireBuild(path.resolve(opts.extensionDir ?? FIREFOX_BUILD));
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'manifest.json'), 'utf8'));
  const addonId: string = manifest.browser_specific_settings?.gecko?.id ?? manifest.applications?.gecko?.id;
  if (!addonId) throw new EnvironmentError(`${extensionDir}/manifest.json has no gecko id`);
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    protocol: 'webDriverBiDi',
    headless: opts.headless ?? true,
    args: ['--remote-allow-system-access'],
    defaultViewport: opts.viewport ?? { width: 1280, height: 800 },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [addonId]: FIREFOX_EXTENSION_UUID }),
      // permissions.request() inside a real click is granted without a doorhanger.
      'extensions.webextOptionalPermissionPrompts': false,
      ...(opts.hostMap?.length ? { 'network.dns.localDomains': opts.hostMap.join(',') } : {}),
      ...opts.prefs,
    },
  });
  try {
    const installed = await browser.installExtension(extensionDir);
    if (installed !== addonId) throw new Error(`installed ${installed}, expected ${addonId}`);
  } catch (e) {
    await browser.close().catch(() => undefined);
    throw new Error(`The extension could not be installed in Firefox (${(e as Error).message})`);
  }
  return {
    browser,
    addonId,
    extensionId: FIREFOX_EXTENSION_UUID,
    extensionBase: `moz-extension://${FIREFOX_EXTENSION_UUID}/`,
    close: async () => {
      await browser.close().catch(() => undefined);
    },
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.xhtml': 'application/xhtml+xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

export interface ServedFile {
  body: string | Buffer;
  type?: string;
  headers?: Record<string, string>;
}

export interface StaticServer {
  port: number;
  /** `http://<host>:<port><pathname>`; host defaults to 127.0.0.1. */
  url(pathname?: string, host?: string): string;
  /** Add or replace an in-memory page. */
  set(pathname: string, file: string | ServedFile): void;
  close(): Promise<void>;
}

/**
 * A loopback-only static server (127.0.0.1, random port) for a directory and/or in-memory
 * pages (`files` keys are paths like `/page.html`). Any Host header is accepted, so pages can
 * be opened under a mapped default-scope host name.
 */
export async function serveStatic(opts: { dir?: string; files?: Record<string, string | ServedFile> } = {}): Promise<StaticServer> {
  const files = new Map<string, ServedFile>();
  const set = (p: string, f: string | ServedFile) => files.set(p.startsWith('/') ? p : `/${p}`, typeof f === 'string' ? { body: f } : f);
  for (const [p, f] of Object.entries(opts.files ?? {})) set(p, f);
  const root = opts.dir ? path.resolve(opts.dir) : undefined;
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const mem = files.get(pathname);
    if (mem) {
      res.writeHead(200, { 'content-type': mem.type ?? TYPES[path.extname(pathname)] ?? 'text/html; charset=utf-8', ...mem.headers });
      res.end(mem.body);
      return;
    }
    if (root) {
      const file = path.join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
      if ((file === root || file.startsWith(root + path.sep)) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        res.writeHead(200, { 'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream' });
        fs.createReadStream(file).pipe(res);
        return;
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (pathname = '/', host = '127.0.0.1') => `http://${host}:${port}${pathname.startsWith('/') ? '' : '/'}${pathname}`,
    set,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
