/**
 * Vite plugin: `import index from 'virtual:glens-index'` yields the CompiledIndex, validated (schema,
 * references, verbatim quotes) and compiled at build time, so a bad dataset fails the build.
 *
 * Start-up cost matters (the content script loads this on every in-scope page), so the module is not a
 * big object literal: it is `JSON.parse('<string>')` of a packed form (a string literal is scanned far
 * faster than an object literal is parsed), context lists are shared (one word table, each distinct list
 * once), forms are parallel arrays, and the matcher's trie and guard structures are built here
 * (`CompiledIndex.prebuilt`, lib/match `serializeMatcher`) so `createMatcher(index)` only loads them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { createMatcher, serializeMatcher } from '../match/matcher';
import { compileIndex } from './compile';
import { datasetFiles, readDataset } from './node';
import type { CompiledIndex } from './types';

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

/** The packed (wire) form of a CompiledIndex, as emitted into the virtual module. */
export interface PackedIndex {
  version: string;
  /** Terms without `context`; `cx` = index into ctxLists. */
  terms: { id: string; label: string; related: string[]; cx?: number }[];
  /** Distinct context words. */
  ctxWords: string[];
  /** Distinct context lists, as indexes into ctxWords. */
  ctxLists: number[][];
  formText: string[];
  formTerm: number[];
  /** Indexes of case-sensitive forms. */
  formCs: number[];
  guidance?: CompiledIndex['guidance'];
  prebuilt?: unknown;
}

/** Pack a CompiledIndex (shared context lists, parallel form arrays). Inverse: UNPACK_JS. */
export function packIndex(index: CompiledIndex): PackedIndex {
  const wordId = new Map<string, number>();
  const listId = new Map<string, number>();
  const ctxWords: string[] = [];
  const ctxLists: number[][] = [];
  const terms = index.terms.map((t) => {
    const out: PackedIndex['terms'][number] = { id: t.id, label: t.label, related: t.related };
    if (t.context) {
      const ids = t.context.map((w) => {
        let id = wordId.get(w);
        if (id === undefined) {
          id = ctxWords.length;
          ctxWords.push(w);
          wordId.set(w, id);
        }
        return id;
      });
      const key = ids.join(',');
      let li = listId.get(key);
      if (li === undefined) {
        li = ctxLists.length;
        ctxLists.push(ids);
        listId.set(key, li);
      }
      out.cx = li;
    }
    return out;
  });
  const packed: PackedIndex = {
    version: index.version,
    terms,
    ctxWords,
    ctxLists,
    formText: index.forms.map((f) => f.text),
    formTerm: index.forms.map((f) => f.term),
    formCs: index.forms.flatMap((f, i) => (f.cs ? [i] : [])),
  };
  if (index.guidance) packed.guidance = index.guidance;
  if (index.prebuilt !== undefined) packed.prebuilt = index.prebuilt;
  return packed;
}

/**
 * Plain JS (it runs in the content script) turning a PackedIndex back into a CompiledIndex. Terms that
 * share a context list share one array.
 */
export const UNPACK_JS = `function unpack(p) {
  var lists = p.ctxLists.map(function (l) { return l.map(function (w) { return p.ctxWords[w]; }); });
  var terms = p.terms.map(function (t) {
    var o = { id: t.id, label: t.label, related: t.related };
    if (t.cx !== undefined) o.context = lists[t.cx];
    return o;
  });
  var cs = new Set(p.formCs);
  var forms = new Array(p.formText.length);
  for (var i = 0; i < forms.length; i++) forms[i] = { text: p.formText[i], term: p.formTerm[i], cs: cs.has(i) };
  var out = { version: p.version, terms: terms, forms: forms };
  if (p.guidance) out.guidance = p.guidance;
  if (p.prebuilt !== undefined) out.prebuilt = p.prebuilt;
  return out;
}`;

/**
 * Module code for a CompiledIndex: `export default unpack(JSON.parse("<packed JSON>"))`, plus `loadIndex()`
 * (the same, on demand) and `DATASET_VERSION`.
 * @param withPrebuilt also build the matcher now and embed its snapshot (default true)
 */
export function indexModuleCode(index: CompiledIndex, withPrebuilt = true): string {
  const full: CompiledIndex = withPrebuilt ? { ...index, prebuilt: serializeMatcher(createMatcher(index)) } : index;
  // No "'" in the JSON (it only occurs inside JSON strings, where \u0027 means the same), so a minifier
  // keeps a plain single-quoted literal (scanned a little faster than the template literal it would pick).
  // Non-ASCII as JSON escapes too: one "–" would make the literal's value a two-byte string (V8 scans and
  // stores it at twice the cost; measured 2.4 vs 1.2 ms to compile this literal in Node).
  const json = JSON.stringify(packIndex(full)).replace(/['\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const literal = `'${json.replace(/[\\\u2028\u2029]/g, (c) => (c === '\\' ? '\\\\' : `\\u${c.charCodeAt(0).toString(16)}`))}'`;
  // The default export is built at module load; the content script imports only `loadIndex`, so the
  // default is tree-shaken there and the JSON is parsed when the page is in scope (not in the first task).
  return (
    `${UNPACK_JS}\nconst PACKED = ${literal};\n` +
    `export const DATASET_VERSION = ${JSON.stringify(index.version)};\n` +
    `export function loadIndex() { return unpack(JSON.parse(PACKED)); }\n` +
    `export default /* @__PURE__ */ unpack(/* @__PURE__ */ JSON.parse(PACKED));\n`
  );
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
      return indexModuleCode(compileIndex(readDataset(dir)));
    },
  };
}
