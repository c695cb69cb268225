/**
 * `npm run lint:firefox` — Mozilla's add-on linter (`web-ext lint`) on the BUILT Firefox extension.
 * Fails on any error or warning (issue 7: "web-ext lint on the Firefox build with no errors or warnings");
 * notices are printed but allowed. Known findings get a hint saying where they come from.
 *
 *   npx tsx scripts/check-web-ext-lint.ts [--source-dir .output/firefox-mv2]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Finding {
  _type: 'error' | 'warning' | 'notice';
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

const HINTS: Record<string, string> = {
  MISSING_DATA_COLLECTION_PERMISSIONS:
    'add browser_specific_settings.gecko.data_collection_permissions = { required: ["none"] } to the Firefox manifest (wxt.config.ts)',
  UNSAFE_VAR_ASSIGNMENT:
    "an innerHTML assignment in the bundle; in Preact's runtime it is the dangerouslySetInnerHTML branch of diff() (dead code here: our eslint rule bans dangerouslySetInnerHTML) — strip it at build time",
};

function main(): number {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--source-dir');
  const dir = resolve(i >= 0 ? argv[i + 1] : join(ROOT, '.output/firefox-mv2'));
  if (!existsSync(join(dir, 'manifest.json'))) {
    console.error(`lint:firefox: no Firefox build in ${dir} — run \`npm run build\` first.`);
    return 2;
  }
  const bin = join(ROOT, 'node_modules/.bin/web-ext');
  const r = spawnSync(bin, ['lint', '--source-dir', dir, '--output', 'json', '--no-input'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  let report: { summary: Record<string, number>; errors: Finding[]; warnings: Finding[]; notices: Finding[] };
  try {
    report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
  } catch {
    console.error(`lint:firefox: web-ext lint did not produce JSON (exit ${r.status}).\n${r.stdout}\n${r.stderr}`);
    return 2;
  }
  const show = (f: Finding) => {
    const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}${f.column ? `:${f.column}` : ''}` : 'extension';
    console.log(`  ${f._type.toUpperCase()} ${f.code} (${where}): ${f.message}`);
    if (HINTS[f.code]) console.log(`    → ${HINTS[f.code]}`);
  };
  const { errors, warnings, notices } = report;
  console.log(`web-ext lint ${dir}: ${errors.length} error(s), ${warnings.length} warning(s), ${notices.length} notice(s)`);
  [...errors, ...warnings, ...notices].forEach(show);
  return errors.length || warnings.length ? 1 : 0;
}

process.exit(main());
