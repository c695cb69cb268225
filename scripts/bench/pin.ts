/**
 * `--pin` (a diagnosis, Linux only): core 0 for the main threads of the browser's page renderers, every
 * other thread of the browser and of this process on core 1. On a 2-core machine a page's main thread
 * otherwise waits for a core while the browser's other threads run (the GPU compositor, the browser's main
 * thread, V8's compile and GC helpers, raster, the extension's service worker): its tasks' wall time then
 * holds that wait, and the extension's and the floor's wall times hold it in different amounts. Pinned,
 * the page's main thread never waits for a core, so wall time measures the page's own work. The page's
 * thread then has a core to itself, which no reader's machine promises: use it to tell where wall time
 * goes, never as the result.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const read = (p: string): string => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
};

/**
 * Pins as described above; the browser's processes are those whose program name contains `browserBinary`
 * (Debian's is /usr/lib/chromium/chromium). Returns the renderer pids given core 0 and how many threads went
 * to core 1.
 */
export function pinPageRenderers(browserBinary = 'chromium'): { renderers: number[]; threads: number } {
  if (process.platform !== 'linux') throw new Error('--pin needs Linux (taskset and /proc)');
  const pids = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
  const browser: number[] = [];
  const renderers: number[] = [];
  for (const pid of pids) {
    // Chromium's child processes rewrite their title: one string, arguments joined by spaces.
    const argv = read(`/proc/${pid}/cmdline`).split(/[\0 ]/);
    if (!argv[0]?.includes(browserBinary)) continue;
    browser.push(pid);
    // Page renderers: not the extension's process (its service worker) and not utilities or the GPU.
    if (argv.includes('--type=renderer') && !argv.includes('--extension-process')) renderers.push(pid);
  }
  if (!renderers.length) throw new Error('--pin: no page renderer found');
  const others: number[] = [];
  for (const pid of [...browser, process.pid]) {
    let tasks: number[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`).map(Number);
    } catch {
      continue; // the process ended since /proc was listed (a spare renderer, a utility)
    }
    for (const t of tasks) if (!(renderers.includes(pid) && t === pid)) others.push(t);
  }
  // One shell for all the threads: a process per thread would take seconds. A thread that ended meanwhile
  // is skipped; the page's renderer is alive (its page is open), so its pinning does not fail.
  const script = `for t in ${others.join(' ')}; do taskset -p -c 1 $t >/dev/null 2>&1; done; for t in ${renderers.join(' ')}; do taskset -p -c 0 $t >/dev/null 2>&1; done; true`;
  execFileSync('bash', ['-c', script]);
  // Check it took: every renderer still running is on core 0 alone.
  const live = renderers.filter((r) => read(`/proc/${r}/status`) !== '');
  if (!live.length || live.some((r) => !/^Cpus_allowed_list:\s*0$/m.test(read(`/proc/${r}/status`)))) {
    throw new Error('--pin: a page renderer could not be pinned to core 0 (taskset failed)');
  }
  return { renderers: live, threads: others.length };
}
