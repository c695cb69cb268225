/**
 * Shared e2e helpers: one browser session and one loopback server per describe block,
 * pages served under the default-scope host (www.intgovforum.org → 127.0.0.1).
 */
import { afterAll, beforeAll } from 'vitest';
import { SCOPE_HOST, serveStatic, type StaticServer } from '../../scripts/lib/browsers';
import { ExtSession, pollUntil, type BrowserName, type GPage, type Tab } from '../../scripts/lib/ext-session';
import { HL_FOCUS, HL_GUIDED, HL_TERM, HOST_TAG } from '../../lib/page/constants';
import type { PageReport } from '../../lib/messaging/protocol';

export const BROWSERS: BrowserName[] = ['chromium', 'firefox'];
export { SCOPE_HOST, pollUntil, HL_GUIDED, HL_TERM, HL_FOCUS, HOST_TAG };
export type { GPage, Tab, PageReport };

/** A minimal HTML page (no scripts unless given). */
export function htmlPage(title: string, body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>${body}</body></html>`;
}

/** Text used on fixture pages: guidance-linked and plain glossary terms. */
export const IG_PARAGRAPHS = `
<h1>Internet governance at the IGF</h1>
<p id="p1">The Internet Governance Forum (IGF) is a multistakeholder space for policy dialogue created by the Tunis Agenda.</p>
<p id="p2">Enhanced cooperation among all stakeholders needs inclusiveness and transparency, as the Internet Society argued.</p>
<p id="p3">Internet Exchange Points (IXPs) keep local traffic local; ICANN coordinates the Domain Name System.</p>
`;

export interface Env {
  session: ExtSession;
  server: StaticServer;
  /** URL of a served path under the default-scope host. */
  inScope(pathname: string): string;
  /** URL of a served path on 127.0.0.1 (outside the default scope). */
  outOfScope(pathname: string): string;
  /** Open a served page in a tab and wait until the extension reports done. */
  openAnnotated(pathname: string): Promise<Tab & { report: PageReport }>;
}

/**
 * Register beforeAll/afterAll that start one browser and one server for the block.
 * `files` maps paths to HTML. Returns a getter (the env exists only after beforeAll).
 */
export function useEnv(browser: BrowserName, files: Record<string, string> = {}): () => Env {
  let env: Env | undefined;
  beforeAll(async () => {
    const server = await serveStatic({ files });
    const session = await ExtSession.open(browser, { hostMap: [SCOPE_HOST] });
    env = {
      session,
      server,
      inScope: (p) => server.url(p, SCOPE_HOST),
      outOfScope: (p) => server.url(p),
      openAnnotated: async (p) => {
        const tab = await session.openTab(server.url(p, SCOPE_HOST));
        const report = await session.waitForDone(tab.tabId);
        return { ...tab, report };
      },
    };
  });
  afterAll(async () => {
    await env?.session.close();
    await env?.server.close();
  });
  return () => {
    if (!env) throw new Error('e2e env not started');
    return env;
  };
}

/** Number of ranges in each of our highlight registries (main world view). */
export function highlightSizes(page: GPage): Promise<Record<string, number | null>> {
  return page.evaluate((names: string[]) => {
    const reg = (globalThis as any).CSS?.highlights;
    const out: Record<string, number | null> = {};
    for (const n of names) out[n] = reg?.has(n) ? reg.get(n).size : null;
    return out;
  }, [HL_GUIDED, HL_TERM, HL_FOCUS]);
}

/** Text content of every highlighted range (main world), sorted. */
export function highlightedTexts(page: GPage): Promise<string[]> {
  return page.evaluate((names: string[]) => {
    const reg = (globalThis as any).CSS?.highlights;
    const out: string[] = [];
    for (const n of names) {
      if (!reg?.has(n)) continue;
      for (const a of reg.get(n) as Iterable<AbstractRange>) {
        // Highlights may hold StaticRanges: read the text through a live Range.
        const r = document.createRange();
        r.setStart(a.startContainer, a.startOffset);
        r.setEnd(a.endContainer, a.endOffset);
        out.push(r.toString().replace(/\s+/g, ' '));
      }
    }
    return out.sort();
  }, [HL_GUIDED, HL_TERM]);
}

/** Sum of occurrence counts in a report. */
export function totalCount(report: PageReport): number {
  return report.terms.reduce((n, t) => n + t.count, 0);
}

/** A snapshot of the page's DOM apart from our host: text and element count. */
export function pageSnapshot(page: GPage): Promise<{ text: string; elements: number; hosts: number }> {
  return page.evaluate((hostTag: string) => {
    const all = [...document.querySelectorAll('*')];
    const hosts = all.filter((e) => e.localName === hostTag);
    const elements = all.filter((e) => !hosts.some((h) => h === e || h.contains(e))).length;
    const clone = document.documentElement.cloneNode(true) as HTMLElement;
    clone.querySelectorAll(hostTag).forEach((h) => h.remove());
    return { text: clone.textContent ?? '', elements, hosts: hosts.length };
  }, HOST_TAG);
}
