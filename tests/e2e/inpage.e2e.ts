/**
 * Issue 5 — the in-page experience, in Chromium and Firefox ESR, on loopback pages:
 * skip zones and inline-tag phrases, hover card with a principle and an ISOC source link,
 * the card's look on a dark and a light page, Esc, keyboard navigation over every term,
 * dynamic content, history navigation, removed content, and a page outside the scope left
 * untouched until "Annotate this page" — with the page's text and element count unchanged
 * apart from the one host.
 */
import { describe, expect, it } from 'vitest';
import {
  BROWSERS,
  HL_FOCUS,
  HL_GUIDED,
  HL_TERM,
  HOST_TAG,
  highlightSizes,
  htmlPage,
  pageSnapshot,
  pollUntil,
  useEnv,
  type GPage,
} from './helpers';

const BODY = `<main>
<h1>Internet governance at the IGF</h1>
<p id="p1">The Internet Governance Forum (IGF) is a multistakeholder space for policy dialogue created by the Tunis Agenda.</p>
<p id="p2">Enhanced cooperation among all stakeholders needs inclusiveness and transparency, as the Internet Society argued.</p>
<p id="p3">Internet Exchange Points (IXPs) keep local traffic local; ICANN coordinates the Domain Name System.</p>
<p id="split">The <em>Internet</em> Governance Forum met again, and multi&shy;stakeholder dialogue continued.</p>
<pre id="code"><code>multistakeholder IGF ICANN Tunis Agenda</code></pre>
<label for="ta">Notes</label><textarea id="ta">Internet Governance Forum multistakeholder</textarea>
</main>`;

/** Site navigation above the text: never annotated (a role in mixed case: browsers compare it case-insensitively). */
const NAV = `<nav id="menu"><a href="/">IGF</a> · <a href="/icann">ICANN</a> · <a href="/wsis">WSIS</a></nav>
<div id="crumbs" role="Navigation">Internet Governance Forum › IGF 2025 › Multistakeholder Advisory Group</div>`;

/** The first rule of every adopted stylesheet of the document (in page script). */
const firstRules = (): string[] =>
  [...document.adoptedStyleSheets].map((s) => {
    try {
      return (s.cssRules[0] as CSSStyleRule | undefined)?.selectorText ?? '';
    } catch {
      return '?';
    }
  });
const SHEETS_JS = `(${firstRules.toString()})()`;

const FILES = {
  '/terms.html': htmlPage('IG terms', NAV + BODY),
  '/dynamic.html': htmlPage('Dynamic page', BODY),
  '/history.html': htmlPage('History page', BODY),
  '/outside.html': htmlPage('Outside the scope', BODY),
  '/long.html': htmlPage(
    'A long page',
    `<main>${Array.from({ length: 300 }, (_, i) => `<p id="l${i}" style="margin: 0 0 40px">Paragraph ${i}: the Internet Governance Forum met again.</p>`).join('')}</main>`,
  ),
  '/scroller.html': htmlPage(
    'Text in a scrolling box',
    `<main><div id="box" style="height: 400px; overflow: auto">${Array.from({ length: 300 }, (_, i) => `<p id="s${i}" style="margin: 0 0 40px">Paragraph ${i}: the Internet Governance Forum met again.</p>`).join('')}</div></main>`,
  ),
  '/empty.html': htmlPage('Nothing here', '<main><p>A page about gardening and tomatoes.</p></main>'),
  // A site with a dark look of its own (no colour-scheme preference involved): the card must match it.
  '/dark.html': htmlPage('A dark page', BODY, '<style>html, body { background: #15171a; color: #e8e8e8; }</style>'),
  '/keys.html': htmlPage('Keyboard page', `<button id="start" type="button">Start</button>${BODY}`),
  // A page script at the top of <head> runs before the page is first styled: it records the adopted sheets.
  '/early.html': htmlPage('Early sheet', BODY, `<script>window.glensTestAtParse = ${SHEETS_JS};</script>`),
};

interface RangeInfo {
  name: string;
  text: string;
  startIn: string;
  endIn: string;
  connected: boolean;
  x: number;
  y: number;
  key: string;
}

/** Every painted range with where it starts/ends (closest element id or tag) and its centre. */
function ranges(page: GPage): Promise<RangeInfo[]> {
  return page.evaluate((names: string[]) => {
    const reg = (globalThis as any).CSS.highlights;
    const where = (n: Node) => {
      const el = n.nodeType === 1 ? (n as Element) : n.parentElement;
      const idEl = el?.closest('[id]');
      return `${el?.localName ?? '?'}${idEl ? `#${idEl.id}` : ''}`;
    };
    // Highlights may hold StaticRanges: measure through a live Range.
    const live = (a: AbstractRange) => {
      const x = document.createRange();
      x.setStart(a.startContainer, a.startOffset);
      x.setEnd(a.endContainer, a.endOffset);
      return x;
    };
    const out: RangeInfo[] = [];
    for (const name of names) {
      if (!reg.has(name)) continue;
      for (const a of reg.get(name) as Iterable<AbstractRange>) {
        const r = live(a);
        const rect = r.getClientRects()[0] ?? r.getBoundingClientRect();
        out.push({
          name,
          text: r.toString(),
          startIn: where(r.startContainer),
          endIn: where(r.endContainer),
          connected: r.startContainer.isConnected && r.endContainer.isConnected,
          x: rect.left + Math.min(rect.width / 2, 8),
          y: rect.top + rect.height / 2,
          key: `${where(r.startContainer)}:${r.startOffset}:${r.toString()}`,
        });
      }
    }
    return out;
  }, [HL_GUIDED, HL_TERM]);
}

/** The open card's text and links, or null when no card is shown. */
function cardState(page: GPage): Promise<null | { text: string; links: { href: string; target: string; rel: string }[]; focusInside: boolean }> {
  return page.evaluate((hostTag: string) => {
    const host = document.querySelector(hostTag);
    const dlg = host?.shadowRoot?.querySelector('[role="dialog"]') as HTMLElement | null | undefined;
    if (!dlg || !dlg.getClientRects().length) return null;
    return {
      text: dlg.textContent ?? '',
      links: [...dlg.querySelectorAll('a[href]')].map((a) => ({
        href: (a as HTMLAnchorElement).href,
        target: a.getAttribute('target') ?? '',
        rel: a.getAttribute('rel') ?? '',
      })),
      focusInside: document.activeElement === host && !!host?.shadowRoot?.activeElement && dlg.contains(host.shadowRoot.activeElement),
    };
  }, HOST_TAG);
}

function focusKey(page: GPage): Promise<string | null> {
  return page.evaluate((name: string) => {
    const hl = (globalThis as any).CSS.highlights.get(name);
    if (!hl || hl.size !== 1) return null;
    const a = [...hl][0] as AbstractRange;
    const r = document.createRange();
    r.setStart(a.startContainer, a.startOffset);
    r.setEnd(a.endContainer, a.endOffset);
    const el = r.startContainer.nodeType === 1 ? (r.startContainer as Element) : r.startContainer.parentElement;
    const idEl = el?.closest('[id]');
    return `${el?.localName ?? '?'}${idEl ? `#${idEl.id}` : ''}:${r.startOffset}:${r.toString()}`;
  }, HL_FOCUS);
}

describe.each(BROWSERS)('in-page experience in %s', (browser) => {
  const env = useEnv(browser, FILES);

  it('paints phrases across inline tags and soft hyphens, never inside skip zones or site navigation', async () => {
    const { page } = await env().openAnnotated('/terms.html');
    const rs = await ranges(page);
    expect(rs.length).toBeGreaterThan(0);
    for (const r of rs) {
      expect(r.startIn, r.text).not.toMatch(/^(pre|code|textarea|nav)|#(code|ta|menu|crumbs)$/);
    }
    expect(rs.some((r) => r.startIn === 'em#split' && r.endIn === 'p#split' && /^Internet Governance Forum$/.test(r.text))).toBe(true);
    expect(rs.some((r) => r.startIn === 'p#split' && r.text === 'multi\u00ADstakeholder')).toBe(true);
    await page.close();
  });

  it('adopts one highlight stylesheet before the page is first styled (so no whole-page restyle later); none outside the scope or where the site is off', async () => {
    const e = env();
    const { page } = await e.openAnnotated('/early.html');
    const ours = [`:root::highlight(${HL_GUIDED})`];
    expect(await page.evaluate(() => (window as any).glensTestAtParse)).toEqual(ours);
    expect(await page.evaluate(firstRules)).toEqual(ours);
    const size = await highlightSizes(page);
    expect(size[HL_GUIDED] ?? 0).toBeGreaterThan(0);
    await page.close();
    const out = await e.session.openTab(e.outOfScope('/early.html'));
    expect(await out.page.evaluate(() => (window as any).glensTestAtParse)).toEqual([]);
    expect(await out.page.evaluate(firstRules)).toEqual([]);
    await out.page.close();

    // Never on this site: the sheet goes in at document_start (before the settings arrive), then out again.
    const setNever = (never: boolean) =>
      e.session.console.evaluate(async (n: boolean) => {
        const api = (globalThis as any).browser ?? (globalThis as any).chrome;
        const siteModes = n ? { 'intgovforum.org': 'never' } : {};
        await api.storage.local.set({ settings: { paused: false, siteModes, extraDomains: [], density: 'all', kinds: 'all', theme: 'auto' }, settings$: { v: 2 } });
      }, never);
    await setNever(true);
    try {
      const off = await e.session.openTab(e.inScope('/early.html'));
      await off.page.waitFor((n: number) => document.readyState === 'complete' && document.adoptedStyleSheets.length === n, 0, { what: 'the sheet to be taken out' });
      await new Promise((r) => setTimeout(r, 500));
      expect(await off.page.evaluate(firstRules)).toEqual([]);
      expect(Object.values(await highlightSizes(off.page)).every((n) => !n)).toBe(true);
      await off.page.close();
    } finally {
      await setNever(false);
    }
  });

  it('hover opens a card with a related principle and an ISOC https source; Esc closes it', async () => {
    const { page } = await env().openAnnotated('/terms.html');
    const guided = (await ranges(page)).find((r) => r.name === HL_GUIDED && r.startIn === 'p#p1');
    expect(guided, 'a guidance-linked term in #p1').toBeTruthy();
    await page.mouseMove(guided!.x, guided!.y);
    const card = await page.waitFor(
      (hostTag: string) => {
        const dlg = document.querySelector(hostTag)?.shadowRoot?.querySelector('[role="dialog"]');
        const text = dlg && (dlg as HTMLElement).getClientRects().length ? dlg.textContent : null;
        // The card fills in once its data arrives from the background.
        return text && !/Loading/i.test(text) ? text : null;
      },
      HOST_TAG,
      { what: 'the card to open on hover and load' },
    );
    expect(card).toMatch(/Inclusiveness|Collective|Effective|Collaboration|access|participation|Internet Governance Forum/);
    // A related principle or recommendation: an element that shows its id (P1–P4, R1–R4).
    const ids = await page.evaluate((hostTag: string) => {
      const dlg = document.querySelector(hostTag)!.shadowRoot!.querySelector('[role="dialog"]')!;
      return [...dlg.querySelectorAll('*')].map((el) => (el.childElementCount ? '' : (el.textContent ?? '').trim())).filter((t) => /^[PR][1-4]$/.test(t));
    }, HOST_TAG);
    expect(ids.length).toBeGreaterThan(0);
    const state = await cardState(page);
    const isoc = state!.links.filter((l) => /^https:\/\/([a-z0-9-]+\.)*internetsociety\.org\//.test(l.href));
    expect(isoc.length, JSON.stringify(state!.links)).toBeGreaterThan(0);
    for (const l of state!.links) {
      expect(l.href).toMatch(/^https:\/\//);
      expect(l.target).toBe('_blank');
      expect(l.rel).toMatch(/noopener/);
    }
    await page.press('Escape');
    await page.waitFor((hostTag: string) => {
      const dlg = document.querySelector(hostTag)?.shadowRoot?.querySelector('[role="dialog"]') as HTMLElement | null | undefined;
      return !dlg || !dlg.getClientRects().length;
    }, HOST_TAG, { what: 'Esc to close the card' });
    await page.close();
  });

  it('the card takes the look of the page under it: dark on a dark page, light on a light one', async () => {
    for (const [path, dark] of [['/dark.html', true], ['/terms.html', false]] as const) {
      const { page } = await env().openAnnotated(path);
      const guided = (await ranges(page)).find((r) => r.name === HL_GUIDED && r.startIn === 'p#p1');
      expect(guided, `a guidance-linked term in #p1 of ${path}`).toBeTruthy();
      await page.mouseMove(guided!.x, guided!.y);
      const look = await page.waitFor(
        (hostTag: string) => {
          const card = document.querySelector(hostTag)?.shadowRoot?.querySelector('[role="dialog"]') as HTMLElement | null | undefined;
          if (!card || !card.getClientRects().length || /Loading/i.test(card.textContent ?? '')) return null;
          // Lightness of the card's own background and text (rgb() from the computed style).
          const light = (c: string) => {
            const m = /rgba?\(([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)/.exec(c);
            return m ? (0.2126 * +m[1] + 0.7152 * +m[2] + 0.0722 * +m[3]) / 255 : -1;
          };
          const cs = getComputedStyle(card);
          return { theme: card.dataset.theme ?? '', bg: light(cs.backgroundColor), fg: light(cs.color) };
        },
        HOST_TAG,
        { what: `the card to open and load on ${path}` },
      );
      if (dark) {
        expect(look.theme).toBe('dark');
        expect(look.bg, JSON.stringify(look)).toBeLessThan(0.3);
        expect(look.fg, JSON.stringify(look)).toBeGreaterThan(0.7);
      } else {
        expect(look.theme).not.toBe('dark');
        expect(look.bg, JSON.stringify(look)).toBeGreaterThan(0.7);
        expect(look.fg, JSON.stringify(look)).toBeLessThan(0.3);
      }
      await page.close();
    }
  });

  it('keyboard navigation (Alt+Shift+J) reaches every painted term and opens its card with focus', async () => {
    const { page } = await env().openAnnotated('/keys.html');
    // Focus something on the page first (no DOM change: a mutation would start a re-scan).
    await page.evaluate(() => document.getElementById('start')!.focus());
    const all = new Set((await ranges(page)).map((r) => r.key));
    expect(all.size).toBeGreaterThan(3);
    const seen = new Set<string>();
    for (let i = 0; i < all.size; i++) {
      const before = await focusKey(page);
      await page.press('Alt+Shift+KeyJ');
      const key = await page.waitFor(
        async (prev: string | null) => {
          const hl = (globalThis as any).CSS.highlights.get('glens-focus');
          if (!hl || hl.size !== 1) return null;
          const a = [...hl][0] as AbstractRange;
          const r = document.createRange();
          r.setStart(a.startContainer, a.startOffset);
          r.setEnd(a.endContainer, a.endOffset);
          const el = r.startContainer.nodeType === 1 ? (r.startContainer as Element) : r.startContainer.parentElement;
          const idEl = el?.closest('[id]');
          const k = `${el?.localName ?? '?'}${idEl ? `#${idEl.id}` : ''}:${r.startOffset}:${r.toString()}`;
          return k !== prev ? k : null;
        },
        before,
        { what: `focus to move (step ${i + 1})` },
      );
      seen.add(key);
      if (i === 0) {
        const card = await page.waitFor((hostTag: string) => {
          const host = document.querySelector(hostTag);
          return document.activeElement === host && !!host?.shadowRoot?.activeElement;
        }, HOST_TAG, { what: 'focus inside the card' });
        expect(card).toBe(true);
      }
    }
    expect([...seen].sort()).toEqual([...all].sort());
    await page.press('Escape');
    await page.waitFor(() => document.activeElement?.id === 'start', undefined, { what: 'Esc to return focus to where it was' });
    await page.close();
  });

  it('annotates text added later and drops ranges of removed content', async () => {
    const { page } = await env().openAnnotated('/dynamic.html');
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.id = 'added';
      p.textContent = 'Later, the Tunis Agenda and Internet Exchange Points came up again.';
      document.querySelector('main')!.append(p);
    });
    await page.waitFor(
      (names: string[]) =>
        names.some((n) => [...((globalThis as any).CSS.highlights.get(n) ?? [])].some((r: AbstractRange) => r.startContainer.parentElement?.id === 'added')),
      [HL_GUIDED, HL_TERM],
      { what: 'highlights in the added paragraph' },
    );
    const before = (await ranges(page)).filter((r) => r.startIn === 'p#p3').length;
    expect(before).toBeGreaterThan(0);
    await page.evaluate(() => document.getElementById('p3')!.remove());
    await page.waitFor(
      (names: string[]) =>
        names.every((n) => [...((globalThis as any).CSS.highlights.get(n) ?? [])].every((r: AbstractRange) => r.startContainer.isConnected)),
      [HL_GUIDED, HL_TERM],
      { what: 'ranges of removed content to be dropped' },
    );
    await page.close();
  });

  it('on a long page registers only the ranges near the viewport, and follows the reader when they scroll', async () => {
    // Chromium re-marks every registered range after any change to a highlight or to the page: the
    // registered set stays the size of what can be seen (lib/page/paint.ts), while every occurrence counts.
    const { page, report } = await env().openAnnotated('/long.html');
    expect(report.terms.find((t) => t.id === 'internet-governance-forum')?.count).toBe(300);
    const inReg = (): Promise<string[]> =>
      page.evaluate((name: string) => [...((globalThis as any).CSS.highlights.get(name) ?? [])].map((r: AbstractRange) => (r.startContainer.parentNode as Element).id), HL_GUIDED);
    // Early in the pass, ranges whose distance is not known yet are registered at once (the first frames
    // paint the viewport); the observer's first report then removes the far ones.
    await pollUntil(
      async () => {
        const ids = await inReg();
        return ids.includes('l0') && ids.length < 150 && !ids.includes('l299');
      },
      { what: 'the paragraphs near the top, and only those, to be registered' },
    );
    let ids = await inReg();
    expect(ids.length).toBeGreaterThan(5);
    await page.evaluate(() => document.getElementById('l299')!.scrollIntoView());
    await pollUntil(async () => (await inReg()).includes('l299'), { what: 'the last paragraph to be painted once scrolled to' });
    await pollUntil(async () => !(await inReg()).includes('l0'), { what: 'the first paragraph to leave the registered set' });
    ids = await inReg();
    expect(ids.length).toBeLessThan(150);
    await page.close();
  });

  it('in a scrolling box, paints the text about to scroll in, not only what shows', async () => {
    const { page } = await env().openAnnotated('/scroller.html');
    const inReg = (): Promise<string[]> =>
      page.evaluate((name: string) => [...((globalThis as any).CSS.highlights.get(name) ?? [])].map((r: AbstractRange) => (r.startContainer.parentNode as Element).id), HL_GUIDED);
    // The box shows paragraphs 0–6; the observer's scroll margin (one box height) reaches about 13.
    // (Once the observer has reported: before that, the first frames register ranges at once.)
    await pollUntil(
      async () => {
        const ids = await inReg();
        return ids.includes('s10') && !ids.includes('s100');
      },
      { what: 'a paragraph just below the box to be painted, and not one far below' },
    );
    await page.evaluate(() => document.getElementById('s150')!.scrollIntoView());
    await pollUntil(async () => (await inReg()).includes('s158'), { what: 'a paragraph just below the scrolled box to be painted' });
    await page.close();
  });

  it('re-annotates after an in-page (history API) navigation', async () => {
    const { page } = await env().openAnnotated('/history.html');
    await page.evaluate(() => {
      history.pushState({}, '', '/history-2.html');
      const main = document.querySelector('main')!;
      const h = document.createElement('h1');
      h.textContent = 'Second view';
      const p = document.createElement('p');
      p.id = 'routed';
      p.textContent = 'On this route the Internet Governance Forum discussed enhanced cooperation.';
      main.replaceChildren(h, p);
      document.title = 'Second view';
    });
    await page.waitFor(
      (names: string[]) =>
        names.some((n) => [...((globalThis as any).CSS.highlights.get(n) ?? [])].some((r: AbstractRange) => r.startContainer.parentElement?.id === 'routed')),
      [HL_GUIDED, HL_TERM],
      { what: 'highlights on the new route' },
    );
    const rs = await ranges(page);
    expect(rs.every((r) => r.connected)).toBe(true);
    expect(rs.some((r) => r.startIn === 'p#p1')).toBe(false);
    await page.close();
  });

  it('the toolbar badge shows the number of terms, only when the page has some', async () => {
    const e = env();
    const badge = (tabId: number) =>
      e.session.console.evaluate(async (tabId: number) => {
        const api = (globalThis as any).browser ?? (globalThis as any).chrome;
        return (api.action ?? api.browserAction).getBadgeText({ tabId }) as Promise<string>;
      }, tabId);
    const { tabId, report, page } = await e.openAnnotated('/terms.html');
    const want = String(report.terms.length);
    await pollUntil(async () => (await badge(tabId)) === want, { what: `badge "${want}"` });
    const empty = await e.openAnnotated('/empty.html');
    expect(empty.report.terms).toEqual([]);
    expect(await badge(empty.tabId)).toBe('');
    await empty.page.close();
    await page.close();
  });

  it('leaves a page outside the scope untouched until "Annotate this page", then changes nothing but one host', async () => {
    const e = env();
    const tab = await e.session.openTab(e.outOfScope('/outside.html'));
    const before = await pageSnapshot(tab.page);
    // An in-scope page finishing proves content scripts had their chance to run.
    const other = await e.openAnnotated('/terms.html');
    expect(other.report.state).toBe('done');
    await other.page.close();
    await tab.page.bringToFront();
    expect(await e.session.getReport(tab.tabId)).toBeNull();
    const sizes = await highlightSizes(tab.page);
    expect(Object.values(sizes).every((s) => s === null || s === 0)).toBe(true);
    expect(await pageSnapshot(tab.page)).toEqual(before);

    // Still untouched after the toolbar button grants access: only "Annotate this page" starts it.
    expect(await e.session.grantTabAccess(tab)).toEqual({ ok: true });
    expect(await pageSnapshot(tab.page)).toEqual(before);
    const res = await e.session.sendToBackground({ type: 'glens:annotateTab', tabId: tab.tabId });
    expect(res).toEqual({ ok: true });
    const report = await e.session.waitForDone(tab.tabId);
    expect(report.reason).toBe('on-demand');
    const after = await highlightSizes(tab.page);
    expect((after[HL_GUIDED] ?? 0) + (after[HL_TERM] ?? 0)).toBeGreaterThan(0);
    // Open the card too, so the host exists.
    const r = (await ranges(tab.page))[0];
    await tab.page.mouseClick(r.x, r.y);
    await tab.page.waitFor((hostTag: string) => !!document.querySelector(hostTag)?.shadowRoot?.querySelector('[role="dialog"]'), HOST_TAG, {
      what: 'the card to open on click',
    });
    const snap = await pageSnapshot(tab.page);
    expect(snap.text).toBe(before.text);
    expect(snap.elements).toBe(before.elements);
    expect(snap.hosts).toBe(1);
    await tab.page.close();
  });
});
