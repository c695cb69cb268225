/**
 * Bounded fuzzy discovery (fuse.js role 2): find misspelt or unlisted variants of glossary forms in a
 * page's DISTINCT vocabulary ("multistakholder" → the multistakeholder term), to feed `matcher.addForms`.
 *
 * Cost control: the vocabulary is capped (default 2,000 candidates, min length 8), candidates already
 * equal to a form are dropped, and each candidate is only compared (with fuse.js, strict threshold)
 * against the forms of its bucket (same first two letters, length within ±2). A fuse hit is then
 * verified word by word (`isTypoOf`): one word differs by ≤ 1 edit (≤ 2 for words of 12+ chars), and
 * not by an inflection ("governments" vs "government", "enhance" vs "enhanced"); possessives are dropped.
 * Case-sensitive forms (acronyms) are never fuzzy targets. A discovered form keeps its term, so a guarded
 * term's variant stays guarded.
 * The work runs in batches through a generator so the page layer can slice it into idle time.
 */
// The basic build (no extended/logical search): smaller is faster to load. The content script leaves this
// module out (lib/page `discoverLocal`): discovery runs in the background.
import Fuse from 'fuse.js/basic';
import type { CompiledForm, CompiledIndex } from '../dataset/types';
import { foldKey } from './normalize';

export interface DiscoverOptions {
  /** Cap on distinct candidates examined (default 2000). */
  maxCandidates?: number;
  /** Minimum candidate length in chars (default 8). */
  minLength?: number;
  /** fuse.js threshold (default 0.2). */
  threshold?: number;
  /** Candidates per generator step (default 50). */
  batchSize?: number;
  /** For discoverVariants(): stop after this many ms (default: no limit). */
  budgetMs?: number;
}

/** A discovered variant: a CompiledForm plus what it was matched to. */
export interface DiscoveredForm extends CompiledForm {
  /** The glossary form it is a variant of. */
  variantOf: string;
  /** Edit distance to that form. */
  distance: number;
}

interface FormRec {
  key: string;
  text: string;
  term: number;
}

/** Optimal-string-alignment (Damerau-Levenshtein) distance with an early cut-off. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/**
 * Word-level typo check: same word count, exactly one word differs, by ≤ 1 edit (≤ 2 for words of 12+
 * chars), and the difference is not an inflection (one word is the other plus trailing chars:
 * "governments"/"government", "enhance"/"enhanced").
 */
export function isTypoOf(candidate: string, target: string): boolean {
  const a = candidate.split(' ');
  const b = target.split(' ');
  if (a.length !== b.length) return false;
  let diff = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (diff >= 0) return false;
    diff = i;
  }
  if (diff < 0) return false;
  const x = a[diff];
  const y = b[diff];
  if (x.startsWith(y) || y.startsWith(x)) return false;
  const max = Math.max(x.length, y.length) >= 12 ? 2 : 1;
  const d = editDistance(x, y, max);
  if (d > max) return false;
  // Two edits in the last 3 chars is a derivation ("transparent"/"transparency"), not a typo.
  let p = 0;
  while (p < x.length && p < y.length && x[p] === y[p]) p++;
  return !(d === 2 && p >= Math.min(x.length, y.length) - 3);
}

/** Plain words: ASCII letters, single spaces between (most of a page's words and bigrams). */
const PLAIN = /^[A-Za-z]+(?: [A-Za-z]+)*$/;

/**
 * A candidate's key: folded (`foldKey`), possessive "'s" dropped. For plain words that is toLowerCase
 * (tested against foldKey): folding char by char was a third of discovery's time, the largest part of the
 * extension's CPU on a 10k-word page.
 */
export function candidateKey(surface: string): string {
  if (PLAIN.test(surface)) return surface.toLowerCase();
  return foldKey(surface).replace(/'s\b/g, '');
}

const BAG = new Int32Array(128);

/**
 * Bag distance (chars folded into 128 buckets): a lower bound of the edit distance, computed in one pass,
 * so candidates that cannot be a typo of any nearby form skip fuse.js entirely.
 */
function bagDistance(a: string, b: string): number {
  for (let i = 0; i < a.length; i++) BAG[a.charCodeAt(i) & 127]++;
  for (let i = 0; i < b.length; i++) BAG[b.charCodeAt(i) & 127]--;
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < a.length; i++) {
    const k = a.charCodeAt(i) & 127;
    if (BAG[k] > 0) pos += BAG[k];
    BAG[k] = 0;
  }
  for (let i = 0; i < b.length; i++) {
    const k = b.charCodeAt(i) & 127;
    if (BAG[k] < 0) neg -= BAG[k];
    BAG[k] = 0;
  }
  return Math.max(pos, neg);
}

function bucketKey(s: string): string {
  return s.slice(0, 2);
}

/**
 * Incremental discovery: each `next()` examines up to `batchSize` candidates and yields the variants found
 * in that batch (possibly empty). Drive it from idle slices and feed results to `matcher.addForms`.
 */
export function* discoverVariantsIncremental(
  vocabulary: Iterable<string>,
  index: CompiledIndex,
  opts: DiscoverOptions = {},
): Generator<DiscoveredForm[], void, void> {
  const maxCandidates = opts.maxCandidates ?? 2000;
  const minLength = opts.minLength ?? 8;
  const threshold = opts.threshold ?? 0.2;
  const batchSize = opts.batchSize ?? 50;

  // Only case-insensitive forms of sufficient length are fuzzy targets (acronyms never are).
  const known = new Set<string>();
  const buckets = new Map<string, FormRec[]>();
  for (const f of index.forms) {
    const key = foldKey(f.text);
    known.add(key);
    known.add(key.replace(/ /g, ''));
    if (f.cs || key.length < minLength - 2) continue;
    const b = bucketKey(key);
    const list = buckets.get(b) ?? [];
    if (!list.some((r) => r.key === key)) list.push({ key, text: f.text, term: f.term });
    buckets.set(b, list);
  }
  // One small Fuse per (first two letters, candidate length): only forms within ±2 chars, so a search
  // compares a handful of forms, not the whole "in…" bucket (every "Internet …" form).
  const nears = new Map<string, { near: FormRec[]; fuse: Fuse<FormRec> | null } | null>();
  const nearFor = (b: string, len: number) => {
    const k = `${b}:${len}`;
    let f = nears.get(k);
    if (f === undefined) {
      const near = (buckets.get(b) ?? []).filter((r) => Math.abs(r.key.length - len) <= 2);
      f = near.length === 0 ? null : { near, fuse: null };
      nears.set(k, f);
    }
    return f;
  };
  const fuseOptions = { keys: ['key'], includeScore: true, ignoreLocation: true, threshold, isCaseSensitive: true };

  const seen = new Set<string>();
  let examined = 0;
  let batch: DiscoveredForm[] = [];
  let inBatch = 0;
  for (const raw of vocabulary) {
    if (examined >= maxCandidates) break;
    const surface = raw.trim();
    if (surface.length < minLength) continue;
    // Possessives are not variants ("government's"); other apostrophes/digits are not words to fix.
    const key = candidateKey(surface);
    if (key.length < minLength || seen.has(key) || known.has(key) || /[\d']/.test(key)) continue;
    seen.add(key);
    examined++;
    const near = nearFor(bucketKey(key), key.length);
    // A typo is ≤ 2 edits (isTypoOf), so a bag distance > 2 to every nearby form rules it out.
    if (near && near.near.some((r) => bagDistance(key, r.key) <= 2)) {
      // fuse.js over the few nearby forms only (one small index per first-two-letters × length).
      near.fuse ??= new Fuse(near.near, fuseOptions);
      const hits = near.fuse.search(key, { limit: 3 });
      for (const h of hits) {
        const target = h.item.key;
        if (!isTypoOf(key, target)) continue;
        const d = editDistance(key, target, 3);
        batch.push({ text: surface, term: h.item.term, cs: false, variantOf: h.item.text, distance: d });
        break;
      }
    }
    if (++inBatch >= batchSize) {
      yield batch;
      batch = [];
      inBatch = 0;
    }
  }
  if (batch.length || inBatch) yield batch;
}

/**
 * Discovery over whole texts at once (the background's side of `glens:discover`): variants of `index`'s
 * forms among the words of `texts`, leaving out the spans in `occupied` (per text: start, end, start,
 * end…). Stops after `budgetMs`.
 */
export function discoverInTexts(
  texts: readonly string[],
  occupied: readonly (readonly number[])[],
  index: CompiledIndex,
  budgetMs = 300,
): DiscoveredForm[] {
  const sources = texts.map((text, i) => {
    const flat = occupied[i] ?? [];
    const occ: { start: number; end: number }[] = [];
    for (let k = 0; k + 1 < flat.length; k += 2) occ.push({ start: flat[k], end: flat[k + 1] });
    return { text, occ };
  });
  const job = new VocabularyDiscovery(sources, index, (s) => s.occ, (forms) => forms.length);
  job.step(performance.now() + budgetMs);
  return job.found;
}

/**
 * Run discovery to completion (or until `opts.budgetMs` is spent) and return the variants found.
 * @param vocabulary the page's distinct words and bigrams (not already matched), e.g. ≤ 2,000 items.
 */
export function discoverVariants(
  vocabulary: Iterable<string>,
  index: CompiledIndex,
  opts: DiscoverOptions = {},
): DiscoveredForm[] {
  const t0 = Date.now();
  const out: DiscoveredForm[] = [];
  for (const batch of discoverVariantsIncremental(vocabulary, index, opts)) {
    out.push(...batch);
    if (opts.budgetMs !== undefined && Date.now() - t0 >= opts.budgetMs) break;
  }
  return out;
}

/** Options of `VocabularyDiscovery`. */
export interface DiscoveryOptions {
  /** Distinct candidates examined (default 2,000). */
  maxCandidates?: number;
  /** Minimum word length (default 8; bigrams need the same combined length). */
  minLength?: number;
}

/** Word runs: letters, marks and digits (hyphens and apostrophes end a word; bigrams rejoin hyphens). */
const WORD_RE = /[\p{L}\p{M}\p{N}]+/gu;
const CANDIDATES_PER_BATCH = 25;
/** Text read per collect step (a 5 MB text node must not be one step). */
const COLLECT_CHARS = 8_000;

/**
 * Discovery over a page's text (the page layer's segments, or the texts a content script sent to the
 * background). Phase 1 collects the DISTINCT vocabulary — words of ≥ `minLength` chars and word bigrams
 * (one space or hyphen between) that are not inside an occurrence already found — up to `maxCandidates`.
 * Phase 2 runs `discoverVariantsIncremental` over it in small batches and feeds every variant to
 * `addForms`; those it accepts (> 0) are kept in `found`. Every step checks the clock, so a caller can
 * slice the work into idle time and bound the total.
 */
export class VocabularyDiscovery<S extends { text: string }> {
  private si = 0;
  /** Position inside sources[si] (a long segment is read over several steps). */
  private pos = 0;
  private vocab = new Map<string, string>();
  private gen: Generator<DiscoveredForm[], void, void> | null = null;
  private readonly maxCandidates: number;
  private readonly minLength: number;
  /** Variants fed to the matcher (surface text). */
  readonly found: DiscoveredForm[] = [];

  constructor(
    private readonly sources: readonly S[],
    private readonly index: CompiledIndex,
    /** Occurrences already found in a segment ([start, end) pairs), to leave matched words out. */
    private readonly matched: (seg: S) => readonly { start: number; end: number }[] | undefined,
    private readonly addForms: (forms: CompiledForm[]) => number,
    opts: DiscoveryOptions = {},
  ) {
    this.maxCandidates = opts.maxCandidates ?? 2000;
    this.minLength = opts.minLength ?? 8;
  }

  /** Do work until `until` (performance.now() deadline); false when finished. */
  step(until: number): boolean {
    while (performance.now() < until) {
      if (!this.gen) {
        if (this.si < this.sources.length && this.vocab.size < this.maxCandidates) {
          this.collect(this.sources[this.si]);
          continue;
        }
        this.gen = discoverVariantsIncremental(this.vocab.values(), this.index, {
          maxCandidates: this.maxCandidates,
          minLength: this.minLength,
          batchSize: CANDIDATES_PER_BATCH,
        });
      }
      const r = this.gen.next();
      if (r.done) return false;
      if (r.value.length && this.addForms(r.value) > 0) this.found.push(...r.value);
    }
    return true;
  }

  /** Read words from `seg` starting at `this.pos`, at most COLLECT_CHARS of text per call (one step). */
  private collect(seg: S): void {
    const text = seg.text;
    const occ = this.matched(seg);
    const min = this.minLength;
    const inOcc = (s: number, e: number) => {
      if (!occ) return false;
      for (const o of occ) if (o.start < e && s < o.end) return true;
      return false;
    };
    const re = WORD_RE; // global: resumable through lastIndex (one compiled Unicode regex, not one per step)
    re.lastIndex = this.pos;
    const stopAt = this.pos + COLLECT_CHARS;
    let prevStart = -1;
    let prevEnd = -1;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const s = m.index;
      const e = s + m[0].length;
      if (s >= stopAt) {
        this.pos = s; // resume at this word next step
        return;
      }
      if (inOcc(s, e)) {
        prevStart = -1;
        continue;
      }
      if (e - s >= min) this.add(m[0]);
      // Bigram with the previous word when they are separated by one space or hyphen.
      if (prevStart >= 0 && s - prevEnd === 1 && e - prevStart >= min && /[\s\-\u2010\u2011]/.test(text[prevEnd])) {
        this.add(text.slice(prevStart, e));
      }
      prevStart = s;
      prevEnd = e;
      if (this.vocab.size >= this.maxCandidates) break;
    }
    this.pos = 0;
    this.si++;
  }

  private add(surface: string): void {
    const key = surface.toLowerCase();
    if (!this.vocab.has(key) && !/\d/.test(key)) this.vocab.set(key, surface);
  }
}
