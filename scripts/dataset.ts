/**
 * Dataset export. `npm run -s dataset -- --json` prints the validated dataset (schema, references and
 * verbatim quotes checked) as JSON on stdout; without --json it prints a short summary.
 * Exit code 1 with a readable list of problems when the dataset is invalid.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataset } from '../lib/dataset/node';
import { compileIndex } from '../lib/dataset/compile';
import type { Dataset } from '../lib/dataset/types';

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../data');

function summary(ds: Dataset): string {
  const byKind = new Map<string, number>();
  for (const e of ds.entries) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
  const withFrEs = ds.terms.filter((t) => t.translations?.fr?.length || t.translations?.es?.length).length;
  const index = compileIndex(ds);
  const nearest = ds.sources.filter((s) => s.urlStatus === 'nearest');
  return [
    `Governance Lens dataset ${ds.version}`,
    `entries: ${ds.entries.length} (${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')})`,
    `terms: ${ds.terms.length} (${withFrEs} with confirmed FR/ES forms, ${ds.terms.filter((t) => t.ambiguous).length} context-guarded)`,
    `sources: ${ds.sources.length} (${nearest.length} linking the nearest confirmed page: ${nearest.map((s) => s.id).join(', ')})`,
    `compiled index: ${index.terms.length} terms, ${index.forms.length} forms (${index.forms.filter((f) => f.cs).length} case-sensitive)`,
  ].join('\n');
}

// `… --json | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

try {
  const ds = readDataset(dataDir);
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(ds, null, 2) + '\n');
  else console.log(summary(ds));
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
