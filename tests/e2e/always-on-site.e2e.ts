/**
 * Issue 5 (scope) — "Always on this site" end to end in Firefox: the person grants the site's optional host
 * permission (inside a real click, as the popup asks for it) and chooses Always; the background registers the
 * content script for that site, and a page there is annotated on load, with no "Annotate this page".
 *
 * Firefox only: Chromium shows a permission prompt that automation cannot accept. Chromium's part (the
 * browser accepts our file for registration) is in foundation.e2e.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPE_HOST, serveStatic, type StaticServer } from '../../scripts/lib/browsers';
import { ExtSession, pollUntil } from '../../scripts/lib/ext-session';
import { IG_PARAGRAPHS, highlightSizes, htmlPage, HL_GUIDED, HL_TERM } from './helpers';

const SITE = 'policy-example.org';
const HOST = `www.${SITE}`;
/** originPatternFor(SITE): a domain covers its subdomains (lib/settings/domains.ts). */
const PATTERN = `*://*.${SITE}/*`;

describe('"Always on this site" in firefox', () => {
  let session: ExtSession;
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveStatic({ files: { '/brief.html': htmlPage('A policy brief', IG_PARAGRAPHS) } });
    session = await ExtSession.open('firefox', { hostMap: [SCOPE_HOST, HOST] });
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('a site outside the default scope is annotated on load once the person grants it and chooses Always', async () => {
    const url = server.url('/brief.html', HOST);
    // Before: outside the default scope, nothing runs there.
    const before = await session.openTab(url);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await session.getReport(before.tabId)).toBeNull();
    expect(Object.values(await highlightSizes(before.page)).every((n) => !n)).toBe(true);
    await before.page.close();

    // The popup's Always: the host permission in a click, then the site mode in the settings.
    expect(await session.requestOriginsInClick(session.console, [PATTERN])).toBe('granted');
    await session.console.evaluate(async (site: string) => {
      const api = (globalThis as any).browser ?? (globalThis as any).chrome;
      await api.storage.local.set({
        settings: { paused: false, siteModes: { [site]: 'always' }, extraDomains: [], density: 'all', kinds: 'all', theme: 'auto' },
        settings$: { v: 2 },
      });
    }, SITE);

    // After: the background registers the script; a page loaded there is annotated by itself.
    const tab = await session.openTab(url);
    let report = await session.getReport(tab.tabId);
    await pollUntil(
      async () => {
        report = await session.getReport(tab.tabId);
        if (report?.state === 'done') return true;
        if (!report) await tab.page.reload(); // registered after this load: the next load gets it
        return false;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'the registered content script to annotate the page' },
    );
    expect(report!.reason).toBe('site-always');
    expect(report!.terms.length).toBeGreaterThan(0);
    const sizes = await highlightSizes(tab.page);
    expect((sizes[HL_GUIDED] ?? 0) + (sizes[HL_TERM] ?? 0)).toBeGreaterThan(0);
    await tab.page.close();
  });
});
