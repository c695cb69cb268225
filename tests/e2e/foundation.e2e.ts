/**
 * Issue 2 — the walking skeleton, end to end in Chromium and Firefox ESR:
 * (a) the content script paints terms on a loopback page inside the default scope;
 * (b) the popup finds "Inclusiveness and transparency" for "inclusiv";
 * (c) `npm run annotate` writes the JSON report (≥ 1 term) and a screenshot for the demo page.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/browsers';
import { CONTENT_SCRIPT_FILE, SHEET_SCRIPT_FILE } from '../../lib/scope/domains';
import { BROWSERS, IG_PARAGRAPHS, highlightSizes, htmlPage, totalCount, useEnv, HL_GUIDED, HL_TERM } from './helpers';

const SEARCH_BOX = 'input[type="search"], [role="combobox"], [role="searchbox"]';

describe.each(BROWSERS)('foundation in %s', (browser) => {
  const env = useEnv(browser, {
    '/igf.html': htmlPage('IGF page', IG_PARAGRAPHS),
    '/typo.html': htmlPage('IGF page with a misspelling', `${IG_PARAGRAPHS}<p>They asked for a genuinely multistakholder process.</p>`),
    // ~30,000 chars: past the first few thousand, matched on the page, the rest goes to the background.
    // "IAB" early, its context (IETF, RFC) only at the end: judged on the whole page in both places.
    '/long.html': htmlPage(
      'A long IGF page',
      `<p>The IAB spoke first.</p>${IG_PARAGRAPHS.repeat(40)}<p>Midweek, the IAB spoke again.</p>${IG_PARAGRAPHS.repeat(40)}<p>The IETF and its RFC series, with the IAB, keep the Internet open.</p>`,
    ),
  });

  it('paints terms with the Highlight API on a default-scope page', async () => {
    const { page, report } = await env().openAnnotated('/igf.html');
    expect(report.state).toBe('done');
    expect(report.reason).toBe('default-scope');
    expect(report.terms.length).toBeGreaterThan(0);
    const sizes = await highlightSizes(page);
    expect(sizes[HL_GUIDED], 'glens-guided registered').not.toBeNull();
    expect(sizes[HL_TERM], 'glens-term registered').not.toBeNull();
    expect(sizes[HL_GUIDED]!).toBeGreaterThan(0);
    const painted = sizes[HL_GUIDED]! + sizes[HL_TERM]!;
    expect(painted).toBeGreaterThan(0);
    expect(painted).toBeLessThanOrEqual(totalCount(report));
    await page.close();
  });

  it('fuzzy discovery finds a misspelt variant before the report says done', async () => {
    const { page, report } = await env().openAnnotated('/typo.html');
    const model = report.terms.find((t) => t.id === 'multistakeholder-model');
    expect(Object.keys(model?.surfaces ?? {}).some((s) => s.startsWith('multistakholder')), JSON.stringify(model?.surfaces)).toBe(true);
    // In the extension's background script, off the page's main thread.
    expect(report.discoveredIn).toBe('background');
    await page.close();
  });

  it('matches most of a long page in the background, with every occurrence found', async () => {
    const { page, report } = await env().openAnnotated('/long.html');
    const count = (id: string) => report.terms.find((t) => t.id === id)?.count ?? 0;
    // Each copy of the paragraphs holds the same occurrences: every copy found, in both places.
    for (const id of ['internet-governance-forum', 'internet-exchange-point', 'icann']) {
      expect(count(id) % 80, `${id}: ${count(id)}`).toBe(0);
      expect(count(id)).toBeGreaterThan(0);
    }
    expect(count('iab')).toBe(3);
    const m = report.matchedChars!;
    expect(m.background, JSON.stringify(m)).toBeGreaterThan(3 * m.page);
    await page.close();
  });

  it('the content script and its document_start sheet script are the files the manifest declares and the browser accepts for registration', async () => {
    const build = path.join(ROOT, browser === 'chromium' ? '.output/chrome-mv3' : '.output/firefox-mv2');
    const manifest = JSON.parse(fs.readFileSync(path.join(build, 'manifest.json'), 'utf8'));
    // The highlight sheet at document_start, then the content script at document_idle, on the same sites.
    const declared = (manifest.content_scripts ?? []).map((c: any) => ({ js: c.js, at: c.run_at, matches: c.matches.join(' ') }));
    expect(declared.map((d: any) => [d.js, d.at])).toEqual([
      [[SHEET_SCRIPT_FILE], 'document_start'],
      [[CONTENT_SCRIPT_FILE], 'document_idle'],
    ]);
    expect(declared[0].matches).toBe(declared[1].matches);
    expect(fs.existsSync(path.join(build, CONTENT_SCRIPT_FILE))).toBe(true);
    expect(fs.existsSync(path.join(build, SHEET_SCRIPT_FILE))).toBe(true);
    // "Always on this site" registers the same file at run time. Chromium checks the file when a script is
    // registered (for a host we hold); Firefox only registers for a host the person granted (the popup flow).
    if (browser !== 'chromium') return;
    const registered = await env().session.console.evaluate(async (files: string[]) => {
      const api = (globalThis as any).chrome;
      const matches = ['*://*.intgovforum.org/glens-registration-check/*'];
      const ids = ['glens-check-sheet', 'glens-check'];
      await api.scripting.registerContentScripts([
        { id: ids[0], matches, js: [files[0]], runAt: 'document_start' },
        { id: ids[1], matches, js: [files[1]], runAt: 'document_idle' },
      ]);
      const got = await api.scripting.getRegisteredContentScripts({ ids });
      await api.scripting.unregisterContentScripts({ ids });
      return got.map((s: any) => s.js).flat().sort();
    }, [SHEET_SCRIPT_FILE, CONTENT_SCRIPT_FILE]);
    expect(registered).toEqual([CONTENT_SCRIPT_FILE, SHEET_SCRIPT_FILE].sort());
  });

  it('fuse.js is in the background, not in the content script (it cost a cold page start ~5 ms of CPU)', () => {
    const build = path.join(ROOT, browser === 'chromium' ? '.output/chrome-mv3' : '.output/firefox-mv2');
    // One of fuse.js's own error messages marks its code in a bundle.
    const FUSE = 'Logical search is not available';
    expect(fs.readFileSync(path.join(build, 'background.js'), 'utf8')).toContain(FUSE);
    expect(fs.readFileSync(path.join(build, CONTENT_SCRIPT_FILE), 'utf8')).not.toContain(FUSE);
  });

  it('popup lookup finds "Inclusiveness and transparency" for "inclusiv"', async () => {
    const popup = await env().session.openExtensionPage('popup.html');
    await popup.waitFor((sel: string) => !!document.querySelector(sel), SEARCH_BOX, { what: `a search box (${SEARCH_BOX}) in popup.html` });
    await popup.type(SEARCH_BOX, 'inclusiv');
    const first = await popup.waitFor(
      (sel: string) => {
        const box = document.querySelector<HTMLInputElement>(sel);
        const opt = document.querySelector('[role="option"]');
        return box?.value === 'inclusiv' && opt?.textContent ? opt.textContent : '';
      },
      SEARCH_BOX,
      { what: 'a first result' },
    );
    expect(first).toContain('Inclusiveness and transparency');
    await popup.close();
  });
});

describe.each(BROWSERS)('npm run annotate in %s', (browser) => {
  it('writes the JSON report and a screenshot for the demo page', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `glens-annotate-${browser}-`));
    const json = path.join(dir, 'report.json');
    const png = path.join(dir, 'page.png');
    const md = path.join(dir, 'report.md');
    const r = spawnSync(
      'npx',
      ['tsx', 'scripts/annotate.ts', 'public/demo.html', '--browser', browser, '--json', json, '--screenshot', png, '--markdown', md],
      { cwd: ROOT, encoding: 'utf8', timeout: 110_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    // The whole page is in the picture with every term painted (the extension registers only ranges
    // near the viewport, so the tool makes the viewport the page first).
    const inView = r.stderr.match(/Screenshot: (\d+) of (\d+) painted ranges in view/);
    expect(inView, r.stderr).not.toBeNull();
    expect(Number(inView![2])).toBeGreaterThan(20);
    expect(Number(inView![1])).toBe(Number(inView![2]));
    const report = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(report.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/demo\.html$/);
    expect(report.title).toContain('Enhanced cooperation');
    expect(report.extension).toEqual({ name: 'Governance Lens', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(report.dataset.version).toMatch(/\S/);
    expect(report.reason).toBe('on-demand');
    expect(report.timing.annotateMs).toBeGreaterThanOrEqual(0);
    expect(report.timing.longestSliceMs).toBeGreaterThanOrEqual(0);
    expect(report.terms.length).toBeGreaterThanOrEqual(1);
    for (const t of report.terms) {
      expect(Object.values(t.surfaces as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(t.count);
    }
    expect(report.guidance.length).toBeGreaterThanOrEqual(1);
    // "<em>Internet</em> Governance Forum" is split across inline tags in the demo.
    const surfaces = report.terms.flatMap((t: { surfaces: Record<string, number> }) => Object.keys(t.surfaces));
    expect(surfaces).toContain('Internet Governance Forum');
    const shot = fs.readFileSync(png);
    expect(shot.subarray(1, 4).toString()).toBe('PNG');
    expect(shot.length).toBeGreaterThan(10_000);
    expect(fs.readFileSync(md, 'utf8')).toMatch(/^# /);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads a saved page that loads remote scripts (offline: they fail at once, the report comes)', () => {
    // bbc-1 has blocking <script src="http://…"> tags; with no network Firefox kept the tab on about:blank.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `glens-annotate-remote-${browser}-`));
    const json = path.join(dir, 'report.json');
    const r = spawnSync('npx', ['tsx', 'scripts/annotate.ts', 'tests/fixtures/real-pages/bbc-1.html', '--browser', browser, '--json', json], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(report.state).toBe('done');
    expect(report.url).toMatch(/\/bbc-1\.html$/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 with a one-line reason for bad input', () => {
    const run = (...args: string[]) =>
      spawnSync('npx', ['tsx', 'scripts/annotate.ts', ...args, '--browser', browser], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    for (const args of [['no/such/file.html'], ['http://exa mple/'], ['http://127.0.0.1:1/nothing-listens-here']]) {
      const r = run(...args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines.length).toBe(1);
      expect(lines[0]).toMatch(/^annotate: /);
    }
  });

  it('names the Debian package when the browser is missing', () => {
    const env = { ...process.env, GLENS_CHROMIUM: '/nonexistent/chromium', GLENS_FIREFOX: '/nonexistent/firefox-esr' };
    const r = spawnSync('npx', ['tsx', 'scripts/annotate.ts', 'public/demo.html', '--browser', browser], { cwd: ROOT, encoding: 'utf8', env, timeout: 60_000 });
    expect(r.status).toBe(3);
    expect(r.stderr.trim()).toMatch(new RegExp(`apt-get install -y ${browser === 'chromium' ? 'chromium' : 'firefox-esr'}$`));
  });
});
