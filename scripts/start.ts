/**
 * npm start — build the extension, then show it working on the bundled demo page.
 *
 * The demo (public/demo.html) is served on loopback under www.intgovforum.org (mapped to
 * 127.0.0.1 with --host-resolver-rules), which is inside the default scope, so the extension
 * annotates it on its own, exactly as on a real IGF page.
 * - With a display ($DISPLAY or $WAYLAND_DISPLAY): opens Chromium with the extension loaded
 *   on the demo page and keeps running until the browser window is closed.
 * - Without one: runs headless and writes demo-report.md and demo.png, then exits.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { EnvironmentError, ROOT, SCOPE_HOST, launchChromium, requireBrowser, serveStatic } from './lib/browsers';
import { annotate, InputError } from './annotate';

function build(): void {
  console.error('Building the extension (npm run build)…');
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new EnvironmentError('npm run build failed.');
}

async function headful(): Promise<void> {
  const server = await serveStatic({ dir: path.join(ROOT, 'public') });
  const session = await launchChromium({ hostMap: [SCOPE_HOST], headless: false, viewport: null });
  const url = server.url('/demo.html', SCOPE_HOST);
  const page = session.context.pages()[0] ?? (await session.context.newPage());
  await page.goto(url);
  console.error(`Governance Lens is loaded in Chromium on ${url}.`);
  console.error('Hover a highlighted term to see its card; Alt+Shift+J / Alt+Shift+K move between terms. Close the window to stop.');
  await new Promise<void>((resolve) => {
    session.context.on('close', () => resolve());
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await session.close();
  await server.close();
}

async function headless(): Promise<void> {
  const markdown = path.join(process.cwd(), 'demo-report.md');
  const screenshot = path.join(process.cwd(), 'demo.png');
  console.error('No display: annotating the demo page in headless Chromium…');
  const res = await annotate({
    target: path.join(ROOT, 'public/demo.html'),
    browser: 'chromium',
    hostMap: [SCOPE_HOST],
    serveHost: SCOPE_HOST,
    markdown,
    screenshot,
    log: (l) => console.error(l),
  });
  const total = res.json.terms.reduce((n, t) => n + t.count, 0);
  console.error(`${res.json.terms.length} terms (${total} occurrences) and ${res.json.guidance.length} ISOC principles/recommendations found.`);
  console.error(`Wrote ${path.relative(process.cwd(), markdown)} and ${path.relative(process.cwd(), screenshot)}.`);
}

async function main(): Promise<number> {
  try {
    requireBrowser('chromium');
    build();
    if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) await headful();
    else await headless();
    return 0;
  } catch (e) {
    console.error(`start: ${((e as Error).message ?? String(e)).split('\n')[0]}`);
    if (e instanceof InputError) return 2;
    if (e instanceof EnvironmentError) return 3;
    return 1;
  }
}

main().then((code) => process.exit(code));
