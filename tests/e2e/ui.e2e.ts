/**
 * Issue 6 — popup, side panel and options in Chromium and Firefox ESR: lookups give the
 * expected first result, keyboard-only lookup → detail, axe-core (WCAG 2.2 AA rules) on popup,
 * detail view, side panel, options and the in-page card, "On this page" and the Markdown
 * export for a fixture page, settings that survive a reload, and a corrupted stored value
 * recovered with a visible notice.
 *
 * Extension pages are opened as tabs; `popup.html?tab=<id>` pins the page they describe.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/browsers';
import { BROWSERS, HL_FOCUS, HL_GUIDED, HL_TERM, HOST_TAG, IG_PARAGRAPHS, highlightSizes, htmlPage, useEnv, type GPage } from './helpers';

async function highlightSizesOf(page: GPage): Promise<{ guided: number; term: number }> {
  const s = await highlightSizes(page);
  return { guided: s[HL_GUIDED] ?? 0, term: s[HL_TERM] ?? 0 };
}

const SEARCH_BOX = 'input[type="search"]';
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
const WCAG22AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const FILES = {
  '/fixture.html': htmlPage('IGF fixture page', `<main>${IG_PARAGRAPHS}</main>`),
  '/card.html': htmlPage('Card page', `<main>${IG_PARAGRAPHS}</main>`),
  '/outside.html': htmlPage('Outside page', `<main>${IG_PARAGRAPHS}</main>`),
  '/live.html': htmlPage('Live settings page', `<main>${IG_PARAGRAPHS}<p>UNESCO hosted a WSIS Forum session on human rights online.</p></main>`),
};

function storedSettings(e: ReturnType<ReturnType<typeof useEnv>>): Promise<Record<string, unknown> | undefined> {
  return e.session.console.evaluate(async () => {
    const api = (globalThis as any).browser ?? (globalThis as any).chrome;
    return (await api.storage.local.get('settings')).settings;
  });
}

/** Run axe-core in the page (WCAG 2.2 A/AA rules); returns "rule: target" lines for violations. */
async function axeViolations(page: GPage, include?: string): Promise<string[]> {
  if (!(await page.evaluate(() => typeof (globalThis as any).axe === 'object'))) await page.addScriptFile(AXE);
  return page.evaluate(
    async ({ tags, include }: { tags: string[]; include: string | null }) => {
      const axe = (globalThis as any).axe;
      const res = await axe.run(include ? { include: [[include]] } : document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return res.violations.flatMap((v: any) => v.nodes.map((n: any) => `${v.id} (${v.impact}): ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`));
    },
    { tags: WCAG22AA, include: include ?? null },
  );
}

async function firstResult(popup: GPage, query: string): Promise<string> {
  await popup.evaluate((sel: string) => {
    const box = document.querySelector<HTMLInputElement>(sel)!;
    box.focus();
    box.select();
  }, SEARCH_BOX);
  await popup.press('Backspace');
  await popup.type(SEARCH_BOX, query);
  return popup.waitFor(
    ({ sel, q }: { sel: string; q: string }) => {
      const box = document.querySelector<HTMLInputElement>(sel);
      const opt = document.querySelector('[role="listbox"] [role="option"]');
      return box?.value === q && opt?.textContent ? opt.textContent : '';
    },
    { sel: SEARCH_BOX, q: query },
    { what: `a first result for "${query}"` },
  );
}

describe.each(BROWSERS)('popup, side panel and options in %s', (browser) => {
  const env = useEnv(browser, FILES);

  it('lookup: expected first results, keyboard-only to the detail view, axe clean', async () => {
    const popup = await env().session.openExtensionPage('popup.html');
    await popup.waitFor((sel: string) => document.activeElement === document.querySelector(sel), SEARCH_BOX, {
      what: 'the search box to have focus on open',
    });
    // Empty box: the four principles and four recommendations.
    const empty = await popup.evaluate(() => [...document.querySelectorAll('[role="option"]')].map((o) => o.textContent ?? ''));
    for (const id of ['P1', 'P2', 'P3', 'P4', 'R1', 'R2', 'R3', 'R4']) expect(empty.join('\n')).toContain(id);
    expect(await axeViolations(popup)).toEqual([]);

    expect(await firstResult(popup, 'inclusiv')).toContain('Inclusiveness and transparency');
    expect(await firstResult(popup, 'multistakholder')).toContain('Multistakeholder model');
    expect(await firstResult(popup, 'IXP')).toContain('Internet exchange point');
    expect(await firstResult(popup, 'tunis 69')).toMatch(/Tunis Agenda,? paragraphs 69/);

    // Keyboard only: ArrowDown picks a result, Enter opens it, the detail heading names it.
    await popup.press('ArrowDown');
    const chosen = await popup.waitFor(() => document.querySelector('[role="option"][aria-selected="true"]')?.textContent ?? '', undefined, {
      what: 'an active option after ArrowDown',
    });
    await popup.press('Enter');
    const heading = await popup.waitFor(() => document.querySelector('h2#gl-detail-h')?.textContent ?? '', undefined, { what: 'the detail view' });
    expect(chosen).toContain(heading.replace(/\s+/g, ' ').trim().slice(0, 20));
    // Focus moves to the heading in an effect after the detail view renders: wait for it (it must land).
    const focused = await popup
      .waitFor(() => (document.activeElement?.id === 'gl-detail-h' ? 'gl-detail-h' : ''), undefined, { what: 'focus on the detail heading' })
      .catch(() => popup.evaluate(() => document.activeElement?.id ?? ''));
    expect(focused).toBe('gl-detail-h');
    expect(await axeViolations(popup)).toEqual([]);
    await popup.close();
  });

  it('"On this page" and the Markdown export match the page report; choosing a term focuses it in the page', async () => {
    const e = env();
    const tab = await e.openAnnotated('/fixture.html');
    const report = tab.report;
    expect(report.terms.length).toBeGreaterThan(2);
    const popup = await e.session.openExtensionPage(`popup.html?tab=${tab.tabId}`);
    await popup.waitFor(() => document.getElementById('gl-page-h')?.textContent?.includes('On this page'), undefined, {
      what: 'the "On this page" section',
    });
    const listed = await popup.waitFor(
      () => {
        const labels = [...document.querySelectorAll('.gl-page [aria-label]')].map((el) => el.getAttribute('aria-label') ?? '');
        return labels.length ? labels : null;
      },
      undefined,
      { what: 'terms listed on this page' },
    );
    for (const t of report.terms) {
      expect(listed.some((l) => l.startsWith(`${t.label}, ${t.count} on this page`)), `${t.label} ×${t.count} in ${JSON.stringify(listed)}`).toBe(true);
    }
    for (const g of report.guidance.filter((g) => /^[PR][1-4]$/.test(g.id))) {
      expect(listed).toContain(`${g.id} ${g.title}`);
    }
    expect(await axeViolations(popup)).toEqual([]);

    // Export: capture the Blob the popup downloads.
    await popup.evaluate(() => {
      const w = globalThis as any;
      const orig = URL.createObjectURL.bind(URL);
      URL.createObjectURL = (b: Blob) => {
        w.__exported = b;
        return orig(b);
      };
      HTMLAnchorElement.prototype.click = function () {};
    });
    await popup.evaluate(() => {
      const b = [...document.querySelectorAll('button')].find((x) => x.textContent?.trim() === 'Export page report') as HTMLButtonElement;
      b.focus();
    });
    await popup.press('Enter');
    const md = await popup.waitFor(async () => {
      const b = (globalThis as any).__exported as Blob | undefined;
      return b ? await b.text() : '';
    }, undefined, { what: 'the exported Markdown' });
    expect(md).toMatch(/^# Governance Lens briefing: IGF fixture page/);
    expect(md).toContain(tab.page.url());
    for (const t of report.terms) {
      const line = md.split('\n').find((l) => l.includes(`**${t.label}** — ${t.count} occurrence`));
      expect(line, t.label).toBeTruthy();
      expect(line).toMatch(/\(<[^>]*#:~:text=[^>]+>\)/);
    }
    for (const g of report.guidance.filter((g) => /^[PR][1-4]$/.test(g.id))) expect(md).toContain(`### ${g.id} — ${g.title}`);

    // Choosing a term scrolls the page to it: the page shows a focus range for that term.
    const first = report.terms[0];
    await popup.evaluate((label: string) => {
      const b = [...document.querySelectorAll('.gl-page [aria-label]')].find((el) => el.getAttribute('aria-label')?.startsWith(`${label}, `)) as HTMLElement;
      b.click();
    }, first.label);
    await tab.page.waitFor((name: string) => (globalThis as any).CSS.highlights.get(name)?.size === 1, HL_FOCUS, {
      what: 'the chosen term to be focused in the page',
    });
    await popup.close();
    await tab.page.close();
  });

  it('side panel and options pass axe; the card passes axe', async () => {
    const e = env();
    const tab = await e.openAnnotated('/card.html');
    const side = await e.session.openExtensionPage(`sidepanel.html?tab=${tab.tabId}`);
    await side.waitFor(() => !!document.getElementById('gl-page-h'), undefined, { what: 'the side panel overview' });
    expect(await axeViolations(side)).toEqual([]);
    await side.close();

    const options = await e.session.openExtensionPage('options.html');
    await options.waitFor(() => !!document.querySelector('h1'), undefined, { what: 'the options page' });
    expect(await axeViolations(options)).toEqual([]);
    await options.close();

    await tab.page.bringToFront();
    const point = await tab.page.evaluate((name: string) => {
      const a = [...(globalThis as any).CSS.highlights.get(name)][0] as AbstractRange;
      const r = document.createRange();
      r.setStart(a.startContainer, a.startOffset);
      r.setEnd(a.endContainer, a.endOffset);
      const rect = r.getClientRects()[0];
      return { x: rect.left + 3, y: rect.top + rect.height / 2 };
    }, HL_GUIDED);
    await tab.page.mouseClick(point.x, point.y);
    await tab.page.waitFor(
      (hostTag: string) => {
        const t = document.querySelector(hostTag)?.shadowRoot?.querySelector('[role="dialog"]')?.textContent ?? '';
        return t && !/Loading/i.test(t);
      },
      HOST_TAG,
      { what: 'the card to open and load' },
    );
    expect(await axeViolations(tab.page, HOST_TAG)).toEqual([]);
    await tab.page.close();
  });

  it('the popup\'s "Annotate this page" annotates a page outside the scope', async () => {
    const e = env();
    const tab = await e.session.openTab(e.outOfScope('/outside.html'));
    expect(await e.session.getReport(tab.tabId)).toBeNull();
    // What the person does first: open the popup on that tab (grants access; see ExtSession).
    expect(await e.session.grantTabAccess(tab)).toEqual({ ok: true });
    const popup = await e.session.openExtensionPage(`popup.html?tab=${tab.tabId}`);
    await popup.waitFor(() => [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Annotate this page'), undefined, {
      what: 'the "Annotate this page" button',
    });
    await popup.evaluate(() => ([...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Annotate this page') as HTMLElement).focus());
    await popup.press('Enter');
    const report = await e.session.waitForDone(tab.tabId);
    expect(report.reason).toBe('on-demand');
    expect(report.terms.length).toBeGreaterThan(0);
    await popup.waitFor(() => document.querySelectorAll('.gl-page [aria-label]').length > 0, undefined, { what: '"On this page" after annotating' });
    await popup.close();
    await tab.page.close();
  });

  it('options: a malformed site is refused with a clear error and nothing is saved; changes apply live to open tabs', async () => {
    const e = env();
    const tab = await e.openAnnotated('/live.html');
    const before = await highlightSizesOf(tab.page);
    expect(before.guided).toBeGreaterThan(0);
    expect(before.term).toBeGreaterThan(0);
    const options = await e.session.openExtensionPage('options.html');
    await options.waitFor(() => !!document.getElementById('o-add-domain'), undefined, { what: 'the add-domain field' });
    const stored = await storedSettings(e);
    await options.type('#o-add-domain', 'not a domain!');
    await options.press('Enter');
    const error = await options.waitFor(() => document.querySelector('#o-add-domain-err[role="alert"]')?.textContent ?? '', undefined, {
      what: 'an error for the malformed domain',
    });
    expect(error.length).toBeGreaterThan(5);
    expect(await options.evaluate(() => document.getElementById('o-add-domain')?.getAttribute('aria-invalid'))).toBe('true');
    expect(await storedSettings(e)).toEqual(stored);

    // Only terms tied to ISOC guidance: plain glossary terms disappear from the open tab.
    await options.click('input[name="kinds"][value="guided"]');
    await tab.page.waitFor((name: string) => ((globalThis as any).CSS.highlights.get(name)?.size ?? 0) === 0, HL_TERM, {
      what: 'plain terms to be unpainted live',
    });
    expect((await highlightSizesOf(tab.page)).guided).toBeGreaterThan(0);
    await options.click('input[name="kinds"][value="all"]');
    await tab.page.waitFor((name: string) => ((globalThis as any).CSS.highlights.get(name)?.size ?? 0) > 0, HL_TERM, {
      what: 'plain terms to be painted again',
    });
    await options.close();
    await tab.page.close();
  });

  it('options: export, then import restores settings; a bad file changes nothing and says why', async () => {
    const e = env();
    const options = await e.session.openExtensionPage('options.html');
    await options.waitFor(() => !!document.querySelector('input[name="theme"]'), undefined, { what: 'the options page' });
    await options.click('input[name="theme"][value="dark"]');
    await options.waitFor(() => /Saved/.test(document.querySelector('[role="status"]')?.textContent ?? ''), undefined, { what: 'the save confirmation' });
    // Export: capture the JSON the page downloads.
    await options.evaluate(() => {
      const w = globalThis as any;
      const orig = URL.createObjectURL.bind(URL);
      URL.createObjectURL = (b: Blob) => ((w.__exported = b), orig(b));
      HTMLAnchorElement.prototype.click = function () {};
    });
    await options.evaluate(() => ([...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Export settings') as HTMLElement).click());
    const exported = await options.waitFor(async () => ((globalThis as any).__exported ? await ((globalThis as any).__exported as Blob).text() : ''), undefined, {
      what: 'the exported settings',
    });
    const file = JSON.parse(exported);
    expect(file).toMatchObject({ settings: { theme: 'dark' } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glens-settings-'));
    const good = path.join(dir, 'good.json');
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(good, exported);
    fs.writeFileSync(bad, JSON.stringify({ ...file, settings: { ...file.settings, theme: 'light', density: 'sometimes' } }));

    await options.click('input[name="theme"][value="auto"]');
    await options.waitFor(() => (document.querySelector('input[name="theme"][value="auto"]') as HTMLInputElement).checked, undefined, { what: 'theme auto' });
    const storedBefore = await storedSettings(e);
    await options.setInputFiles('input[type="file"]', [bad]);
    const why = await options.waitFor(
      () => {
        const t = [...document.querySelectorAll('[role="status"],[role="alert"]')].map((x) => x.textContent ?? '').join(' ');
        return /density/i.test(t) ? t : '';
      },
      undefined,
      { what: 'a reason naming the invalid setting' },
    );
    expect(why).not.toMatch(/^Imported/);
    expect(await storedSettings(e)).toEqual(storedBefore);

    await options.setInputFiles('input[type="file"]', [good]);
    await options.waitFor(() => (document.querySelector('input[name="theme"][value="dark"]') as HTMLInputElement).checked, undefined, {
      what: 'the imported theme to show',
    });
    expect(await storedSettings(e)).toMatchObject({ theme: 'dark' });
    await options.click('input[name="theme"][value="auto"]');
    await options.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('settings survive a reload; a corrupted stored value falls back with a visible notice', async () => {
    const e = env();
    const options = await e.session.openExtensionPage('options.html');
    const checked = (value: string) =>
      options.evaluate((v: string) => (document.querySelector(`input[name="density"][value="${v}"]`) as HTMLInputElement | null)?.checked ?? null, value);
    await options.waitFor(() => !!document.querySelector('input[name="density"]'), undefined, { what: 'the density choice' });
    expect(await checked('all')).toBe(true);
    await options.click('input[name="density"][value="first-per-section"]');
    await options.waitFor(() => /Saved/.test(document.querySelector('[role="status"]')?.textContent ?? ''), undefined, { what: 'the save confirmation' });
    await options.reload();
    await options.waitFor(() => !!document.querySelector('input[name="density"]'), undefined, { what: 'the options page after reload' });
    expect(await checked('first-per-section')).toBe(true);

    // Corrupt one stored value (as a buggy old version or a sync conflict might).
    await e.session.console.evaluate(async () => {
      const api = (globalThis as any).browser ?? (globalThis as any).chrome;
      const { settings } = await api.storage.local.get('settings');
      await api.storage.local.set({ settings: { ...settings, density: 42 } });
    });
    await options.reload();
    const notice = await options.waitFor(() => document.querySelector('.gl-notice')?.textContent ?? '', undefined, { what: 'a visible notice' });
    expect(notice).toMatch(/density|reset|default/i);
    expect(await checked('all')).toBe(true);
    await options.close();
  });
});
