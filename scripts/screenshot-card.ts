/**
 * Regenerate the README screenshot: `npx tsx scripts/screenshot-card.ts [light|dark] [out.png]`.
 * Opens the demo page under the default-scope host in headless Chromium with the built
 * extension, hovers "Inclusiveness" in the principles list and captures the open card.
 */
import { ExtSession } from './lib/ext-session';
import { serveStatic, SCOPE_HOST, ROOT } from './lib/browsers';
import path from 'node:path';
const theme = process.argv[2] ?? 'light';
const out = process.argv[3] ?? path.join(ROOT, 'public/screenshots/card.png');
const srv = await serveStatic({ dir: path.join(ROOT, 'public') });
const s = await ExtSession.open('chromium', { hostMap: [SCOPE_HOST], viewport: { width: 1000, height: 640 } });
const tab = await s.openTab(srv.url('/demo.html', SCOPE_HOST));
await s.waitForDone(tab.tabId);
if (theme === 'dark') await (tab.page.raw as any).emulateMedia({ colorScheme: 'dark' });
// Scroll to the "Four principles" list and hover "Inclusiveness".
const pt = await tab.page.evaluate(() => {
  const h = [...document.querySelectorAll('h3')].find((x) => x.textContent === 'Four principles')!;
  h.scrollIntoView({ block: 'start' });
  window.scrollBy(0, -20);
  const reg = (globalThis as any).CSS.highlights.get('glens-guided');
  for (const a of reg) {
    const r = document.createRange(); r.setStart(a.startContainer, a.startOffset); r.setEnd(a.endContainer, a.endOffset);
    if (r.toString() === 'Inclusiveness') { const b = r.getClientRects()[0]; return { x: b.left + 10, y: b.top + b.height / 2 }; }
  }
  return null;
});
await tab.page.mouseMove(pt!.x, pt!.y);
await tab.page.waitFor(() => { const t = document.querySelector('glens-card-host')?.shadowRoot?.querySelector('[role="dialog"]')?.textContent ?? ''; return t && !/Loading/.test(t); });
await tab.page.screenshot({ path: out });
console.log('wrote', out);
await s.close(); await srv.close();
