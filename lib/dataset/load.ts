/**
 * The bundled dataset, validated on first use. Popup, options and side panel import this; the content
 * script receives only the compiled index (virtual:glens-index).
 */
import guidance from '../../data/guidance.json';
import glossary from '../../data/glossary.json';
import sources from '../../data/sources.json';
import { parseDataset } from './schema';
import type { Dataset } from './types';

/** Version of the bundled dataset (data/guidance.json `version`). */
export const DATASET_VERSION: string = guidance.version;

/** The raw, unvalidated JSON assembled into the Dataset shape. */
export function rawDataset(): unknown {
  return { version: guidance.version, entries: guidance.entries, terms: glossary.terms, sources: sources.sources };
}

let cached: Dataset | undefined;

/**
 * The bundled dataset, schema-validated and cross-checked (ids, references, alias ownership).
 * Quotes are checked against the source texts at build time (vite plugin) and in tests, not here.
 * @throws DatasetError with a readable list of problems.
 */
export function loadDataset(): Dataset {
  cached ??= parseDataset(rawDataset());
  return cached;
}
