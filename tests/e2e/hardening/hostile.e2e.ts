/**
 * Issue 7 — hostile pages, each its own test, in Chromium and Firefox ESR, served under the default-scope
 * host so the content script starts by itself. Every case ends with the page intact (compared with a
 * control load of the same page on 127.0.0.1, where the extension does not run) and the extension alive
 * (it answers glens:getReport) or cleanly off (no answer / idle, and no error). Fixtures:
 * tests/fixtures/hostile/*; the three huge pages are generated here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SCOPE_HOST, serveStatic, type ServedFile, type StaticServer } from '../../../scripts/lib/browsers';
import type { ExtSession } from '../../../scripts/lib/ext-session';
import { BROWSERS, HOST_TAG, type GPage, type PageReport } from '../helpers';
import {
  ErrorCollector,
  blockRemote,
  Summary,
  openSession,
  firstDiff,
  occurrences,
  openSettled,
  settledSnapshot,
  traceFor,
  type SettledLoad,
  type Snapshot,
} from './support';

const DIR = path.join(ROOT, 'tests/fixtures/hostile');

/** ~5 MB of prose in ONE text node (the parser may split it; the page normalizes it into one). */
function bigTextNodePage(): string {
  const words = 'the policy of open networks and the people who run them across borders and time '.repeat(12);
  const chunk = `${words}the Internet Governance Forum met again; `;
  const text = chunk.repeat(Math.ceil(5_000_000 / chunk.length));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>5 MB text node</title></head><body>
<h1>One 5 MB text node</h1><p id="big">${text}</p>
<script>var p = document.getElementById('big'); p.normalize(); window.__bigNodes = p.childNodes.length; window.__bigLength = p.firstChild.data.length;</script>
</body></html>`;
}

/**
 * 10,000 nested elements built by script (HTML parsers cap nesting depth far lower). They are
 * `display: contents`: Chromium's renderer itself crashes on layout trees ~3,000 deep (measured, also
 * without the extension), while the DOM walk we test only needs the DOM depth.
 */
function deepNestingPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>10,000-deep nesting</title>
<style>#root div, #root span { display: contents }</style></head><body>
<h1>Deep nesting</h1><div id="root"></div>
<script>
var node = document.getElementById('root');
for (var i = 0; i < 10000; i++) { var d = document.createElement(i % 2 ? 'span' : 'div'); node.appendChild(d); node = d; }
node.appendChild(document.createTextNode('At the bottom: the Internet Governance Forum and IXPs.'));
</script></body></html>`;
}

/** 200,000 elements (parsed, not scripted). */
function manyElementsPage(): string {
  const row = '<li><span>open</span> <em>networks</em> <b>and</b> <i>people</i></li>'; // 5 elements
  const rows: string[] = [];
  for (let i = 0; i < 200_000 / 5; i++) rows.push(i % 500 === 0 ? '<li>The <span>Internet Governance Forum</span> and IXPs.</li>' : row);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>200,000 elements</title></head><body>
<h1>200,000 elements</h1><ul>${rows.join('')}</ul></body></html>`;
}

interface Ctx {
  session: ExtSession;
  page: GPage;
  load: SettledLoad;
  report: PageReport | null;
  control: Snapshot;
  after: Snapshot;
  row: Record<string, string | number>;
}

interface Case {
  name: string;
  path: string;
  /** What the case is about (test title). */
  title: string;
  /** Compare text/elements with the control load (false for pages that change themselves). */
  compare?: boolean;
  /** The extension must annotate (state done, terms > 0); otherwise alive or cleanly off is enough. */
  annotate?: boolean;
  /** Probe run in both loads; its results must be equal (shadow roots, frames, the page's own objects). */
  probe?: (page: GPage) => Promise<unknown>;
  check?: (c: Ctx) => Promise<void>;
  timeoutMs?: number;
  /** Trace the load (Chromium) to report the longest task holding extension work; costly, so only heavy pages. */
  trace?: boolean;
}

/** Texts of every range in our highlights, with whether it lies in an editable/form control. */
function rangesInfo(page: GPage): Promise<{ text: string; editable: boolean }[]> {
  return page.evaluate(() => {
    const out: { text: string; editable: boolean }[] = [];
    const reg = (globalThis as any).CSS?.highlights;
    if (!reg || typeof reg.forEach !== 'function') return out;
    reg.forEach((h: any, name: string) => {
      if (!String(name).startsWith('glens-') || name === 'glens-focus') return;
      for (const r of h) {
        const n = r.startContainer as Node;
        let text: string;
        if (n === r.endContainer && n.nodeType === 3) text = (n as Text).data.slice(r.startOffset, r.endOffset);
        else {
          const live = document.createRange();
          live.setStart(n, r.startOffset);
          live.setEnd(r.endContainer, r.endOffset);
          text = live.toString();
        }
        const el = n.nodeType === 1 ? (n as Element) : n.parentElement;
        out.push({ text, editable: !!el?.closest('[contenteditable],textarea,input') || !!(el as HTMLElement)?.isContentEditable });
      }
    });
    return out;
  });
}

/** Open the card on the first term of the page (as keyboard navigation does) and let it render. */
async function openCard(c: Ctx): Promise<void> {
  const first = c.report?.terms[0];
  if (!first) return;
  await c.session.sendToTab(c.load.tabId, { type: 'glens:focusTerm', termId: first.id }).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 400));
}

const pwned = (page: GPage) => page.evaluate(() => (globalThis as any).__pwned ?? null);

const CASES: Case[] = [
  { name: 'csp-strict', path: '/csp-strict.html', title: "strict CSP (default-src 'none') from the server", annotate: true },
  {
    name: 'tamper-array-map',
    path: '/tamper-array-map.html',
    title: 'Array.prototype.map/forEach tampered before our script',
    annotate: true,
    probe: (p) => p.evaluate(() => String(Array.prototype.map).includes('tampered')),
  },
  {
    name: 'tamper-append-child',
    path: '/tamper-append-child.html',
    title: 'Node.prototype.appendChild/insertBefore/attachShadow tampered',
    annotate: true,
    probe: (p) => p.evaluate(() => String(Node.prototype.appendChild).includes('tampered')),
    check: async (c) => {
      await openCard(c); // the card host is inserted with the isolated world's own DOM methods
      expect(await c.page.evaluate(() => String(Node.prototype.appendChild).includes('tampered'))).toBe(true);
    },
  },
  {
    name: 'tamper-range',
    path: '/tamper-range.html',
    title: 'window.Range, StaticRange, Highlight, createRange replaced',
    annotate: true,
    probe: (p) => p.evaluate(() => String(window.Range).includes('tampered')),
  },
  {
    name: 'tamper-highlights',
    path: '/tamper-highlights.html',
    title: 'CSS.highlights replaced by a fake registry',
    annotate: true,
    probe: (p) => p.evaluate(() => (globalThis as any).CSS.highlights === (globalThis as any).__fakeRegistry),
  },
  {
    name: 'tamper-treewalker',
    path: '/tamper-treewalker.html',
    title: 'createTreeWalker, NodeFilter, MutationObserver, rAF, setTimeout, scheduler replaced',
    annotate: true,
    probe: (p) => p.evaluate(() => (globalThis as any).NodeFilter === null),
  },
  {
    name: 'big-text-node',
    path: '/big-text-node.html',
    title: 'a 5 MB text node',
    annotate: true,
    timeoutMs: 90_000,
    probe: (p) => p.evaluate(() => [(globalThis as any).__bigNodes, (globalThis as any).__bigLength]),
    check: async (c) => {
      const [nodes, len] = (await c.page.evaluate(() => [(globalThis as any).__bigNodes, (globalThis as any).__bigLength])) as number[];
      expect(nodes).toBe(1);
      expect(len).toBeGreaterThan(5_000_000);
    },
  },
  { name: 'deep-nesting', path: '/deep-nesting.html', title: '10,000-deep nesting', annotate: true, timeoutMs: 90_000 },
  { name: 'many-elements', path: '/many-elements.html', title: '200,000 elements', annotate: true, timeoutMs: 90_000 },
  {
    name: 'shadow-roots',
    path: '/shadow-roots.html',
    title: 'text in open and closed shadow roots',
    annotate: true,
    probe: (p) =>
      p.evaluate(() => [
        document.getElementById('open-host')!.shadowRoot!.innerHTML,
        (globalThis as any).__closed.innerHTML,
        document.getElementById('closed-host')!.shadowRoot,
      ]),
    check: async (c) => {
      const texts = (await rangesInfo(c.page)).map((r) => r.text).join('|');
      c.row.note = `shadow text annotated: open ${/IXPs/.test(texts) ? 'yes' : 'no'}, closed ${/ICANN/.test(texts) && /Tunis/.test(texts) ? 'maybe' : 'no'}`;
    },
  },
  {
    name: 'iframes',
    path: '/iframes.html',
    title: 'same-origin iframe and srcdoc iframe',
    annotate: true,
    probe: (p) =>
      p.evaluate(async () => {
        const frames = [...document.querySelectorAll('iframe')] as HTMLIFrameElement[];
        for (let i = 0; i < 100 && frames.some((f) => f.contentDocument?.readyState !== 'complete'); i++) await new Promise((r) => setTimeout(r, 20));
        return frames.map((f) => {
          const d = f.contentDocument;
          return d ? [d.documentElement.textContent, d.getElementsByTagName('*').length] : null;
        });
      }),
  },
  {
    name: 'contenteditable',
    path: '/contenteditable.html',
    title: 'contenteditable, textarea and input are left alone, typing still works',
    annotate: true,
    check: async (c) => {
      const info = await rangesInfo(c.page);
      expect(info.filter((r) => r.editable), 'ranges inside editable regions').toEqual([]);
      await c.page.click('#editor p');
      await c.page.press('End');
      await c.page.type('#editor', ' typed');
      const text = await c.page.evaluate(() => document.getElementById('editor')!.textContent);
      expect(text).toContain('typed');
      expect(await c.page.evaluate(() => document.getElementById('editor')!.getElementsByTagName('*').length)).toBe(1);
    },
  },
  {
    name: 'design-mode',
    path: '/design-mode.html',
    title: 'document.designMode = "on"',
    check: async (c) => {
      expect(await c.page.evaluate(() => document.designMode)).toBe('on');
      c.row.note = `state ${c.report?.state ?? 'no answer'}`;
    },
  },
  { name: 'xhtml', path: '/xhtml.xhtml', title: 'XHTML served as application/xhtml+xml' },
  {
    name: 'svg-document',
    path: '/svg-document.svg',
    title: 'an SVG document',
    check: async (c) => {
      expect(await c.page.evaluate(() => document.documentElement.localName)).toBe('svg');
    },
  },
  {
    name: 'frameset',
    path: '/frameset.html',
    title: 'a frameset',
    probe: (p) =>
      p.evaluate(async () => {
        const frames = [...document.querySelectorAll('frame')] as HTMLFrameElement[];
        for (let i = 0; i < 100 && frames.some((f) => f.contentDocument?.readyState !== 'complete'); i++) await new Promise((r) => setTimeout(r, 20));
        return frames.map((f) => f.contentDocument?.documentElement.textContent ?? null);
      }),
  },
  {
    name: 'markup-as-text',
    path: '/markup-as-text.html',
    title: 'text that looks like markup never executes (page, highlights, card)',
    annotate: true,
    check: async (c) => {
      await openCard(c);
      const hostHtml = await c.page.evaluate((tag: string) => {
        const h = document.querySelector(tag);
        const root = h?.shadowRoot;
        return root ? [...root.querySelectorAll('img,script,iframe,svg[onload]')].map((e) => e.localName + ':' + (e.getAttribute('src') ?? '')) : [];
      }, HOST_TAG);
      expect(hostHtml.filter((x) => x === 'img:x' || x.startsWith('script') || x.startsWith('iframe')), 'elements from page text in the card').toEqual([]);
      expect(await pwned(c.page)).toBeNull();
      expect(c.report!.title).toContain('<img src=x onerror=window.__pwned=1>');
    },
  },
  {
    name: 'rtl',
    path: '/rtl.html',
    title: 'right-to-left text with embedded English terms',
    annotate: true,
    check: async (c) => {
      const texts = (await rangesInfo(c.page)).map((r) => r.text);
      expect(texts.length).toBeGreaterThan(0);
      // Every painted range is a whole term, not a shifted slice of the Arabic/Hebrew text.
      const surfaces = new Set(c.report!.terms.flatMap((t) => Object.keys(t.surfaces)));
      for (const t of texts) expect(surfaces.has(t), `range "${t}" is a reported surface`).toBe(true);
    },
  },
  {
    name: 'removes-host',
    path: '/removes-host.html',
    title: 'a page that removes our host element',
    annotate: true,
    check: async (c) => {
      await openCard(c);
      await openCard(c);
      await new Promise((r) => setTimeout(r, 1000));
      const [adds, removals] = (await c.page.evaluate(() => [(globalThis as any).__hostAdds, (globalThis as any).__hostRemovals])) as number[];
      c.row.note = `host added ${adds}×, removed ${removals}×`;
      expect(adds, 'the extension does not fight the page for its host').toBeLessThanOrEqual(4);
      expect((await c.session.getReport(c.load.tabId))?.state).toBe('done');
    },
  },
  {
    name: 'colliding-highlights',
    path: '/colliding-highlights.html',
    title: "a page that registers its own and colliding ::highlight names",
    annotate: true,
    probe: (p) => p.evaluate(() => [(globalThis as any).CSS.highlights.has('page-own'), (globalThis as any).CSS.highlights.get('page-own')?.size]),
    check: async (c) => {
      const mine = await c.page.evaluate(() => (globalThis as any).CSS.highlights.get('glens-term') === (globalThis as any).__pageGlensTerm);
      c.row.note = `page's own 'glens-term' ${mine ? 'kept' : 'replaced by ours'}`;
    },
  },
  {
    name: 'mutates-every-frame',
    path: '/mutates-every-frame.html',
    title: 'a page that mutates itself every frame: the extension’s work stays bounded',
    compare: false,
    check: async (c) => {
      if (c.session.browser === 'chromium') {
        const t = await traceFor(c.session, c.page, 3000);
        c.row.note =
          `3 s: ext ${t.scriptMs.toFixed(0)} ms wall / ${t.threadMs.toFixed(0)} ms CPU in ${t.events} events; ` +
          `most ext work in one task ${t.longestExtInTaskMs.toFixed(1)} ms wall / ${t.longestExtInTaskCpuMs.toFixed(1)} ms CPU`;
        // CPU (thread) time: wall time on a loaded 2-core machine includes descheduling, not our work.
        expect(t.threadMs, 'extension CPU time over 3 s (ms)').toBeLessThan(600);
        expect(t.longestExtInTaskCpuMs, "the extension's CPU time in one task (ms)").toBeLessThan(50);
      } else {
        const s0 = (await c.session.getReport(c.load.tabId))?.timing.slices ?? 0;
        await new Promise((r) => setTimeout(r, 3000));
        const r1 = await c.session.getReport(c.load.tabId);
        const slices = (r1?.timing.slices ?? 0) - s0;
        c.row.note = `3 s: ${slices} slices, longest ${r1?.timing.longestSliceMs.toFixed(1)} ms`;
        expect(slices, 'slices in 3 s').toBeLessThan(200);
        expect(r1?.timing.longestSliceMs ?? 0).toBeLessThan(50);
      }
      const frames = await c.page.evaluate(() => Number(document.getElementById('ticker')!.textContent!.split(' ')[0]));
      expect(frames, 'the page kept animating').toBeGreaterThan(30);
    },
  },
  {
    name: 'spoofed-messages',
    path: '/spoofed-messages.html',
    title: 'page script posting glens:* messages cannot drive the extension',
    annotate: true,
    check: async (c) => {
      await new Promise((r) => setTimeout(r, 500));
      const cardText = await c.page.evaluate((tag: string) => document.querySelector(tag)?.shadowRoot?.textContent ?? '', HOST_TAG);
      expect(cardText).not.toContain('FAKE TEXT');
      expect(await pwned(c.page)).toBeNull();
    },
  },
];

function files(): Record<string, string | ServedFile> {
  const out: Record<string, string | ServedFile> = {
    '/big-text-node.html': bigTextNodePage(),
    '/deep-nesting.html': deepNestingPage(),
    '/many-elements.html': manyElementsPage(),
  };
  for (const f of fs.readdirSync(DIR)) out[`/${f}`] = { body: fs.readFileSync(path.join(DIR, f)) };
  out['/csp-strict.html'] = {
    body: fs.readFileSync(path.join(DIR, 'csp-strict.html')),
    type: 'text/html; charset=utf-8',
    headers: { 'content-security-policy': "default-src 'none'" },
  };
  return out;
}

describe.each(BROWSERS)('hostile pages in %s', (browser) => {
  let session: ExtSession;
  let closeSession: () => Promise<void> = async () => {};
  let server: StaticServer;
  let errors: ErrorCollector;
  const summary = new Summary(`Hostile pages in ${browser}`);

  beforeAll(async () => {
    server = await serveStatic({ files: files() });
    const opened = await openSession(browser, [SCOPE_HOST]);
    session = opened.session;
    closeSession = opened.close;
    errors = ErrorCollector.attach(session);
  });
  afterAll(async () => {
    summary.print();
    await closeSession();
    await server?.close();
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const mark = errors.count;
    let control: Snapshot = { text: '', elements: 0, hosts: 0 };
    let probeBefore: unknown;
    if (c.compare !== false) {
      const cp = await session.newPage();
      await blockRemote(cp);
      await cp.goto(server.url(c.path));
      control = await settledSnapshot(cp);
      if (c.probe) probeBefore = await c.probe(cp);
      await cp.close();
    }
    const t0 = Date.now();
    const load = await openSettled(session, server.url(c.path, SCOPE_HOST), { timeoutMs: c.timeoutMs, trace: !!c.trace });
    const loadMs = Date.now() - t0;
    const { page, report } = load;
    const row: Record<string, string | number> = { case: c.name };
    try {
      const after = c.compare !== false ? await settledSnapshot(page) : control;
      row.state = report?.state ?? 'no answer';
      row.terms = report ? occurrences(report) : 0;
      row['longest slice'] = report ? report.timing.longestSliceMs.toFixed(1) : '–';
      row['trace task (ext part)'] = load.trace?.found ? `${load.trace.longestTaskMs.toFixed(1)} (${load.trace.longestExtInTaskMs.toFixed(1)})` : '–';
      row['annotate ms'] = report ? report.timing.annotateMs.toFixed(0) : '–';
      row['load+settle ms'] = loadMs;
      if (c.compare !== false) {
        row['text same'] = after.text === control.text ? 'yes' : 'NO';
        row['Δelements'] = after.elements - control.elements;
      }
      const ctx: Ctx = { session, page, load, report, control, after, row };
      if (c.compare !== false) {
        expect(after.text === control.text, `page text changed ${firstDiff(control.text, after.text)}`).toBe(true);
        expect(after.elements, 'element count (our host excluded)').toBe(control.elements);
        expect(after.hosts).toBeLessThanOrEqual(1);
      }
      if (c.probe) expect(await c.probe(page), 'probe (shadow roots / frames / the page’s own objects)').toEqual(probeBefore);
      if (c.annotate) {
        expect(report?.state, 'annotated').toBe('done');
        expect(occurrences(report!)).toBeGreaterThan(0);
      } else if (report) {
        expect(['done', 'off', 'idle']).toContain(report.state);
      }
      if (c.check) await c.check(ctx);
      // Alive after everything: the content script still answers (or was never there).
      if (report) expect(await session.getReport(load.tabId)).not.toBeNull();
      const errs = errors.since(mark);
      row.errors = errs.length;
      expect(errs.map((e) => `${e.kind}: ${e.text.slice(0, 300)} @ ${e.where}`), 'errors from the extension').toEqual([]);
    } finally {
      summary.add(row);
      await page.close().catch(() => undefined);
    }
  });
});

