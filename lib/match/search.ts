/**
 * Popup lookup (fuse.js role 1): fuzzy search over guidance entries, glossary terms and sources.
 *
 * Ranking: (1) exact hits — the folded query equals an id, label/title or alias ("IXP", "ICANN",
 * "digital divide"); (2) word-prefix hits — every query word starts a word of the title or an alias
 * ("inclusiv" → P1 "Inclusiveness and transparency" before the "Inclusiveness" term; "tunis 69"),
 * guidance entries first; (3) fuse.js fuzzy results on names (ignoreLocation, threshold 0.34, weighted
 * keys) by score — typos such as "multistakholder"; (4) only when still fewer than 5 results, fuzzy hits in
 * definitions/summaries (first 200 chars), ranked last (the "low weight" of the definition).
 */
import Fuse, { type FuseResult, type IFuseOptions } from 'fuse.js';
import type { Dataset } from '../dataset/types';
import { foldKey, normalizeForMatch } from './normalize';

export type LookupKind = 'principle' | 'recommendation' | 'characteristic' | 'instrument' | 'term' | 'source';

/** A matched character range [start, end] (inclusive, as fuse.js reports) in `value` of field `key`. */
export interface LookupMatch {
  key: string;
  value: string;
  indices: [number, number][];
}

export interface LookupResult {
  kind: LookupKind;
  id: string;
  title: string;
  /** 0 = exact; fuse score otherwise (lower is better). */
  score: number;
  /** Ranges to highlight in the UI (from fuse.js includeMatches); empty for id-only exact hits. */
  matches: LookupMatch[];
}

interface Doc {
  kind: LookupKind;
  id: string;
  title: string;
  aliases: string[];
  translations: string[];
  body: string;
}

export interface Lookup {
  /** Results best first; [] for an empty/blank query. */
  search(query: string, limit?: number): LookupResult[];
}

const KEYS = [
  { name: 'title', weight: 3 },
  { name: 'aliases', weight: 2.5 },
  { name: 'id', weight: 1 },
  { name: 'translations', weight: 1 },
];

const BASE_OPTIONS: IFuseOptions<Doc> = {
  keys: KEYS,
  includeMatches: true,
  includeScore: true,
  ignoreLocation: true,
  ignoreDiacritics: true,
  threshold: 0.34,
  minMatchCharLength: 2,
};

/** Kind order used to break ties (guidance before terms before sources). */
const KIND_RANK: Record<LookupKind, number> = {
  principle: 0,
  recommendation: 1,
  characteristic: 2,
  instrument: 3,
  term: 4,
  source: 5,
};

/** Long texts cost fuzzy-search time linearly and rank poorly anyway: search their first 200 chars. */
function clip(s: string): string {
  return s.length > 200 ? s.slice(0, 200) : s;
}

function docsOf(ds: Dataset): Doc[] {
  const docs: Doc[] = [];
  for (const e of ds.entries) {
    docs.push({ kind: e.kind, id: e.id, title: e.title, aliases: [], translations: [], body: clip(e.summary) });
  }
  for (const t of ds.terms) {
    docs.push({
      kind: 'term',
      id: t.id,
      title: t.label,
      aliases: t.aliases,
      translations: [...(t.translations?.fr ?? []), ...(t.translations?.es ?? [])],
      body: clip(t.definition),
    });
  }
  for (const s of ds.sources) {
    docs.push({ kind: 'source', id: s.id, title: s.title, aliases: [s.publisher], translations: [], body: clip(s.description) });
  }
  return docs;
}

function toMatches(r: FuseResult<Doc>): LookupMatch[] {
  return (r.matches ?? []).map((m) => ({
    key: m.key ?? '',
    value: m.value ?? '',
    indices: m.indices.map(([a, b]) => [a, b] as [number, number]),
  }));
}

/** Ranges of `needle` (folded) inside `value`, for highlighting exact hits. */
function exactRanges(value: string, needle: string): [number, number][] {
  const hay = foldKey(value);
  if (hay.length !== value.length) return [[0, value.length - 1]];
  const out: [number, number][] = [];
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) out.push([i, i + needle.length - 1]);
  return out;
}

const wordCache = new WeakMap<Doc, string[]>();
/** Folded words of a doc's title and aliases (cached). */
function wordStarts(d: Doc): string[] {
  let w = wordCache.get(d);
  if (!w) {
    w = [d.title, ...d.aliases].flatMap((x) => foldKey(x).split(/[^\p{L}\p{N}+]+/u)).filter(Boolean);
    wordCache.set(d, w);
  }
  return w;
}

/** Ranges [a, b] (inclusive) where each query word starts a word in `value`. */
function prefixRanges(value: string, words: string[]): [number, number][] {
  const norm = normalizeForMatch(value);
  const out: [number, number][] = [];
  for (const w of words) {
    for (let i = norm.indexOf(w); i >= 0; i = norm.indexOf(w, i + 1)) {
      if (i > 0 && /[\p{L}\p{N}]/u.test(norm[i - 1])) continue;
      out.push([i, i + w.length - 1]);
      break;
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Build the popup lookup (index build: a few ms; search: ~1 ms per keystroke on an idle machine). */
export function createLookup(dataset: Dataset): Lookup {
  const docs = docsOf(dataset);
  const fuse = new Fuse(docs, BASE_OPTIONS);
  // Definitions/summaries (the long fields) are searched only when names gave too little: low weight by
  // construction, and most keystrokes never pay for them.
  const bodyFuse = new Fuse(docs, { ...BASE_OPTIONS, keys: [{ name: 'body', weight: 1 }], threshold: 0.25 });
  // Exact keys: folded id, title, aliases, translations → docs.
  const exact = new Map<string, { doc: Doc; key: string; value: string }[]>();
  const addExact = (k: string, doc: Doc, key: string, value: string) => {
    if (!k) return;
    const list = exact.get(k) ?? [];
    if (!list.some((x) => x.doc === doc)) list.push({ doc, key, value });
    exact.set(k, list);
  };
  for (const d of docs) {
    addExact(foldKey(d.id), d, 'id', d.id);
    addExact(foldKey(d.title), d, 'title', d.title);
    for (const a of d.aliases) addExact(foldKey(a), d, 'aliases', a);
    for (const a of d.translations) addExact(foldKey(a), d, 'translations', a);
  }

  return {
    search(query: string, limit = 20): LookupResult[] {
      const q = query.trim().slice(0, 64);
      if (!q) return [];
      const fq = foldKey(q);
      const out: LookupResult[] = [];
      const seen = new Set<Doc>();
      const push = (doc: Doc, score: number, matches: LookupMatch[]) => {
        if (seen.has(doc) || out.length >= limit) return;
        seen.add(doc);
        out.push({ kind: doc.kind, id: doc.id, title: doc.title, score, matches });
      };
      // 1. Exact: the query is an id, title or alias ("IXP", "ICANN", "digital divide").
      const hits = (exact.get(fq) ?? []).slice().sort((a, b) => {
        // A title/alias hit beats an id hit; terms beat sources for acronyms.
        const ka = a.key === 'id' ? 1 : 0;
        const kb = b.key === 'id' ? 1 : 0;
        return ka - kb || KIND_RANK[a.doc.kind] - KIND_RANK[b.doc.kind];
      });
      for (const h of hits) push(h.doc, 0, [{ key: h.key, value: h.value, indices: exactRanges(h.value, fq) }]);
      // 2. Word prefixes: every query word starts a word of the title or an alias ("inclusiv",
      //    "tunis 69"); guidance entries first, then titles before aliases, then shorter titles.
      const qWords = fq.split(' ').filter(Boolean);
      const prefixHits = docs
        .filter((d) => !seen.has(d) && qWords.every((w) => wordStarts(d).some((x) => x.startsWith(w))))
        .map((d) => {
          const inTitle = qWords.every((w) => foldKey(d.title).split(/[^\p{L}\p{N}+]+/u).some((x) => x.startsWith(w)));
          const value = inTitle ? d.title : (d.aliases.find((a) => qWords.every((w) => foldKey(a).includes(w))) ?? d.title);
          return { d, inTitle, value };
        })
        .sort(
          (a, b) =>
            KIND_RANK[a.d.kind] - KIND_RANK[b.d.kind] ||
            Number(b.inTitle) - Number(a.inTitle) ||
            a.d.title.length - b.d.title.length,
        );
      for (const h of prefixHits) {
        push(h.d, 0.01, [{ key: h.inTitle ? 'title' : 'aliases', value: h.value, indices: prefixRanges(h.value, qWords) }]);
      }
      // 3. Fuzzy (typos, infixes, definitions), by fuse score. Skipped for 1–2 char queries (noise) and
      //    when exact/prefix hits already fill the first screen (keeps keystrokes cheap).
      if (fq.length >= 3 && out.length < Math.min(limit, 5)) {
        for (const r of fuse.search(q, { limit: limit * 2 })) push(r.item, r.score ?? 1, toMatches(r));
        if (out.length < Math.min(limit, 5)) {
          for (const r of bodyFuse.search(q, { limit })) push(r.item, Math.min(1, 0.5 + (r.score ?? 1)), toMatches(r));
        }
      }
      return out;
    },
  };
}
