/**
 * Popup lookup (fuse.js role 1): fuzzy search over guidance entries, glossary terms and sources.
 *
 * Stages, each adding only docs not found yet, until `limit`:
 * 1. exact — the folded query equals a title, alias, translation or id ("IXP", "ICANN", "digital divide",
 *    "Principle 1"): score 0;
 * 2. word prefix — every query word starts a word of the title or an alias ("inclusiv" → P1 "Inclusiveness
 *    and transparency" before the "Inclusiveness" term; "tunis 69"), guidance entries first (0.01); then
 *    the same counting translations ("Tunez", "gobernanza"; 0.02);
 * 3. fuse.js fuzzy results on names (ignoreLocation, threshold 0.34, weighted keys) by score: typos
 *    ("multistakholder"), infixes ("lateral"), other inflections and partial matches ("domain names" →
 *    "Domain Name System", "tunis 69" → "Tunis Agenda paragraph 72");
 * 4. definitions/summaries (first 200 chars), ranked last (the "low weight" of the definition): every query
 *    word starts a word of the text (0.5); then, for a typo, fuse.js fuzzy hits (0.5 + score).
 * Stages 3 and 4 run only while the first screen (5 results) is not full. fuse.js never scans the whole
 * dataset (that cost 7–12 ms a keystroke, typo or not: "capacity building" has one exact hit, so it fell
 * through to two full scans). It scores only candidates: docs not found yet whose words cover most of the
 * query — a word counts where a word starts with or contains it, or, for a typo (a 3+ char word that starts
 * no indexed word), where a word is one fuse.js finds close to it in a small bucket of words, or where it
 * splits into two words (WordIndex); if that finds nothing, docs sharing most letter pairs with the query.
 * At most 16 (12 definitions) and a bounded amount of work, on index records made once per doc. A
 * correctly spelt one-word query ("inclusiv", "IXP") never reaches fuse.js unless a name contains it
 * mid-word ("lateral"). Worst keystroke ~1–1.5 ms on a loaded 2-core machine (scripts/lookup-timing.ts).
 */
import Fuse, { type FuseIndex, type FuseResult, type IFuseOptions } from 'fuse.js';
import type { Dataset } from '../dataset/types';
import { foldKey, normalizeForMatch } from './normalize';
import { foldForWords, isWordCode, TextScan, WordIndex, wordsOf, type WordHits } from './word-index';

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

/** A doc's folded aliases, translations and definition, computed once at build time. */
interface Folded {
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
const BODY_KEYS = [{ name: 'body', weight: 1 }];

const BASE_OPTIONS: IFuseOptions<Doc> = {
  keys: KEYS,
  includeMatches: true,
  includeScore: true,
  ignoreLocation: true,
  ignoreDiacritics: true,
  threshold: 0.34,
  minMatchCharLength: 2,
};
const BODY_OPTIONS: IFuseOptions<Doc> = { ...BASE_OPTIONS, keys: BODY_KEYS, threshold: 0.25 };

/** Field bits in the names word index. */
const TITLE = 1;
const ALIAS = 2;
const TRANSLATION = 4;
const ID = 8;
const TITLE_OR_ALIAS = TITLE | ALIAS;

/** Fuzzy stages run while fewer results than this (or `limit`) are shown: the popup's first screen. */
const FIRST_SCREEN = 5;
/** At most this many candidates are scored by fuse.js on names… */
const MAX_NAME_CANDIDATES = 16;
/** …and on definitions. */
const MAX_BODY_CANDIDATES = 12;
/**
 * …and no more than this work per fuse.js search, in chars of the searched fields × error levels (fuse.js's
 * bitap scans every value once per allowed error): ~0.04 µs each on names, ~0.02 on definitions, so ≤ ~1 ms
 * on an idle laptop core even for a long query against terms with many aliases and translations.
 */
const FUSE_BUDGET = 24_000;
/** A candidate's words must cover this share of the query's letters (fuse.js needs ~2/3 in one field). */
const MIN_COVER = 0.4;

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

const NUMBERED: Partial<Record<LookupKind, string>> = { principle: 'Principle', recommendation: 'Recommendation', characteristic: 'Characteristic' };

function docsOf(ds: Dataset): Doc[] {
  const docs: Doc[] = [];
  for (const e of ds.entries) {
    // "Principle 1" for P1 (and R…, C…): how the contribution and the popup refer to them.
    const n = /^[PRC](\d+)$/.exec(e.id);
    const aliases = n && NUMBERED[e.kind] ? [`${NUMBERED[e.kind]} ${n[1]}`] : [];
    docs.push({ kind: e.kind, id: e.id, title: e.title, aliases, translations: [], body: clip(e.summary) });
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

/** Ranges [a, b] (inclusive) where each query word starts a word in `value`. */
function prefixRanges(value: string, words: string[]): [number, number][] {
  const norm = normalizeForMatch(value);
  const out: [number, number][] = [];
  for (const w of words) {
    for (let i = norm.indexOf(w); i >= 0; i = norm.indexOf(w, i + 1)) {
      if (i > 0 && isWordCode(norm.charCodeAt(i - 1))) continue;
      out.push([i, i + w.length - 1]);
      break;
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Whether every query word starts one of `words`. */
function allStart(words: string[], qWords: string[]): boolean {
  return qWords.every((w) => words.some((x) => x.startsWith(w)));
}

/** What a fuzzy stage may spend: at most `max` docs, Σ size(d) × error levels ≤ FUSE_BUDGET. */
interface Budget {
  max: number;
  size: Uint16Array;
  threshold: number;
}

/**
 * Candidates for a fuzzy stage: docs (not `excluded`) by how much of the query their words cover — Σ over
 * query words matched per `hits[i]` (a word starting with it, containing it, or close to it) of word length
 * × (1 − word score), best first, then kind, then title length — within `budget`. A doc must cover ≥
 * MIN_COVER of the query's letters, and ≥ 3, with words of 3+ chars: 1–2 char words ("de", "l'", "69",
 * "of") start too many words to qualify a doc, they only rank the qualified ones.
 */
function candidates(docs: Doc[], q: string, qWords: string[], hits: WordHits[], excluded: Set<Doc>, budget: Budget): number[] {
  const total = qWords.reduce((n, w) => n + w.length, 0);
  const min = Math.max(3, MIN_COVER * total);
  const cover = new Float32Array(docs.length);
  const out: number[] = [];
  for (let d = 0; d < docs.length; d++) {
    if (excluded.has(docs[d])) continue;
    let long = 0;
    let short = 0;
    for (let i = 0; i < hits.length; i++) {
      if (!hits[i].fields[d]) continue;
      const c = qWords[i].length * (1 - hits[i].score[d]);
      if (qWords[i].length >= 3) long += c;
      else short += c;
    }
    if (long < min) continue;
    cover[d] = long + short;
    out.push(d);
  }
  return best(docs, out, cover, q, budget);
}

/**
 * Last-resort candidates when the words found nothing (several typos, or one across a space:
 * "Submarinencabels"): docs whose names hold the most of the query's letter pairs (≥ 40%; a match within
 * fuse.js's threshold keeps about a third of them).
 */
function pairCandidates(docs: Doc[], nameText: string[], q: string, qWords: string[], excluded: Set<Doc>, budget: Budget): number[] {
  const pairs = new Set<string>();
  for (const w of qWords) for (let i = 0; i + 2 <= w.length; i++) pairs.add(w.slice(i, i + 2));
  if (pairs.size < 2) return [];
  const min = Math.ceil(0.4 * pairs.size);
  const shared = new Float32Array(docs.length);
  const out: number[] = [];
  for (let d = 0; d < docs.length; d++) {
    if (excluded.has(docs[d])) continue;
    let n = 0;
    for (const p of pairs) if (nameText[d].includes(p)) n++;
    if (n < min) continue;
    shared[d] = n;
    out.push(d);
  }
  return best(docs, out, shared, q, budget);
}

/** `ids` by `rank` (higher first), then kind, then title length, as many as `budget` allows. */
function best(docs: Doc[], ids: number[], rank: Float32Array, q: string, budget: Budget): number[] {
  ids.sort((a, b) => rank[b] - rank[a] || KIND_RANK[docs[a].kind] - KIND_RANK[docs[b].kind] || docs[a].title.length - docs[b].title.length || a - b);
  const m = Math.min(32, q.length);
  const levels = Math.min(m, Math.floor(budget.threshold * m) + 1);
  let work = 0;
  let n = 0;
  while (n < ids.length && n < budget.max && (n === 0 || work + budget.size[ids[n]] * levels <= FUSE_BUDGET)) work += budget.size[ids[n++]] * levels;
  return ids.slice(0, n);
}

type IndexRecord = NonNullable<ReturnType<FuseIndex<Doc>['add']>>;

/** fuse.js index records of `docs` for `keys`, each made on first `get`. */
interface LazyRecords {
  keys: FuseIndex<Doc>['keys'];
  get: (d: number) => IndexRecord;
}

/** Records made on demand: a session needs a few dozen; making all 171 × 2 at popup open costs a few ms. */
function lazyRecords(keys: typeof KEYS, docs: Doc[]): LazyRecords {
  const index = Fuse.createIndex<Doc>(keys, []); // keys only; `add` makes a doc's record
  const byDoc: IndexRecord[] = [];
  return { keys: index.keys, get: (d) => (byDoc[d] ??= index.add(docs[d], d)!) };
}

/**
 * Build the popup lookup (a few ms warm, ~15–25 ms cold; a search costs ≤ ~1.5 ms, see
 * scripts/lookup-timing.ts).
 * @param dataset guidance entries, glossary terms (with aliases and confirmed FR/ES translations), sources.
 */
export function createLookup(dataset: Dataset): Lookup {
  const docs = docsOf(dataset);
  // Each fuzzy search runs fuse.js on a sub-index of a few docs' index records.
  const nameRecords = lazyRecords(KEYS, docs);
  const bodyRecords = lazyRecords(BODY_KEYS, docs);
  /** fuse.js over the docs `ids` only (the records keep their doc numbers, so ties break as in a full search). */
  const fuseOver = (records: LazyRecords, options: IFuseOptions<Doc>, ids: number[]) =>
    new Fuse(docs, options, Fuse.parseIndex<Doc>({ keys: records.keys, records: ids.map(records.get) }));

  const nameBudget: Budget = { max: MAX_NAME_CANDIDATES, size: new Uint16Array(docs.length), threshold: BASE_OPTIONS.threshold! };
  const bodyBudget: Budget = { max: MAX_BODY_CANDIDATES, size: new Uint16Array(docs.length), threshold: BODY_OPTIONS.threshold! };
  const folded: Folded[] = [];
  const nameText: string[] = [];
  const names = new WordIndex(docs.length);
  // Exact keys: folded title, aliases, translations, id → docs (a doc keeps its first key: ids last, so
  // "capacity building" is reported as a title hit, with its ranges).
  const exact = new Map<string, { doc: Doc; key: string; value: string }[]>();
  const addExact = (k: string, doc: Doc, key: string, value: string) => {
    if (!k) return;
    const list = exact.get(k) ?? [];
    if (!list.some((x) => x.doc === doc)) list.push({ doc, key, value });
    exact.set(k, list);
  };
  docs.forEach((d, i) => {
    const f: Folded = { aliases: d.aliases.map(foldKey), translations: d.translations.map(foldKey), body: foldForWords(d.body) };
    const size = d.title.length + d.id.length + d.aliases.reduce((n, a) => n + a.length, 0) + d.translations.reduce((n, a) => n + a.length, 0);
    nameBudget.size[i] = Math.min(65_535, size);
    bodyBudget.size[i] = d.body.length;
    folded.push(f);
    const title = foldKey(d.title);
    const id = foldKey(d.id);
    addExact(title, d, 'title', d.title);
    f.aliases.forEach((a, j) => addExact(a, d, 'aliases', d.aliases[j]));
    f.translations.forEach((a, j) => addExact(a, d, 'translations', d.translations[j]));
    addExact(id, d, 'id', d.id);
    names.add(i, TITLE, title);
    for (const a of f.aliases) names.add(i, ALIAS, a);
    for (const a of f.translations) names.add(i, TRANSLATION, a);
    names.add(i, ID, id);
    nameText.push([title, ...f.aliases, ...f.translations, id].join('\n'));
  });
  names.freeze();
  const bodies = new TextScan(folded.map((f) => f.body));
  /**
   * Definitions with a word close to the typo `w`: the close words come from the names (the domain's
   * vocabulary), the definitions are scanned for them.
   */
  const bodyFuzzy = (w: string): WordHits => {
    const hits: WordHits = { fields: new Uint8Array(docs.length), score: new Float32Array(docs.length).fill(1), count: 0 };
    for (const c of names.closeWords(w)) {
      const h = bodies.prefix(c.word);
      for (let d = 0; d < docs.length; d++) {
        if (!h.fields[d]) continue;
        if (!hits.fields[d]) hits.count++;
        hits.fields[d] = 1;
        hits.score[d] = Math.min(hits.score[d], c.score);
      }
    }
    return hits;
  };

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
      const full = () => out.length >= limit;
      const firstScreen = Math.min(limit, FIRST_SCREEN);

      // 1. Exact: the query is a title, alias, translation or id ("IXP", "ICANN", "digital divide").
      const hits = (exact.get(fq) ?? []).slice().sort((a, b) => {
        // A title/alias hit beats an id hit; terms beat sources for acronyms.
        const ka = a.key === 'id' ? 1 : 0;
        const kb = b.key === 'id' ? 1 : 0;
        return ka - kb || KIND_RANK[a.doc.kind] - KIND_RANK[b.doc.kind];
      });
      for (const h of hits) push(h.doc, 0, [{ key: h.key, value: h.value, indices: exactRanges(h.value, fq) }]);
      const qWords = wordsOf(fq);
      if (!qWords.length || full()) return out;

      // 2. Word prefixes: every query word starts a word of the title or an alias ("inclusiv", "tunis 69");
      //    guidance entries first, then titles before aliases, then shorter titles. Then the same counting
      //    translations ("Tunez"). The word index gives, per query word, the docs and fields (no string work).
      const prefix = qWords.map((w) => names.prefix(w));
      const main: { d: number; inTitle: boolean }[] = [];
      const translated: number[] = [];
      for (let d = 0; d < docs.length; d++) {
        if (seen.has(docs[d]) || !prefix.every((p) => p.fields[d])) continue;
        // Every word in the title or an alias (not necessarily the same one)?
        if (prefix.every((p) => p.fields[d] & TITLE_OR_ALIAS)) main.push({ d, inTitle: prefix.every((p) => p.fields[d] & TITLE) });
        else if (prefix.every((p) => p.fields[d] & (TITLE_OR_ALIAS | TRANSLATION))) translated.push(d);
      }
      const byRank = (a: number, b: number) => KIND_RANK[docs[a].kind] - KIND_RANK[docs[b].kind];
      main.sort((a, b) => byRank(a.d, b.d) || Number(b.inTitle) - Number(a.inTitle) || docs[a.d].title.length - docs[b.d].title.length);
      for (const { d, inTitle } of main) {
        if (full()) break;
        const doc = docs[d];
        const j = inTitle ? -1 : folded[d].aliases.findIndex((a) => qWords.every((w) => a.includes(w)));
        const value = j >= 0 ? doc.aliases[j] : doc.title;
        push(doc, 0.01, [{ key: inTitle ? 'title' : 'aliases', value, indices: prefixRanges(value, qWords) }]);
      }
      translated.sort((a, b) => byRank(a, b) || docs[a].title.length - docs[b].title.length);
      for (const d of translated) {
        if (full()) break;
        const doc = docs[d];
        const j = folded[d].translations.findIndex((t) => allStart(wordsOf(t), qWords));
        const value = j >= 0 ? doc.translations[j] : doc.title;
        push(doc, 0.02, [{ key: j >= 0 ? 'translations' : 'title', value, indices: prefixRanges(value, qWords) }]);
      }
      // Fuzzy stages: not for 1–2 char queries (noise), nor once the first screen is filled.
      if (fq.length < 3 || out.length >= firstScreen) return out;

      // 3. Fuzzy names, by fuse score: typos ("multistakholder"), infixes ("lateral" → "Multilateral"), other
      //    inflections ("domain names" → "Domain Name System"), partial matches ("tunis 69" → "Tunis Agenda
      //    paragraph 72"). fuse.js scores only the candidates (see `candidates`): a known word counts where a
      //    word starts with or contains it, a typo where a word is close to it (fuse.js over its bucket).
      //    A correctly spelt one-word query reaches fuse.js only if a name word contains it mid-word.
      const typo = (w: string) => w.length >= 3 && !names.hasPrefix(w);
      const nameHits = qWords.map((w, i) => (typo(w) ? names.fuzzy(w) : w.length >= 4 ? names.infix(w) : prefix[i]));
      let nameIds = candidates(docs, q, qWords, nameHits, seen, nameBudget);
      for (let pass = 0; pass < 2; pass++) {
        if (nameIds.length) {
          const fuse = fuseOver(nameRecords, BASE_OPTIONS, nameIds);
          for (const r of fuse.search(q, { limit: limit * 2 })) push(r.item, r.score ?? 1, toMatches(r));
        }
        // Nothing at all yet, and a typo: try the letter pairs.
        if (out.length || !qWords.some(typo)) break;
        nameIds = pairCandidates(docs, nameText, q, qWords, seen, nameBudget);
      }
      if (out.length >= firstScreen || full()) return out;

      // 4. Definitions/summaries, ranked last: every query word starts a word of the text (guidance first,
      //    earliest mention first); then, for a typo, fuse.js over candidates.
      const inBody = qWords.map((w) => bodies.prefix(w));
      const bodyHits: { d: number; at: number }[] = [];
      for (let d = 0; d < docs.length; d++) {
        if (seen.has(docs[d]) || !inBody.every((p) => p.fields[d])) continue;
        bodyHits.push({ d, at: folded[d].body.indexOf(qWords[0]) });
      }
      bodyHits.sort((a, b) => byRank(a.d, b.d) || a.at - b.at);
      for (const { d } of bodyHits) {
        const body = docs[d].body;
        push(docs[d], 0.5, [{ key: 'body', value: body, indices: prefixRanges(body, qWords) }]);
      }
      // A typo here: a word that starts no word of any name nor of any definition.
      const bodyTypo = (w: string, i: number) => typo(w) && inBody[i].count === 0;
      if (out.length < firstScreen && !full() && qWords.some(bodyTypo)) {
        const bodyWordHits = qWords.map((w, i) => (bodyTypo(w, i) ? bodyFuzzy(w) : inBody[i]));
        const ids = candidates(docs, q, qWords, bodyWordHits, seen, bodyBudget);
        if (ids.length) {
          const fuse = fuseOver(bodyRecords, BODY_OPTIONS, ids);
          for (const r of fuse.search(q, { limit })) push(r.item, Math.min(1, 0.5 + (r.score ?? 1)), toMatches(r));
        }
      }
      return out;
    },
  };
}
