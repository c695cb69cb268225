/**
 * `npm run bench` — performance of the BUILT extension (.output/chrome-mv3) in headless Chromium.
 *
 *   npm run bench -- [--runs 3] [--json out.json] [--sizes 10k,100k,500k] [--fixtures wikipedia-2,iab-1|all|none]
 *                    [--skip-peer] [--skip-sweep] [--ext DIR] [--warm [--pin]]
 *
 * Pages are served from loopback at http://www.intgovforum.org:PORT/ (inside the default scope, via
 * --host-resolver-rules) so the content script starts by itself. See trace.ts for how script time is
 * attributed to the extension and inpage.ts for the floor. Numbers are medians over --runs runs, each
 * run in a freshly launched browser, given 2 s to settle after launch.
 *
 * Cold (default): the measured page is the first page of the site in that browser, so the content script
 * is compiled and run for the first time in that renderer (the worst case: the first page a reader opens).
 * --warm: the same tab first opens a small page of the same site (WARM_PATH) and the measured page comes
 * second, as when a reader moves from page to page: the renderer, and V8's compilation cache in it, already
 * hold the content script. The floor is always a median of 5 repeated runs in the page's main world (hot).
 * A second, like-for-like floor runs the same pass once in each of 3 fresh isolated worlds (isolatedFloors),
 * the conditions the content script's single pass meets; both ratios are printed and both targets judged.
 * A third, printed beside them, runs the pass once in the main world of the control page (freshFloor).
 * --pin (with --warm; a diagnosis, see pin.ts): before the measured page, core 0 is given to the page
 * renderers' main threads alone and every other browser thread goes to core 1, so the page's thread never
 * waits for a core. Its results tell where wall time goes; they are not the product's figures.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';
import { generatePage } from './generate';
import { loadGlossary, syntheticIndex } from './glossary';
import { HIGHLIGHT_SIZES, PAGE_SHAPE, POLLER, REGISTERED, floorExpr, markJsExpr, matcherSweepExpr } from './inpage';
import { SCOPE_HOST, launchChromium, startServer, type BenchServer, type ChromiumWithExtension } from './launch';
import { pinPageRenderers } from './pin';
import { analyzeTrace, markedSpans, startTrace, stopTrace, type ExtensionTraceStats } from './trace';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Args {
  runs: number;
  json?: string;
  sizes: number[];
  fixtures: string[];
  peer: boolean;
  sweep: boolean;
  ext: string;
  peerWords: number;
  warm: boolean;
  pin: boolean;
}

function parseWords(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(k?)$/i.exec(s.trim());
  if (!m) throw new Error(`bad size ${s}`);
  return Math.round(Number(m[1]) * (m[2] ? 1000 : 1));
}

const DEFAULT_FIXTURES = ['wikipedia-2', 'iab-1', 'lemonde-1'];

function fixtureFiles(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (d.name.endsWith('.html') && !p.includes('/hostile/')) out.set(d.name.replace(/\.html$/, ''), p);
    }
  };
  walk(join(ROOT, 'tests/fixtures'));
  return out;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    runs: 3,
    sizes: [10_000, 100_000, 500_000],
    fixtures: DEFAULT_FIXTURES,
    peer: true,
    sweep: true,
    ext: join(ROOT, '.output/chrome-mv3'),
    peerWords: 20_000,
    warm: false,
    pin: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => argv[++i];
    if (k === '--runs') a.runs = Math.max(1, Number(v()));
    else if (k === '--json') a.json = v();
    else if (k === '--sizes') a.sizes = v().split(',').filter(Boolean).map(parseWords);
    else if (k === '--fixtures') {
      const f = v();
      a.fixtures = f === 'none' ? [] : f === 'all' ? [...fixtureFiles().keys()] : f.split(',');
    } else if (k === '--skip-peer') a.peer = false;
    else if (k === '--skip-sweep') a.sweep = false;
    else if (k === '--warm') a.warm = true;
    else if (k === '--pin') a.pin = true;
    else if (k === '--ext') a.ext = resolve(v());
    else if (k === '--peer-words') a.peerWords = parseWords(v());
    else if (k === '--help' || k === '-h') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`unknown argument ${k}`);
  }
  if (a.pin && !a.warm) throw new Error('--pin needs --warm (the measured page must reuse a renderer that exists when threads are pinned)');
  return a;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The small in-scope page opened first in --warm mode (2,000 generated words). */
const WARM_PATH = '/warm-2000.html';
const LAUNCH_SETTLE_MS = 2000;
const median = (xs: number[]): number => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface RunResult {
  trace: ExtensionTraceStats;
  floor: { walkMs: number; matchMs: number; totalMs: number; hits: number; nodes: number; chars: number; untracedMs?: number; cpuMs?: number };
  /** The same floor, one pass in each of ISO_WORLDS fresh isolated worlds (medians; see isolatedFloors). */
  floorIso: { walkMs: number; matchMs: number; totalMs: number; cpuMs: number; hits: number };
  /**
   * The same floor, one pass in the main world of a fresh page: the control load of the same HTML on another
   * site (its own renderer, where neither the extension nor the floor ran, and no script read a text node before;
   * only the heap and shape reads, which create no text-node wrappers), under a trace of its own.
   * performance-notes §6 measures its baselines this way (a fresh context per run, the median over runs).
   */
  floorFresh: { walkMs: number; matchMs: number; totalMs: number; cpuMs: number; hits: number };
  /** Occurrences painted (the report's counts; with the default settings every occurrence is painted). */
  ranges: number;
  /** Ranges registered in CSS.highlights at the end: only those near the viewport (lib/page/paint.ts). */
  registered: number;
  highlights: Record<string, number>;
  report: any;
  /** What the extension's background spent matching this page's text (`glens:match`; its own clock, ms). */
  background: { requests: number; chars: number; ms: number };
  firstRangeFromNavMs?: number;
  heapExtMB: number;
  heapControlMB: number;
  heapGrowthMB: number;
  elements: number;
  elementsControl: number;
  words: number;
  loadMs: number;
  waitedMs: number;
}

/** Fresh isolated worlds in which the like-for-like floor runs once each. */
const ISO_WORLDS = 3;

/**
 * The floor as a content script meets it: one pass (floorExpr with 1 run) in a fresh isolated world of
 * the page, once per world. A content script runs in an isolated world, where each DOM node's JS wrapper
 * is created on first access and found through a per-world map (in the main world it sits in the node),
 * and the extension's pass is a first pass, not the median of repeated ones. Measured on the 100k page:
 * the bare walk takes ~16 ms on a first isolated pass against ~2 ms hot in the main world.
 */
async function isolatedFloors(cdp: CDPSession, forms: string[], n: number): Promise<RunResult['floor'][]> {
  const { frameTree } = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
  const out: RunResult['floor'][] = [];
  for (let i = 0; i < n; i++) {
    const { executionContextId } = (await cdp.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: `glens-bench-floor-${i}` })) as {
      executionContextId: number;
    };
    const r = (await cdp.send('Runtime.evaluate', { expression: floorExpr(forms, 1, 'glens-isofloor'), contextId: executionContextId, returnByValue: true })) as {
      result: { value?: RunResult['floor'][] };
      exceptionDetails?: { text: string };
    };
    if (!r.result.value) throw new Error(`isolated floor failed: ${r.exceptionDetails?.text ?? 'no value'}`);
    out.push(r.result.value[0]);
  }
  return out;
}

/** One floor pass in `page`'s main world (no text node read there yet), traced for its CPU time. */
async function freshFloor(page: Page, forms: string[]): Promise<RunResult['floorFresh']> {
  const cdp = await page.context().newCDPSession(page);
  await startTrace(cdp, { profiler: false });
  const [r] = (await page.evaluate(floorExpr(forms, 1, 'glens-freshfloor'))) as RunResult['floor'][];
  const spans = markedSpans(await stopTrace(cdp), 'glens-freshfloor');
  await cdp.detach();
  return { walkMs: r.walkMs, matchMs: r.matchMs, totalMs: r.totalMs, cpuMs: spans[0]?.cpuMs ?? NaN, hits: r.hits };
}

async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  await cdp.detach();
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / 1_048_576;
}

async function getReport(b: ChromiumWithExtension, url: string): Promise<any> {
  const expr = `(async () => {
    const tabs = await chrome.tabs.query({});
    const tab = tabs.find((t) => t.url === ${JSON.stringify(url)});
    if (!tab) return { error: 'tab not found' };
    try { return await chrome.tabs.sendMessage(tab.id, { type: 'glens:getReport' }); } catch (e) { return { error: String(e && e.message || e) }; }
  })()`;
  try {
    let worker = b.context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
    if (!worker) worker = await b.context.waitForEvent('serviceworker', { timeout: 5000 });
    return await worker.evaluate(expr);
  } catch (e) {
    return { error: String((e as Error).message) };
  }
}

/** The background's running totals for `glens:match` (lib/scope/controller.ts matchStats). */
async function backgroundStats(b: ChromiumWithExtension): Promise<{ requests: number; chars: number; ms: number }> {
  try {
    let worker = b.context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
    if (!worker) worker = await b.context.waitForEvent('serviceworker', { timeout: 5000 });
    const s: any = await worker.evaluate('globalThis.glensMatchStats ?? null');
    return s ? { requests: s.requests, chars: s.chars, ms: s.ms } : { requests: 0, chars: 0, ms: 0 };
  } catch {
    return { requests: 0, chars: 0, ms: NaN };
  }
}

/** One measured load of `path` with the extension (plus a control load without it for heap/elements). */
async function measureExtension(b: ChromiumWithExtension, srv: BenchServer, path: string, forms: string[], warm: boolean, pin = false): Promise<RunResult> {
  const ctx = b.context;
  // The browser was launched a moment ago: let its own start-up (extension service worker, component
  // set-up) settle first, or the first page of a small size competes with it for the 2 cores (a small
  // page's control load is over quickly, so its measured load came ~1 s after launch).
  await sleep(LAUNCH_SETTLE_MS);
  // Control: the same page on a host outside the scope, so the content script does not run.
  const control = await ctx.newPage();
  await control.goto(`http://127.0.0.1:${srv.port}${path}`, { waitUntil: 'load', timeout: 180_000 });
  await sleep(300);
  const heapControlMB = await heapAfterGc(control);
  const shapeControl: any = await control.evaluate(PAGE_SHAPE);
  const floorFresh = await freshFloor(control, forms);
  await control.close();

  const page = await ctx.newPage();
  await page.addInitScript({ content: POLLER });
  if (warm) {
    // Same tab, same site: the measured page reuses this renderer. Let this page's work (its pass and
    // idle-time discovery) finish before tracing starts.
    await page.goto(`http://${SCOPE_HOST}:${srv.port}${WARM_PATH}`, { waitUntil: 'load', timeout: 60_000 });
    await sleep(2500);
    if (pin) {
      const p = pinPageRenderers();
      console.log(`  pinned: renderer main thread(s) ${p.renderers.join(', ')} on core 0, ${p.threads} other threads on core 1`);
    }
  }
  const bgBefore = await backgroundStats(b);
  const cdp = await ctx.newCDPSession(page);
  await startTrace(cdp);
  const url = `http://${SCOPE_HOST}:${srv.port}${path}`;
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
  const loadMs = Date.now() - t0;
  // Done = the painted range count has not changed for 800 ms (3 s while nothing is painted), capped at 60 s.
  let last = -1;
  let since = Date.now();
  while (Date.now() - t0 < 60_000) {
    await sleep(250);
    const n = Number(await page.evaluate(REGISTERED));
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since > (n > 0 ? 800 : 3000)) break;
  }
  const waitedMs = Date.now() - t0;
  // The floor runs under the same tracing, so the ratio compares like with like. The isolated-world floor
  // goes first, so its RegExp is compiled in its own first pass too.
  const isoFloors = await isolatedFloors(cdp, forms, ISO_WORLDS);
  const floors: RunResult['floor'][] = await page.evaluate(floorExpr(forms, 5));
  const events = await stopTrace(cdp);
  await cdp.detach();
  if (process.env.BENCH_SAVE_TRACE) writeFileSync(join(process.env.BENCH_SAVE_TRACE, `trace${path.replace(/\W+/g, '-')}.json`), JSON.stringify(events));
  const trace = analyzeTrace(events, b.extensionId);
  const spans = markedSpans(events);
  const report = await getReport(b, url);
  const bgAfter = await backgroundStats(b);
  const background = { requests: bgAfter.requests - bgBefore.requests, chars: bgAfter.chars - bgBefore.chars, ms: bgAfter.ms - bgBefore.ms };
  const highlights: Record<string, number> = await page.evaluate(HIGHLIGHT_SIZES);
  const registered = Object.entries(highlights)
    .filter(([k]) => k.startsWith('glens-') && k !== 'glens-focus')
    .reduce((s, [, v]) => s + v, 0);
  const ranges = (report?.terms ?? []).reduce((s: number, t: { count: number }) => s + t.count, 0);
  const first = Number(await page.evaluate('window.__glensBench ? window.__glensBench.first : 0'));
  const shape: any = await page.evaluate(PAGE_SHAPE);
  const floorsUntraced: RunResult['floor'][] = await page.evaluate(floorExpr(forms, 5));
  const heapExtMB = await heapAfterGc(page);
  await page.close();
  const floor = {
    walkMs: median(floors.map((f) => f.walkMs)),
    matchMs: median(floors.map((f) => f.matchMs)),
    totalMs: median(floors.map((f) => f.totalMs)),
    hits: floors[0].hits,
    nodes: floors[0].nodes,
    chars: floors[0].chars,
    untracedMs: median(floorsUntraced.map((f) => f.totalMs)),
    cpuMs: median(spans.map((x) => x.cpuMs)),
  };
  const floorIso = {
    walkMs: median(isoFloors.map((f) => f.walkMs)),
    matchMs: median(isoFloors.map((f) => f.matchMs)),
    totalMs: median(isoFloors.map((f) => f.totalMs)),
    cpuMs: median(markedSpans(events, 'glens-isofloor').map((x) => x.cpuMs)),
    hits: isoFloors[0].hits,
  };
  return {
    trace,
    floor,
    floorIso,
    floorFresh,
    ranges,
    registered,
    highlights,
    report,
    background,
    firstRangeFromNavMs: first || undefined,
    heapExtMB,
    heapControlMB,
    heapGrowthMB: heapExtMB - heapControlMB,
    elements: shape.elements,
    elementsControl: shapeControl.elements,
    words: shape.words,
    loadMs,
    waitedMs,
  };
}

interface PageSummary {
  name: string;
  kind: 'generated' | 'fixture';
  words: number;
  runs: RunResult[];
  median: {
    extScriptMs: number;
    extThreadMs: number;
    extSampledMs: number;
    floorMs: number;
    floorWalkMs: number;
    floorMatchMs: number;
    floorUntracedMs: number;
    floorCpuMs: number;
    ratio: number;
    ratioCpu: number;
    floorIsoMs: number;
    floorIsoWalkMs: number;
    floorIsoCpuMs: number;
    ratioIso: number;
    ratioIsoCpu: number;
    floorFreshMs: number;
    floorFreshCpuMs: number;
    ratioFresh: number;
    ratioFreshCpu: number;
    longestTaskCpuMs: number;
    longestExtInTaskMs: number;
    longestTaskMs: number;
    longTasks: number;
    slicesTrace: number;
    firstRangeMs: number;
    firstPaintedMs: number;
    firstPaintMsReport: number;
    annotateMsReport: number;
    longestSliceMsReport: number;
    longestAfterEvalMs: number;
    longestAfterEvalCpuMs: number;
    /** Σ over runs: slices (extension events after the evaluation), and those over 10 ms by wall and by CPU. */
    slicesAll: number;
    slicesOver10Wall: number;
    slicesOver10Cpu: number;
    /** Max over runs of the 99th-percentile slice (wall). */
    sliceP99Ms: number;
    restyleMs: number;
    longestRestyleMs: number;
    paintMs: number;
    longestPaintInTaskMs: number;
    ranges: number;
    registered: number;
    floorHits: number;
    heapGrowthMB: number;
    extraElements: number;
  };
}

function summarize(name: string, kind: PageSummary['kind'], runs: RunResult[]): PageSummary {
  const m = (f: (r: RunResult) => number | undefined) => median(runs.map((r) => f(r) ?? NaN));
  const ratios = runs.map((r) => r.trace.scriptMs / r.floor.totalMs);
  return {
    name,
    kind,
    words: runs[0]?.words ?? 0,
    runs,
    median: {
      extScriptMs: m((r) => r.trace.scriptMs),
      extThreadMs: m((r) => r.trace.threadMs),
      extSampledMs: m((r) => r.trace.sampledMs),
      floorMs: m((r) => r.floor.totalMs),
      floorWalkMs: m((r) => r.floor.walkMs),
      floorMatchMs: m((r) => r.floor.matchMs),
      floorUntracedMs: m((r) => r.floor.untracedMs),
      floorCpuMs: m((r) => r.floor.cpuMs),
      ratioCpu: median(runs.map((r) => r.trace.threadMs / (r.floor.cpuMs ?? NaN))),
      floorIsoMs: m((r) => r.floorIso?.totalMs),
      floorIsoWalkMs: m((r) => r.floorIso?.walkMs),
      floorIsoCpuMs: m((r) => r.floorIso?.cpuMs),
      ratioIso: median(runs.map((r) => r.trace.scriptMs / (r.floorIso?.totalMs ?? NaN))),
      ratioIsoCpu: median(runs.map((r) => r.trace.threadMs / (r.floorIso?.cpuMs ?? NaN))),
      floorFreshMs: m((r) => r.floorFresh.totalMs),
      floorFreshCpuMs: m((r) => r.floorFresh.cpuMs),
      ratioFresh: median(runs.map((r) => r.trace.scriptMs / r.floorFresh.totalMs)),
      ratioFreshCpu: median(runs.map((r) => r.trace.threadMs / r.floorFresh.cpuMs)),
      longestTaskCpuMs: m((r) => r.trace.longestTaskCpuMs),
      longestExtInTaskMs: m((r) => r.trace.longestExtInTaskMs),
      ratio: median(ratios),
      longestTaskMs: m((r) => r.trace.longestTaskMs),
      longTasks: Math.max(...runs.map((r) => r.trace.longTasks)),
      slicesTrace: m((r) => r.trace.events),
      firstRangeMs: m((r) => r.trace.firstMarkMs),
      firstPaintedMs: m((r) => r.trace.firstPaintedMs),
      firstPaintMsReport: m((r) => r.report?.timing?.firstPaintMs),
      annotateMsReport: m((r) => r.report?.timing?.annotateMs),
      longestSliceMsReport: m((r) => r.report?.timing?.longestSliceMs),
      // Max over runs (a slice goal is about the worst slice).
      longestAfterEvalMs: Math.max(...runs.map((r) => r.trace.longestAfterEvalMs)),
      longestAfterEvalCpuMs: Math.max(...runs.map((r) => r.trace.longestAfterEvalCpuMs)),
      slicesAll: runs.reduce((n, r) => n + r.trace.slicesAfterEval, 0),
      slicesOver10Wall: runs.reduce((n, r) => n + r.trace.slicesOver10Wall, 0),
      slicesOver10Cpu: runs.reduce((n, r) => n + r.trace.slicesOver10Cpu, 0),
      sliceP99Ms: Math.max(...runs.map((r) => r.trace.sliceP99Ms)),
      restyleMs: m((r) => r.trace.restyleMs),
      longestRestyleMs: Math.max(...runs.map((r) => r.trace.longestRestyleMs)),
      paintMs: m((r) => r.trace.paintMs),
      longestPaintInTaskMs: Math.max(...runs.map((r) => r.trace.longestPaintInTaskMs)),
      ranges: m((r) => r.ranges),
      registered: m((r) => r.registered),
      floorHits: m((r) => r.floor.hits),
      heapGrowthMB: m((r) => r.heapGrowthMB),
      extraElements: m((r) => r.elements - r.elementsControl),
    },
  };
}

async function bundleMatcher(): Promise<string | undefined> {
  const entry = join(ROOT, 'lib/match/index.ts');
  if (!existsSync(entry)) return undefined;
  const { build } = await import('esbuild');
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    globalName: 'GlensMatch',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: true,
    alias: { '@': ROOT },
    logLevel: 'silent',
  });
  return r.outputFiles[0].text;
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function table(headers: string[], rows: string[][]): string {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? pad(c, w[i]) : lpad(c, w[i]))).join('  ');
  return [line(headers), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(join(args.ext, 'manifest.json'))) throw new Error(`no built extension at ${args.ext}; run npm run build`);
  // Work on a private copy: other tools (the e2e setup) rebuild .output while the bench runs.
  const extCopy = mkdtempSync(join(tmpdir(), 'glens-bench-ext-'));
  cpSync(args.ext, extCopy, { recursive: true });
  console.log(`extension: ${args.ext} (copied to ${extCopy})`);
  args.ext = extCopy;
  process.on('exit', () => rmSync(extCopy, { recursive: true, force: true }));
  const load0 = loadavg()[0];
  const glossary = await loadGlossary(ROOT);
  const forms = glossary.forms;
  console.log(
    `Governance Lens bench — ${args.warm ? 'WARM (measured page opened second on its site, same tab)' : 'cold (measured page is the first of its site)'}${args.pin ? ', PINNED (diagnosis: the page\'s main thread alone on core 0)' : ''}, ${args.runs} run(s) per page, glossary: ${glossary.source} (${glossary.index.terms.length} terms, ${forms.length} forms)` +
      (glossary.note ? ` [${glossary.note}]` : ''),
  );
  const srv = await startServer();
  if (args.warm) srv.set(WARM_PATH, { body: generatePage(2_000, forms).html });
  const fixtures = fixtureFiles();
  const pages: { name: string; kind: PageSummary['kind']; path: string }[] = [];
  for (const words of args.sizes) {
    const g = generatePage(words, forms);
    const path = `/gen-${words}.html`;
    srv.set(path, { body: g.html });
    pages.push({ name: `generated ${words / 1000}k`, kind: 'generated', path });
  }
  for (const f of args.fixtures) {
    const file = fixtures.get(f);
    if (!file) {
      console.warn(`fixture ${f} not found under tests/fixtures (skipped)`);
      continue;
    }
    const path = `/fixture/${f}.html`;
    srv.set(path, { body: readFileSync(file) });
    pages.push({ name: f, kind: 'fixture', path });
  }
  const peerPath = `/gen-${args.peerWords}.html`;
  if (args.peer) {
    srv.set(peerPath, { body: generatePage(args.peerWords, forms).html });
    srv.set('/mark.min.js', { body: readFileSync(join(ROOT, 'node_modules/mark.js/dist/mark.min.js')), type: 'text/javascript' });
  }

  const summaries: PageSummary[] = [];
  let browserVersion = '';
  let extensionId = '';
  const measure = async (path: string): Promise<RunResult[]> => {
    const runs: RunResult[] = [];
    for (let r = 0; r < args.runs; r++) {
      const b = await launchChromium(args.ext);
      extensionId = b.extensionId;
      browserVersion ||= b.context.browser()?.version() ?? '';
      try {
        runs.push(await measureExtension(b, srv, path, forms, args.warm, args.pin));
      } finally {
        await b.close();
      }
    }
    return runs;
  };
  for (const p of pages) {
    process.stdout.write(`  measuring ${p.name} …`);
    const t = Date.now();
    const runs = await measure(p.path);
    const s = summarize(p.name, p.kind, runs);
    summaries.push(s);
    process.stdout.write(` ${((Date.now() - t) / 1000).toFixed(0)} s: ext ${f1(s.median.extScriptMs)} ms, floor ${f1(s.median.floorMs)} ms\n`);
  }

  // Peer: mark.js on the 20k page, in a page without the extension; the extension on the same page.
  let peer: any;
  if (args.peer) {
    process.stdout.write(`  measuring mark.js peer (${args.peerWords / 1000}k words) …`);
    const extRuns = await measure(peerPath);
    const extS = summarize(`generated ${args.peerWords / 1000}k (peer page)`, 'generated', extRuns);
    const markRuns: { ms: number; cpuMs: number; marks: number; heapGrowthMB: number }[] = [];
    const markRunsN = Math.min(args.runs, 3);
    for (let r = 0; r < markRunsN; r++) {
      const b = await launchChromium(args.ext);
      try {
        const page = await b.context.newPage();
        await page.goto(`http://127.0.0.1:${srv.port}${peerPath}`, { waitUntil: 'load' });
        await page.addScriptTag({ url: `http://127.0.0.1:${srv.port}/mark.min.js` });
        const h0 = await heapAfterGc(page);
        const cdp = await b.context.newCDPSession(page);
        await cdp.send('Performance.enable');
        const metric = async (name: string): Promise<number> =>
          ((await cdp.send('Performance.getMetrics')) as any).metrics.find((m: any) => m.name === name)?.value ?? NaN;
        // The renderer main thread's CPU time (ThreadTime, s) around the run: compared with the
        // extension's thread time, as the ratio targets compare CPU next to wall.
        const c0 = await metric('ThreadTime');
        const res: any = await page.evaluate(markJsExpr(forms));
        const c1 = await metric('ThreadTime');
        const h1 = (await metric('JSHeapUsedSize')) / 1_048_576;
        markRuns.push({ ms: res.ms, cpuMs: (c1 - c0) * 1000, marks: res.marks, heapGrowthMB: h1 - h0 });
      } finally {
        await b.close();
      }
    }
    const markMs = median(markRuns.map((r) => r.ms));
    const markCpuMs = median(markRuns.map((r) => r.cpuMs));
    peer = {
      words: args.peerWords,
      markJs: { ms: markMs, cpuMs: markCpuMs, marks: median(markRuns.map((r) => r.marks)), heapGrowthMB: median(markRuns.map((r) => r.heapGrowthMB)), runs: markRuns },
      extension: extS,
      speedup: markMs / extS.median.extScriptMs,
      speedupCpu: markCpuMs / extS.median.extThreadMs,
    };
    process.stdout.write(` mark.js ${f1(markMs)} ms vs extension ${f1(extS.median.extScriptMs)} ms\n`);
  }

  // Cost vs glossary size: the matcher module itself, bundled, over the 100k page's text.
  let sweep: any;
  if (args.sweep) {
    const bundle = await bundleMatcher().catch((e) => {
      sweep = { error: `esbuild: ${(e as Error).message}` };
      return undefined;
    });
    if (bundle) {
      process.stdout.write('  measuring matcher vs glossary size …');
      const sweepPath = '/gen-100000-sweep.html';
      srv.set(sweepPath, { body: generatePage(100_000, forms).html });
      const b = await launchChromium(args.ext);
      try {
        const page = await b.context.newPage();
        await page.goto(`http://127.0.0.1:${srv.port}${sweepPath}`, { waitUntil: 'load' });
        await page.addScriptTag({ content: bundle });
        const sizes = [100, 300, 1000, 3000];
        const indexes = sizes.map((n) => syntheticIndex(glossary.index, n));
        const rows: any[] = await page.evaluate(matcherSweepExpr(indexes, Math.max(7, args.runs)));
        sweep = { page: '100k generated', rows };
        process.stdout.write(' done\n');
      } catch (e) {
        sweep = { error: (e as Error).message };
        process.stdout.write(` failed: ${(e as Error).message}\n`);
      } finally {
        await b.close();
      }
    } else if (!sweep) sweep = { error: 'lib/match/index.ts missing' };
  }
  await srv.close();

  // ---- Output ----
  const rows = summaries.map((s) => [
    s.name,
    String(s.words),
    f1(s.median.extScriptMs),
    f1(s.median.floorMs),
    f2(s.median.ratio),
    f1(s.median.extThreadMs),
    f2(s.median.floorCpuMs),
    f2(s.median.ratioCpu),
    f1(s.median.longestTaskMs),
    f1(s.median.longestTaskCpuMs),
    f1(s.median.longestExtInTaskMs),
    String(s.median.longTasks),
    f1(s.median.firstRangeMs),
    f1(s.median.firstPaintedMs),
    f1(s.median.firstPaintMsReport),
    String(s.median.ranges),
    String(s.median.registered),
    String(s.median.floorHits),
    f1(s.median.heapGrowthMB),
    String(s.median.extraElements),
  ]);
  console.log('\nExtension in the page (medians; ms unless noted)');
  console.log(
    table(
      ['page', 'words', 'ext wall', 'floor wall', 'ratio', 'ext CPU', 'floor CPU', 'ratio CPU', 'longest task', 'its CPU', 'ext/task max', '≥50ms', 'first range', 'on screen', 'report 1st', 'ranges', 'registered', 'floor hits', 'Δheap MB', 'Δelem'],
      rows,
    ),
  );
  console.log(
    '\n  ext = Σ outermost main-thread script events attributed to the extension (trace; wall = duration, CPU = thread time);\n' +
      '  floor = bare TreeWalker + one literal-alternation RegExp over the lower-cased text, same page, same tracing, median of 5;\n' +
      '  longest task = longest RunTask holding extension work (wall; its CPU); ext/task max = most extension script time in any one task;\n' +
      '  ≥50ms = max over runs of the number of such tasks ≥ 50 ms (wall);\n' +
      '  first range = content-script (annotate.js) evaluation → first frame with a glens-* range (rAF poller);\n' +
        '  on screen = the same start → end of the first Paint after it (that frame\'s style, layout and paint done); report 1st = PageReport.timing.firstPaintMs;\n' +
        '  ranges = occurrences painted (the report), registered = ranges in CSS.highlights at the end: only blocks near the viewport are registered.',
  );
  const detail = summaries.map((s) => [
    s.name,
    f1(s.median.slicesTrace),
    f1(s.median.extSampledMs),
    f1(s.median.floorWalkMs),
    f1(s.median.floorMatchMs),
    f1(s.median.floorUntracedMs),
    f1(s.median.annotateMsReport),
    f1(s.median.longestSliceMsReport),
    f1(s.median.longestAfterEvalMs),
    f1(s.median.longestAfterEvalCpuMs),
    `${s.median.slicesOver10Wall} / ${s.median.slicesOver10Cpu} of ${s.median.slicesAll}`,
    f1(s.median.sliceP99Ms),
    f1(s.median.restyleMs),
    f1(s.median.longestRestyleMs),
    f1(s.median.paintMs),
    f1(s.median.longestPaintInTaskMs),
  ]);
  console.log(
    '\n' +
      table(
        ['page', 'ext events', 'ext sampled', 'floor walk', 'floor regex', 'floor untraced', 'report annotate', 'report longest slice', 'slice max wall', 'slice max CPU', '>10ms wall / CPU', 'slice p99', 'restyle', 'restyle max', 'paint', 'paint max'],
        detail,
      ),
  );
  console.log(
    '  slice max = longest extension event after the script evaluation (slices and start-up steps), max over runs, from the trace;\n' +
      '  wall includes time the OS gave the core to other processes, CPU does not;\n' +
      '  >10ms = slices (those events) over 10 ms by wall / by CPU, of all slices in all runs; slice p99 = 99th percentile (wall), max over runs;\n' +
      '  restyle = Σ style recalculation after the content script started (median), restyle max = the longest one (max over runs):\n' +
      '  on the generated pages, which run no script, all of it is caused by the extension;\n' +
      '  paint = Σ pre-paint + paint after the content script started (median), paint max = the most in one task (max over runs):\n' +
      '  Chromium re-marks every highlighted range in the pre-paint after any change to a highlight.',
  );

  console.log('\nLike-for-like floor: the same pass once, in a fresh isolated world (where a content script runs), median of ' + ISO_WORLDS + ' worlds');
  console.log(
    table(
      ['page', 'ext wall', 'iso floor wall', 'its walk', 'ratio', 'ext CPU', 'iso floor CPU', 'ratio CPU', 'hot floor CPU', 'fresh floor w / c', 'ratio w / c'],
      summaries.map((s) => [
        s.name,
        f1(s.median.extScriptMs),
        f1(s.median.floorIsoMs),
        f1(s.median.floorIsoWalkMs),
        f2(s.median.ratioIso),
        f1(s.median.extThreadMs),
        f1(s.median.floorIsoCpuMs),
        f2(s.median.ratioIsoCpu),
        f1(s.median.floorCpuMs),
        `${f1(s.median.floorFreshMs)} / ${f1(s.median.floorFreshCpuMs)}`,
        `${f2(s.median.ratioFresh)} / ${f2(s.median.ratioFreshCpu)}`,
      ]),
    ),
  );
  console.log(
    '  hot floor = the table above: the median of 5 repeated passes in the main world, where DOM wrappers live in the nodes\n' +
      '  and, after the first pass, already exist. The extension makes one first pass in an isolated world.\n' +
      '  fresh floor = one pass in the main world of a fresh page: the control load of the same HTML on another site (its own\n' +
      '  renderer, no text node read there before), traced on its own; the way performance-notes §6 measures its baselines.',
  );

  console.log("\nThe extension's background (glens:match: the page's text matched off its main thread), medians");
  console.log(
    table(
      ['page', 'requests', 'chars there', 'chars on the page', 'background ms', 'ext CPU + background', 'ratio to iso floor CPU'],
      summaries.map((s) => {
        const bg = median(s.runs.map((r) => r.background?.ms ?? 0));
        const both = median(s.runs.map((r) => r.trace.threadMs + (r.background?.ms ?? 0)));
        return [
          s.name,
          String(median(s.runs.map((r) => r.background?.requests ?? 0))),
          String(median(s.runs.map((r) => r.report?.matchedChars?.background ?? 0))),
          String(median(s.runs.map((r) => r.report?.matchedChars?.page ?? 0))),
          f1(bg),
          f1(both),
          f2(both / s.median.floorIsoCpuMs),
        ];
      }),
    ),
  );
  console.log(
    "  background ms = the service worker's own clock around each answer (another process: it does not hold the page's main\n" +
      '  thread, but it shares the machine); the targets compare the main-thread time above.',
  );

  if (peer) {
    console.log(
      `\nPeer (${peer.words / 1000}k words, ${forms.length} forms): mark.js ${f1(peer.markJs.ms)} ms (${peer.markJs.marks} marks, Δheap ${f1(peer.markJs.heapGrowthMB)} MB)` +
        ` vs extension ${f1(peer.extension.median.extScriptMs)} ms script → ${f1(peer.speedup)}× faster;` +
        ` CPU: mark.js ${f1(peer.markJs.cpuMs)} ms vs extension ${f1(peer.extension.median.extThreadMs)} ms → ${f1(peer.speedupCpu)}×`,
    );
  }
  if (sweep?.rows) {
    console.log('\nMatcher (lib/match, bundled, in page) vs glossary size over the 100k page text');
    console.log(
      table(
        ['terms', 'forms', 'build', 'find', 'hits', 'regex floor', 'regex hits'],
        sweep.rows.map((r: any) => [String(r.terms), String(r.forms), f1(r.buildMs), f1(r.findMs), String(r.hits), f1(r.regexMs), String(r.regexHits)]),
      ),
    );
  } else if (sweep) console.log(`\nMatcher sweep: not run (${sweep.error})`);
  const gen = summaries.filter((s) => s.kind === 'generated');
  if (gen.length > 1) {
    console.log('\nExtension vs page size');
    console.log(
      table(
        ['page', 'words', 'ext script', 'ms per 100k words', 'floor per 100k words'],
        gen.map((s) => [s.name, String(s.words), f1(s.median.extScriptMs), f2((s.median.extScriptMs / s.words) * 1e5), f2((s.median.floorMs / s.words) * 1e5)]),
      ),
    );
  }

  // ---- Targets (issue 4) ----
  const targets: { target: string; pass: boolean; detail: string }[] = [];
  for (const s of gen.filter((s) => s.words >= 100_000)) {
    targets.push({
      target: `script ≤ 3× floor at ${s.name} (hot floor: median of 5 passes, main world)`,
      pass: s.median.ratio <= 3 && s.median.ratioCpu <= 3,
      detail: `wall ${f2(s.median.ratio)}× (${f1(s.median.extScriptMs)} / ${f1(s.median.floorMs)} ms), CPU ${f2(s.median.ratioCpu)}× (${f1(s.median.extThreadMs)} / ${f1(s.median.floorCpuMs)} ms)`,
    });
    targets.push({
      target: `script ≤ 3× floor at ${s.name} (like-for-like floor: one pass, fresh isolated world)`,
      pass: s.median.ratioIso <= 3 && s.median.ratioIsoCpu <= 3,
      detail: `wall ${f2(s.median.ratioIso)}× (${f1(s.median.extScriptMs)} / ${f1(s.median.floorIsoMs)} ms), CPU ${f2(s.median.ratioIsoCpu)}× (${f1(s.median.extThreadMs)} / ${f1(s.median.floorIsoCpuMs)} ms)`,
    });
  }
  const allLong = Math.max(...summaries.map((s) => s.median.longestTaskMs));
  const nLong = summaries.reduce((n, s) => n + s.median.longTasks, 0);
  const allLongCpu = Math.max(...summaries.map((s) => s.median.longestTaskCpuMs));
  targets.push({
    target: 'no task holding extension work ≥ 50 ms',
    pass: nLong === 0,
    // Wall time decides; thread time (CPU) is shown because a loaded machine stretches wall time.
    detail: `longest ${f1(allLong)} ms wall, ${f1(allLongCpu)} ms CPU; ${nLong} page(s)-runs with ≥50 ms wall`,
  });
  // Issue 5: slices of ≤ 10 ms. Both clocks are shown: wall decides; CPU says whether an overrun was our
  // work or the core taken away.
  {
    const all = summaries.reduce((n, s) => n + s.median.slicesAll, 0);
    const wall = summaries.reduce((n, s) => n + s.median.slicesOver10Wall, 0);
    const cpu = summaries.reduce((n, s) => n + s.median.slicesOver10Cpu, 0);
    const p99 = Math.max(...summaries.map((s) => s.median.sliceP99Ms));
    targets.push({
      target: 'slices ≤ 10 ms (issue 5)',
      pass: wall === 0 && cpu === 0,
      detail: `${all} slices: ${wall} over by wall (${f2((100 * wall) / Math.max(1, all))}%), ${cpu} over by CPU; worst page's p99 ${f1(p99)} ms wall`,
    });
  }
  // Our own addition to the goals: a change we make must not make the page restyle for ≥ 50 ms
  // (the generated pages run no script, so every restyle there is ours).
  if (gen.length) {
    const worst = Math.max(...gen.map((s) => s.median.longestRestyleMs));
    targets.push({ target: 'no style recalculation ≥ 50 ms caused by the extension (generated pages)', pass: worst < 50, detail: `longest ${f1(worst)} ms` });
  }
  // "Painted" is taken literally: the first range on screen (the frame after it is registered has been
  // painted), not the moment it is registered.
  const firsts = summaries.filter((s) => s.median.ranges > 0).map((s) => (Number.isFinite(s.median.firstPaintedMs) ? s.median.firstPaintedMs : s.median.firstRangeMs));
  const worstFirst = Math.max(...firsts.filter(Number.isFinite));
  targets.push({ target: 'first ranges on screen within 100 ms of script start', pass: firsts.length > 0 && worstFirst <= 100, detail: firsts.length ? `worst ${f1(worstFirst)} ms` : 'nothing painted' });
  if (peer) {
    targets.push({
      target: '≥ 100× faster than mark.js',
      pass: peer.speedup >= 100 && peer.speedupCpu >= 100,
      detail: `wall ${f1(peer.speedup)}×, CPU ${f1(peer.speedupCpu)}×`,
    });
  }
  if (sweep?.rows?.length) {
    const fs = sweep.rows.map((r: any) => r.findMs);
    const growth = fs[fs.length - 1] / fs[0];
    targets.push({ target: 'cost flat in glossary size (find 3,000 terms ≤ 1.5× 100 terms)', pass: growth <= 1.5, detail: `${f2(growth)}×` });
  }
  const nothing = summaries.every((s) => !s.median.ranges);
  const load1 = loadavg()[0];
  if (Math.max(load0, load1) > cpus().length) {
    console.log(`\n  WARNING: load average ${f1(load0)} → ${f1(load1)} on ${cpus().length} cores: wall times are inflated; compare CPU columns.`);
  }
  console.log(args.pin ? '\nTargets (PINNED: a diagnosis, not the product\'s figures)' : '\nTargets');
  for (const t of targets) console.log(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.target}: ${t.detail}`);
  if (nothing) console.log('  NOTE: the built extension painted no range on any page (is lib/page wired into the content script?)');

  if (args.json) {
    const out = {
      meta: {
        date: new Date().toISOString(),
        browser: `Chromium ${browserVersion}`,
        node: process.version,
        loadavg: { start: load0, end: loadavg()[0], cores: cpus().length },
        runs: args.runs,
        extensionId,
        extensionDir: args.ext,
        glossary: { source: glossary.source, version: glossary.index.version, terms: glossary.index.terms.length, forms: forms.length, note: glossary.note },
        method: {
          extScript: 'Σ wall durations of outermost main-thread script events (EvaluateScript, FunctionCall, RunMicrotasks, TimerFire, …) attributed to chrome-extension://ID/ by URL or by ≥50% of their JS CPU samples',
          floor: 'bare TreeWalker(SHOW_TEXT) reading .data + one literal-alternation RegExp (escaped, longest first, Unicode boundaries) over the lower-cased joined text; median of 5 in the same page, under the same tracing (floorUntracedMs: without tracing)',
          longestTask: 'longest top-level RunTask containing an extension script event',
          launch: `each page and run in a freshly launched browser, measured after ${LAUNCH_SETTLE_MS} ms for the launch to settle`,
          start: args.warm ? `warm: the measured page is opened second in its tab, after ${WARM_PATH} of the same site` : 'cold: the measured page is the first page of its site in the browser',
          pinned: args.pin,
          firstRange: 'content script (annotate.js) evaluation → first rAF in which CSS.highlights glens-* hold a range (console.timeStamp marker)',
          firstPainted: 'content script (annotate.js) evaluation → end of the first Paint event on the page thread after that marker',
          restyle: 'restyleMs / longestRestyleMs: Σ and longest UpdateLayoutTree on the page thread after the content script evaluation (wall)',
          paint: 'paintMs / longestPaintInTaskMs: Σ PrePaint + outermost Paint after the content script evaluation, and the most in one task (wall)',
          sliceMax: 'longestAfterEvalMs / longestAfterEvalCpuMs: longest outermost extension script event other than EvaluateScript, wall and thread time, max over runs',
          slicesOver10: 'slicesOver10Wall / slicesOver10Cpu of slicesAll: those events over 10 ms by wall and by thread time, summed over runs; sliceP99Ms: their 99th percentile (wall), max over runs',
          heap: 'JSHeapUsedSize after HeapProfiler.collectGarbage, extension page minus the same page on 127.0.0.1 (no extension)',
        },
      },
      pages: summaries,
      peer,
      glossarySweep: sweep,
      targets,
    };
    writeFileSync(resolve(args.json), JSON.stringify(out, null, 2));
    console.log(`\nJSON written to ${args.json}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
