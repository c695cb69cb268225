/**
 * Vite plugin: `import index from 'virtual:glens-index'` yields the CompiledIndex, validated (schema,
 * references, verbatim quotes) and compiled at build time, so a bad dataset fails the build.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { compileIndex } from './compile';
import { datasetFiles, readDataset } from './node';

export const VIRTUAL_INDEX_ID = 'virtual:glens-index';
const RESOLVED_ID = '\0' + VIRTUAL_INDEX_ID;

function defaultDataDir(root: string | undefined): string {
  const candidates: string[] = [];
  try {
    candidates.push(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data'));
  } catch {
    // import.meta.url unavailable when bundled into a CJS config: fall back below.
  }
  if (root) candidates.push(path.resolve(root, 'data'));
  candidates.push(path.resolve(process.cwd(), 'data'));
  return candidates.find((d) => existsSync(path.join(d, 'guidance.json'))) ?? candidates[candidates.length - 1];
}

/**
 * The `virtual:glens-index` provider.
 * @param options.dataDir directory holding guidance/glossary/sources JSON (default: the project's data/).
 */
export function glensDataset(options: { dataDir?: string } = {}): Plugin {
  let root: string | undefined;
  return {
    name: 'glens-dataset',
    configResolved(config) {
      root = config.root;
    },
    resolveId(id) {
      return id === VIRTUAL_INDEX_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const dir = options.dataDir ?? defaultDataDir(root);
      for (const f of datasetFiles(dir)) this.addWatchFile(f);
      const index = compileIndex(readDataset(dir));
      return `export default ${JSON.stringify(index)};\n`;
    },
  };
}
