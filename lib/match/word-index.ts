/**
 * Word-level look-ups behind the popup lookup (lib/match/search.ts), so that fuse.js only ever compares
 * the query with a few candidates.
 *
 * `WordIndex` holds the distinct folded words of the short fields (titles, aliases, translations, ids) of a
 * fixed list of docs, each with the docs it occurs in and in which fields (a bit mask per doc):
 * - `prefix(w)`: per doc, the fields having a word that starts with `w` — a binary search in the sorted
 *   words, then their postings; no scan of the docs;
 * - `infix(w)`: the same for words containing `w` ("lateral" in "multilateral"): one scan of the words;
 * - `closeWords(w)` / `fuzzy(w)`: the words fuse.js finds close to `w` (typos; `w` may be a partial word as
 *   typed so far), and their docs. fuse.js only compares `w` with one small bucket of words: same first
 *   letter, length ≥ |w| − 2 (a typo of ≤ 1/3 of the chars cannot be much shorter; it can be longer, as
 *   `w` may be unfinished); only when that finds nothing good, a second bucket for a typo in the first two
 *   letters ("ogvernance", "lassembly"). A bucket's Fuse is built on first use and kept. `fuzzy` also
 *   splits a missing or mistyped space ("capacitybuilding" → docs with "capacity" and "building…").
 * `TextScan` answers `prefix(w)` for long texts (definitions) by scanning them: indexing their thousands
 * of words would cost more at build time than all the scans a popup session does.
 *
 * Answers are cached per word: typing re-queries the finished words of the query at every keystroke.
 */
import Fuse from 'fuse.js';
import { CharClass, charClass, foldKey } from './normalize';

/**
 * Whether a folded code unit belongs to a word: letters and digits (the matcher's char classes) and "+"
 * ("WSIS+10"). Table look-ups, not a `\p{L}` regex: compiling one costs ~3 ms, once per popup.
 */
export function isWordCode(c: number): boolean {
  return c === 0x2b || charClass(c) === CharClass.Word;
}

/** What separates words in folded (lower-case) ASCII text: the same split as `isWordCode`, natively. */
const ASCII_SEPARATOR = /[^a-z0-9+]+/;
const NON_ASCII = /[^\x00-\x7f]/;

/** The words of a folded string (see `foldKey`). */
export function wordsOf(folded: string): string[] {
  if (!NON_ASCII.test(folded)) return folded.split(ASCII_SEPARATOR).filter(Boolean);
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= folded.length; i++) {
    const inWord = i < folded.length && isWordCode(folded.charCodeAt(i));
    if (inWord && start < 0) start = i;
    else if (!inWord && start >= 0) {
      out.push(folded.slice(start, i));
      start = -1;
    }
  }
  return out;
}

/**
 * Fold `text` for word look-ups: the same words as `wordsOf(foldKey(text))`, but plain ASCII text (most
 * definitions) is only lower-cased — foldKey's char-by-char pass costs more, and for ASCII it only changes
 * separators, which words do not contain anyway.
 */
export function foldForWords(text: string): string {
  return NON_ASCII.test(text) ? foldKey(text) : text.toLowerCase();
}

/** Docs matching one query word: `fields[d]` = field bits (0 = no match), `score[d]` = 0 (prefix) … 1. */
export interface WordHits {
  fields: Uint8Array;
  score: Float32Array;
  /** Number of docs with fields[d] ≠ 0. */
  count: number;
}

/** A word fuse.js found close to a query word, with its fuse score. */
export interface CloseWord {
  word: string;
  score: number;
}

/** Score of a doc found by a word containing the query word (not starting with it). */
export const INFIX_SCORE = 0.1;
/** Score of a doc found by splitting the query word in two ("capacitybuilding"): about one edit. */
const SPLIT_SCORE = 0.1;
/** Below this fuse score a close word in the first-letter bucket is good enough not to look further. */
const GOOD_WORD_SCORE = 0.25;
/** fuse.js threshold for words (as the lookup's name search: ≤ ~1/3 of the chars may differ). */
const WORD_THRESHOLD = 0.34;
/** Close words kept per fuzzy look-up (best first). */
const MAX_CLOSE_WORDS = 12;
/** Cached answers per kind before the cache is emptied (bounds memory in a long-lived popup). */
const CACHE_SIZE = 256;

/** A per-word cache emptied when full (the popup asks for a few dozen words a session). */
function cached<T>(cache: Map<string, T>, w: string, make: () => T): T {
  let v = cache.get(w);
  if (v === undefined) {
    if (cache.size >= CACHE_SIZE) cache.clear();
    v = make();
    cache.set(w, v);
  }
  return v;
}

function emptyHits(nDocs: number): WordHits {
  return { fields: new Uint8Array(nDocs), score: new Float32Array(nDocs).fill(1), count: 0 };
}

function copyHits(h: WordHits): WordHits {
  return { fields: h.fields.slice(), score: h.score.slice(), count: h.count };
}

interface Bucket {
  words: string[];
  fuse: Fuse<string> | null;
}

/** Word index over `nDocs` docs; fill with `add` (docs in increasing order), then `freeze` before querying. */
export class WordIndex {
  private readonly nDocs: number;
  /** word → [doc, fields, doc, fields, …] in doc order (flat: far cheaper to build than a Map per word). */
  private readonly postings = new Map<string, number[]>();
  private sorted: string[] = [];
  private readonly buckets = new Map<string, Bucket>();
  private readonly prefixCache = new Map<string, WordHits>();
  private readonly infixCache = new Map<string, WordHits>();
  private readonly closeCache = new Map<string, CloseWord[]>();
  private readonly fuzzyCache = new Map<string, WordHits>();

  constructor(nDocs: number) {
    this.nDocs = nDocs;
  }

  /** Index the words of `folded` (already folded) as occurring in field bit `field` of doc `doc`. */
  add(doc: number, field: number, folded: string): void {
    for (const w of wordsOf(folded)) {
      const p = this.postings.get(w);
      if (!p) this.postings.set(w, [doc, field]);
      else if (p[p.length - 2] === doc) p[p.length - 1] |= field;
      else p.push(doc, field);
    }
  }

  /** Sort the words (call once, after the last `add`). */
  freeze(): void {
    this.sorted = [...this.postings.keys()].sort();
  }

  /** Index of the first word ≥ w in the sorted words. */
  private lowerBound(w: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid] < w) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether some indexed word starts with `w`. */
  hasPrefix(w: string): boolean {
    const i = this.lowerBound(w);
    return i < this.sorted.length && this.sorted[i].startsWith(w);
  }

  private addPostings(hits: WordHits, word: string, score: number): void {
    const p = this.postings.get(word)!;
    for (let k = 0; k < p.length; k += 2) {
      const d = p[k];
      if (hits.fields[d] === 0) hits.count++;
      hits.fields[d] |= p[k + 1];
      if (score < hits.score[d]) hits.score[d] = score;
    }
  }

  /** Docs with a word starting with `w` (score 0), with the fields it occurs in. */
  prefix(w: string): WordHits {
    return cached(this.prefixCache, w, () => {
      const hits = emptyHits(this.nDocs);
      for (let i = this.lowerBound(w); i < this.sorted.length && this.sorted[i].startsWith(w); i++) this.addPostings(hits, this.sorted[i], 0);
      return hits;
    });
  }

  /** Docs with a word containing `w`: INFIX_SCORE, or 0 where a word starts with `w`. */
  infix(w: string): WordHits {
    return cached(this.infixCache, w, () => {
      const hits = copyHits(this.prefix(w));
      for (const x of this.sorted) if (x.length > w.length && !x.startsWith(w) && x.includes(w)) this.addPostings(hits, x, INFIX_SCORE);
      return hits;
    });
  }

  /**
   * The indexed words fuse.js finds close to `w` (at most 12, best first): from the words with `w`'s first
   * letter, or, if none is close enough, also from those that would match after a typo in the first two
   * letters.
   */
  closeWords(w: string): CloseWord[] {
    return cached(this.closeCache, w, () => {
      const minLen = Math.max(1, w.length - 2);
      const first = w[0];
      let out = this.searchBucket(`${first}:${minLen}`, w, () => this.wordsFrom(first).filter((x) => x.length >= minLen));
      if (w.length >= 3 && (out.length ? out[0].score : 1) > GOOD_WORD_SCORE) {
        // Substituted, dropped, inserted or swapped first letter: x[1] = w[1], x[1] = w[0] or x[0] = w[1].
        const second = w[1];
        const more = this.searchBucket(`${first}${second}~${minLen}`, w, () =>
          this.sorted.filter((x) => x[0] !== first && x.length >= minLen && (x[1] === second || x[1] === first || x[0] === second)),
        );
        out = [...out, ...more].sort((a, b) => a.score - b.score).slice(0, MAX_CLOSE_WORDS);
      }
      return out;
    });
  }

  /** fuse.js over one bucket of words (made by `words()` and its Fuse built on first use). */
  private searchBucket(key: string, w: string, words: () => string[]): CloseWord[] {
    let b = this.buckets.get(key);
    if (!b) {
      b = { words: words(), fuse: null };
      this.buckets.set(key, b);
    }
    if (!b.words.length) return [];
    b.fuse ??= new Fuse(b.words, {
      includeScore: true,
      ignoreLocation: true,
      isCaseSensitive: true, // words are folded already
      threshold: WORD_THRESHOLD,
    });
    // Equal scores are common for short words ("rex": "res", "reg", "rep"… 1 error each): prefer the
    // closest length among the best few dozen.
    return b.fuse
      .search(w, { limit: 4 * MAX_CLOSE_WORDS })
      .map((r) => ({ word: r.item, score: r.score ?? WORD_THRESHOLD }))
      .sort((x, y) => x.score - y.score || Math.abs(x.word.length - w.length) - Math.abs(y.word.length - w.length))
      .slice(0, MAX_CLOSE_WORDS);
  }

  /** The indexed words starting with `letter` (contiguous in the sorted list). */
  private wordsFrom(letter: string): string[] {
    return this.sorted.slice(this.lowerBound(letter), this.lowerBound(String.fromCharCode(letter.charCodeAt(0) + 1)));
  }

  /**
   * Docs with a word close to `w` (score = that word's fuse score), or, for 4+ chars, containing it (as
   * `infix`; shorter: starting with it).
   */
  fuzzy(w: string): WordHits {
    return cached(this.fuzzyCache, w, () => {
      const hits = copyHits(w.length >= 4 ? this.infix(w) : this.prefix(w));
      for (const c of this.closeWords(w)) this.addPostings(hits, c.word, c.score);
      // A missing or mistyped space ("capacitybuilding", "openxstandards"): a whole word, then (after one
      // char, perhaps) the start of another, both in the doc.
      for (let k = 1; k <= w.length - 2; k++) {
        const head = w.slice(0, k);
        if (!this.postings.has(head)) continue;
        for (const tail of [w.slice(k), w.slice(k + 1)]) {
          if (tail.length < 2 || !this.hasPrefix(tail)) continue;
          const a = this.prefix(head);
          const b = this.prefix(tail);
          for (let d = 0; d < this.nDocs; d++) {
            if (!a.fields[d] || !b.fields[d]) continue;
            if (hits.fields[d] === 0) hits.count++;
            hits.fields[d] |= a.fields[d] | b.fields[d];
            hits.score[d] = Math.min(hits.score[d], SPLIT_SCORE);
          }
        }
      }
      return hits;
    });
  }
}

/** `prefix(w)` over long folded texts (one per doc) by scanning them; see the file comment. */
export class TextScan {
  private readonly texts: string[];
  private readonly cache = new Map<string, WordHits>();

  /** @param texts one folded text per doc (`foldForWords`). */
  constructor(texts: string[]) {
    this.texts = texts;
  }

  /** Docs whose text has a word starting with `w` (fields 1, score 0). */
  prefix(w: string): WordHits {
    return cached(this.cache, w, () => {
      const hits = emptyHits(this.texts.length);
      this.texts.forEach((t, d) => {
        for (let i = t.indexOf(w); i >= 0; i = t.indexOf(w, i + 1)) {
          if (i > 0 && isWordCode(t.charCodeAt(i - 1))) continue;
          hits.fields[d] = 1;
          hits.score[d] = 0;
          hits.count++;
          break;
        }
      });
      return hits;
    });
  }
}
