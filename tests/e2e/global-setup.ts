import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CHROME_BUILD, FIREFOX_BUILD, ROOT, requireBrowser } from '../../scripts/lib/browsers';

const built = () => [CHROME_BUILD, FIREFOX_BUILD].every((dir) => fs.existsSync(path.join(dir, 'manifest.json')));

/**
 * Runs once before the e2e files: both browsers must exist (no test is skipped for a missing
 * browser), and the extension is rebuilt every time (~5 s) so a stale build is never tested.
 * GLENS_E2E_NO_BUILD=1 reuses .output (local iteration only).
 */
export default function setup(): void {
  requireBrowser('chromium');
  requireBrowser('firefox');
  if (process.env.GLENS_E2E_NO_BUILD === '1' && built()) return;
  // A second attempt covers another `npm run build` clearing .output meanwhile (shared checkouts).
  for (let attempt = 1; attempt <= 2; attempt++) {
    const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
    if (built()) return;
  }
  throw new Error(`npm run build left no extension in ${CHROME_BUILD} and ${FIREFOX_BUILD}`);
}
