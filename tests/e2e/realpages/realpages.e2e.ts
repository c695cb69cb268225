/**
 * Issue 7 — real pages (tests/fixtures/real-pages, copied from Mozilla Readability's test pages), in
 * Chromium and Firefox ESR with the extension enabled on them (served under the default-scope host).
 * Each page is compared with the same page loaded on 127.0.0.1, where the extension does not run, so
 * changes made by the page's own scripts are not blamed on us. Per page: no extension error; page text
 * and element count unchanged (one glens-card-host allowed); no task holding extension work ≥ 50 ms;
 * ≤ 5 annotated terms per 1,000 words (none of these pages is about Internet policy); on iab-1 no "IAB".
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SCOPE_HOST, serveStatic, type StaticServer } from '../../../scripts/lib/browsers';
import type { ExtSession } from '../../../scripts/lib/ext-session';
import { BROWSERS } from '../helpers';
import {
  ErrorCollector,
  blockRemote,
  Summary,
  openSession,
  firstDiff,
  longestTaskWithExtension,
  occurrences,
  openSettled,
  pageWords,
  settledSnapshot,
} from '../hardening/support';

const PAGES = [
  'iab-1',
  'wikipedia-2',
  'wikipedia-4',
  'rtl-1',
  'bbc-1',
  'nytimes-1',
  'wapo-2',
  'theverge',
  'medium-1',
  'mozilla-1',
  'lemonde-1',
  'hidden-nodes',
  'visibility-hidden',
  'heise',
  'qq',
  'ars-1',
  'google-sre-book-1',
];

// Run by default (the suite must stay within a few minutes on 2 cores); GLENS_REALPAGES=all runs every
// copied page, GLENS_REALPAGES=a,b a subset.
const DEFAULT = ['iab-1', 'wikipedia-2', 'wikipedia-4', 'rtl-1', 'bbc-1', 'medium-1', 'mozilla-1', 'lemonde-1', 'hidden-nodes', 'visibility-hidden', 'heise', 'qq', 'google-sre-book-1'];
const pick = process.env.GLENS_REALPAGES;
const ONLY = pick === 'all' ? PAGES : pick ? PAGES.filter((p) => pick.split(',').includes(p)) : DEFAULT;

describe.each(BROWSERS)('real pages in %s', (browser) => {
  let session: ExtSession;
  let closeSession: () => Promise<void> = async () => {};
  let server: StaticServer;
  let errors: ErrorCollector;
  const summary = new Summary(`Real pages in ${browser}`);

  beforeAll(async () => {
    server = await serveStatic({ dir: path.join(ROOT, 'tests/fixtures/real-pages') });
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

  it.each(ONLY)('%s: intact, no error, no long task, sparse annotations', async (name) => {
    const file = `/${name}.html`;
    const mark = errors.count;

    const control = await session.newPage();
    await blockRemote(control);
    await control.goto(server.url(file));
    const before = await settledSnapshot(control);
    await control.close();

    // Chromium: traced without the JS sampler (cheap); the report's longest slice covers the slices.
    const load = await openSettled(session, server.url(file, SCOPE_HOST), { profiler: false });
    const { page } = load;
    const report = load.report;
    if (!report || report.state !== 'done') {
      await page.close();
      throw new Error(`the extension did not annotate ${name} (state: ${report?.state ?? 'no answer'})`);
    }
    const after = await settledSnapshot(page);
    const words = await pageWords(page);
    const found = occurrences(report);
    const perThousand = words ? (found / words) * 1000 : 0;
    const longest = longestTaskWithExtension(load);
    const errs = errors.since(mark);
    const iab = report.terms.reduce((n, t) => n + (t.surfaces['IAB'] ?? 0) + (t.surfaces['IABs'] ?? 0), 0);
    summary.add({
      page: name,
      words,
      state: report.state,
      terms: found,
      'per 1k words': perThousand.toFixed(2),
      'longest task ms': longest.toFixed(1),
      'its wall ms': load.trace ? load.trace.longestTaskMs.toFixed(1) : '–',
      'ext in a task ms': load.trace ? load.trace.longestExtInTaskMs.toFixed(1) : '–',
      'start-up ms': report.timing.startupMs?.toFixed(1) ?? '–',
      'slice ms': report.timing.longestSliceMs.toFixed(1),
      'trace ext ms': load.trace ? load.trace.scriptMs.toFixed(1) : '–',
      errors: errs.length,
      'text same': before.text === after.text ? 'yes' : 'NO',
      'Δelements': after.elements - before.elements,
      hosts: after.hosts,
    });
    await page.close();

    expect(errs.map((e) => `${e.kind}: ${e.text.slice(0, 300)} @ ${e.where}`), 'errors from the extension').toEqual([]);
    expect(after.text === before.text, `page text changed ${firstDiff(before.text, after.text)}`).toBe(true);
    expect(after.elements, 'element count (our host excluded)').toBe(before.elements);
    expect(after.hosts).toBeLessThanOrEqual(1);
    // Issue 7's bound (Chromium by thread time, Firefox by the content script's own clock: see
    // longestTaskWithExtension). `npm run bench` judges the same by wall time on a quiet machine.
    expect(longest, 'the longest task holding extension work (ms)').toBeLessThan(50);
    expect(perThousand, `${found} terms in ${words} words: ${report.terms.map((t) => `${t.label}×${t.count}`).join(', ')}`).toBeLessThanOrEqual(5);
    if (name === 'iab-1') expect(iab, '"IAB" is the Interactive Advertising Bureau on iab-1').toBe(0);
  });
});
