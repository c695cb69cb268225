/**
 * Node-only helpers (build time, scripts, tests): read data/ from disk and validate it fully, including
 * the verbatim check of every quote against the bundled source texts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDataset } from './schema';
import type { Dataset } from './types';

/** Source id → file in data/ holding its text (for the verbatim-quote check). */
export const SOURCE_TEXT_FILES: Record<string, string> = {
  'isoc-wgec-2016': 'isoc-wgec-2016-contribution.txt',
  'tunis-agenda': 'tunis-agenda-69-72.txt',
};

/** The data files a build depends on (for watch mode). */
export function datasetFiles(dataDir: string): string[] {
  return ['guidance.json', 'glossary.json', 'sources.json', ...Object.values(SOURCE_TEXT_FILES)].map((f) => path.join(dataDir, f));
}

/** Source id → text, read from dataDir. */
export function readSourceTexts(dataDir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(SOURCE_TEXT_FILES).map(([id, f]) => [id, readFileSync(path.join(dataDir, f), 'utf8')]));
}

/**
 * Read data/*.json from `dataDir`, validate schema + references + verbatim quotes.
 * @throws DatasetError with a readable list of problems.
 */
export function readDataset(dataDir: string): Dataset {
  const json = (f: string) => JSON.parse(readFileSync(path.join(dataDir, f), 'utf8'));
  const g = json('guidance.json');
  const raw = { version: g.version, entries: g.entries, terms: json('glossary.json').terms, sources: json('sources.json').sources };
  return parseDataset(raw, { sourceTexts: readSourceTexts(dataDir) });
}
