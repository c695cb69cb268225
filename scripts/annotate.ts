/**
 * npm run annotate -- <url-or-file> [--browser chromium|firefox] [--json FILE] [--markdown FILE] [--screenshot FILE]
 *
 * Loads the BUILT extension into headless Chromium or Firefox ESR, opens the page (a file is
 * served from a loopback server), waits for the extension's own "done" state and writes the
 * report read from the extension (glens:getReport, the popup's message) — nothing is
 * recomputed here. Pages outside the default scope are annotated as if the person had
 * pressed "Annotate this page" (see ExtSession.annotateOnDemand).
 *
 * Exit codes: 0 ok; 1 the extension failed; 2 bad input (unreadable file, malformed URL,
 * page that fails to load, bad option); 3 environment (browser or build missing).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHROME_BUILD, EnvironmentError, FIREFOX_BUILD, ROOT, requireBrowser, serveStatic, type StaticServer } from './lib/browsers';
import { ExtSession, pollUntil, type BrowserName } from './lib/ext-session';
import { DEFAULT_DOMAINS, hostInDomain } from '../lib/scope/domains';
import type { PageReport } from '../lib/messaging/protocol';

/** Bad input: exit 2 with a one-line reason. */
export class InputError extends Error {
  override name = 'InputError';
}

export interface AnnotateOptions {
  /** A URL (http, https, file) or a path to a local file. */
  target: string;
  browser?: BrowserName;
  json?: string;
  markdown?: string;
  screenshot?: string;
  /** Host names to resolve to loopback (npm start serves the demo under a default-scope host). */
  hostMap?: string[];
  /** Serve the file under this host name (must be in hostMap). */
  serveHost?: string;
  headless?: boolean;
  /** Log progress to stderr. */
  log?: (line: string) => void;
}

/** The JSON `npm run annotate` writes (issue 2's shape, plus a few extra fields). */
export interface AnnotateJson {
  url: string;
  title: string;
  browser: BrowserName;
  extension: { name: string; version: string };
  dataset: { version: string };
  state: PageReport['state'];
  reason?: PageReport['reason'];
  timing: PageReport['timing'];
  terms: { id: string; label: string; count: number; surfaces: Record<string, number>; related: string[] }[];
  guidance: { id: string; kind: string; title: string; count: number; terms: string[] }[];
}

export interface AnnotateResult {
  json: AnnotateJson;
  report: PageReport;
  markdown?: string;
  screenshotBytes?: number;
  /** Ranges in the page's highlights when the screenshot was taken, and occurrences painted. */
  screenshotRanges?: { registered: number; painted: number };
}

/** Make sure `.output/<target>` exists: build once if it is missing. */
export function ensureBuilt(browser: BrowserName, log: (l: string) => void = () => undefined): void {
  const dir = browser === 'chromium' ? CHROME_BUILD : FIREFOX_BUILD;
  if (fs.existsSync(path.join(dir, 'manifest.json'))) return;
  log(`No build in ${path.relative(ROOT, dir)}: running npm run build…`);
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !fs.existsSync(path.join(dir, 'manifest.json'))) {
    throw new EnvironmentError('npm run build failed: the extension could not be built.');
  }
}

interface Resolved {
  kind: 'file' | 'url';
  file?: string;
  url?: URL;
}

function resolveTarget(target: string): Resolved {
  if (!target) throw new InputError('Give a URL or a file to annotate.');
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) && !/^[a-z]:[\\/]/i.test(target)) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new InputError(`Malformed URL: ${target}`);
    }
    if (url.protocol === 'file:') return resolveFile(fileURLToPath(url));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`Unsupported URL scheme ${url.protocol} (use http, https or a file).`);
    if (!url.hostname) throw new InputError(`Malformed URL: ${target}`);
    return { kind: 'url', url };
  }
  return resolveFile(target);
}

function resolveFile(p: string): Resolved {
  const file = path.resolve(p);
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new InputError(`Not a file: ${p}`);
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`Cannot read file ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return { kind: 'file', file };
}

/** Check that a URL answers before starting a browser, so load failures are a clean exit 2. */
async function checkLoads(url: URL): Promise<void> {
  try {
    const res = await fetch(url, { method: 'GET', redirect: 'follow', signal: AbortSignal.timeout(15_000) });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 400) throw new InputError(`The page failed to load: HTTP ${res.status} for ${url.href}`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new InputError(`The page failed to load: ${cause?.code ?? cause?.message ?? (e as Error).message} for ${url.href}`);
  }
}

/** True when the URL's host is inside the default scope (a domain covers its subdomains). */
export function inDefaultScope(url: string): boolean {
  const host = new URL(url).hostname;
  return DEFAULT_DOMAINS.some((d) => hostInDomain(host, d));
}

async function renderMarkdown(report: PageReport, json: AnnotateJson): Promise<string> {
  // Same Markdown as the popup's "Export page report" when the UI module and dataset are there.
  try {
    const briefingPath = path.join(ROOT, 'lib/ui/briefing.ts');
    const datasetPath = path.join(ROOT, 'lib/dataset/index.ts');
    if (fs.existsSync(briefingPath) && fs.existsSync(datasetPath)) {
      const { buildBriefing } = await import(pathToFileURL(briefingPath).href);
      const { loadDataset } = await import(pathToFileURL(datasetPath).href);
      return buildBriefing({ report, dataset: loadDataset(), date: new Date() });
    }
  } catch {
    // Fall back to the simple rendering below.
  }
  const lines = [`# Governance Lens report: ${json.title || json.url}`, '', `- URL: <${json.url}>`, `- Dataset: ${json.dataset.version}`, ''];
  lines.push('## Guidance', '');
  for (const g of json.guidance) lines.push(`- ${g.id} ${g.title} (${g.kind}): ${g.count}`);
  lines.push('', '## Terms', '');
  for (const t of json.terms) lines.push(`- ${t.label}: ${t.count}`);
  return lines.join('\n') + '\n';
}

/** Annotate one page with the built extension and return the extension's report. */
export async function annotate(opts: AnnotateOptions): Promise<AnnotateResult> {
  const log = opts.log ?? (() => undefined);
  const browser = opts.browser ?? 'chromium';
  const resolved = resolveTarget(opts.target);
  for (const out of [opts.json, opts.markdown, opts.screenshot]) {
    if (out && !fs.existsSync(path.dirname(path.resolve(out)))) throw new InputError(`Output directory does not exist: ${path.dirname(out)}`);
  }
  requireBrowser(browser);
  ensureBuilt(browser, log);

  let server: StaticServer | undefined;
  let session: ExtSession | undefined;
  try {
    let url: string;
    if (resolved.kind === 'file') {
      server = await serveStatic({ dir: path.dirname(resolved.file!) });
      url = server.url(`/${encodeURIComponent(path.basename(resolved.file!))}`, opts.serveHost);
    } else {
      url = resolved.url!.href;
      if (!opts.hostMap?.includes(resolved.url!.hostname)) await checkLoads(resolved.url!);
    }
    log(`Opening ${url} in ${browser}…`);
    // A saved page is read offline: its remote resources fail at once instead of keeping the tab loading.
    session = await ExtSession.open(browser, { hostMap: opts.hostMap, headless: opts.headless ?? true, offline: resolved.kind === 'file' });
    const tab = await session.openTab(url);
    const started = Date.now();
    if (!inDefaultScope(url)) {
      log('Outside the default scope: pressing "Annotate this page"…');
      const res = await session.annotateOnDemand(tab);
      if (!res.ok) throw new Error(`"Annotate this page" failed: ${res.error ?? 'no reason given'}`);
    }
    const report = await session.waitForDone(tab.tabId);
    log(`Extension reported done after ${Date.now() - started} ms (its own annotateMs ${report.timing.annotateMs}).`);
    const manifest = await session.manifest();
    const json: AnnotateJson = {
      url: report.url,
      title: report.title,
      browser,
      extension: manifest,
      dataset: { version: report.datasetVersion },
      state: report.state,
      reason: report.reason,
      timing: report.timing,
      terms: report.terms.map((t) => ({ id: t.id, label: t.label, count: t.count, surfaces: t.surfaces, related: t.related })),
      guidance: report.guidance.map((g) => ({ id: g.id, kind: g.kind, title: g.title, count: g.count, terms: g.terms })),
    };
    const result: AnnotateResult = { json, report };
    if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(json, null, 2) + '\n');
    if (opts.markdown) {
      result.markdown = await renderMarkdown(report, json);
      fs.writeFileSync(opts.markdown, result.markdown);
    }
    if (opts.screenshot) {
      // The extension registers only the ranges near the viewport (lib/page/paint.ts). For a picture of
      // the whole page, the viewport becomes the whole page (up to 16,000 px), and the screenshot waits
      // until every painted occurrence is registered (or 5 s).
      const painted = report.terms.reduce((n, t) => n + t.count, 0);
      const registered = () =>
        tab.page.evaluate(() => {
          let n = 0;
          for (const [k, h] of (globalThis as any).CSS?.highlights ?? []) if (k !== 'glens-focus' && String(k).startsWith('glens-')) n += h.size;
          return n;
        });
      const size = await tab.page.evaluate(() => ({ w: window.innerWidth, h: document.documentElement.scrollHeight }));
      await tab.page.setViewportSize(size.w, Math.min(Math.max(size.h, 1), 16_000));
      await pollUntil(async () => (await registered()) >= painted, { timeoutMs: 5_000, what: 'every range to be registered' }).catch(() => undefined);
      result.screenshotRanges = { registered: await registered(), painted };
      const png = await tab.page.screenshot({ path: opts.screenshot, fullPage: true });
      result.screenshotBytes = png.length;
    }
    return result;
  } finally {
    await session?.close();
    await server?.close();
  }
}

interface Cli extends AnnotateOptions {
  help?: boolean;
}

function parseArgs(argv: string[]): Cli {
  const out: Cli = { target: '' };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new InputError(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--browser') {
      const b = value();
      if (b !== 'chromium' && b !== 'firefox') throw new InputError(`--browser must be chromium or firefox, not ${b}`);
      out.browser = b;
    } else if (a === '--json') out.json = value();
    else if (a === '--markdown') out.markdown = value();
    else if (a === '--screenshot') out.screenshot = value();
    else if (a.startsWith('--')) throw new InputError(`Unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length > 1) throw new InputError(`One page at a time (got ${positional.length}).`);
  out.target = positional[0] ?? '';
  return out;
}

const USAGE =
  'Usage: npm run annotate -- <url-or-file> [--browser chromium|firefox] [--json FILE] [--markdown FILE] [--screenshot FILE]';

async function main(): Promise<number> {
  let cli: Cli;
  try {
    cli = parseArgs(process.argv.slice(2));
    if (cli.help) {
      console.log(USAGE);
      return 0;
    }
    if (!cli.target) throw new InputError(`Give a URL or a file to annotate. ${USAGE}`);
  } catch (e) {
    console.error(`annotate: ${(e as Error).message}`);
    return 2;
  }
  try {
    const res = await annotate({ ...cli, log: (l) => console.error(l) });
    if (!cli.json) console.log(JSON.stringify(res.json, null, 2));
    const total = res.json.terms.reduce((n, t) => n + t.count, 0);
    console.error(
      `${res.json.terms.length} terms (${total} occurrences), ${res.json.guidance.length} guidance entries; annotateMs ${res.json.timing.annotateMs}, longest slice ${res.json.timing.longestSliceMs} ms.`,
    );
    if (res.screenshotRanges) console.error(`Screenshot: ${res.screenshotRanges.registered} of ${res.screenshotRanges.painted} painted ranges in view.`);
    return 0;
  } catch (e) {
    const msg = ((e as Error).message ?? String(e)).split('\n')[0];
    console.error(`annotate: ${msg}`);
    if (e instanceof InputError) return 2;
    if (e instanceof EnvironmentError) return 3;
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code));
}
