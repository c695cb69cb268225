/**
 * The exact matcher: one pass over a text chunk with a pre-built token trie (see trie.ts).
 *
 * Variants handled at build time (expanded into literal token paths, never regex):
 *  - hyphen / space / joined: a form whose word parts are separated by a hyphen or a space also gets the
 *    joined key ("multi-stakeholder" → "multistakeholder"); in the text, hyphen, space, NBSP, soft hyphen
 *    and zero-width chars between tokens are equivalent;
 *  - plurals: last token + "s"/"es"/"ies" for words, + "s" for acronyms ("IXPs"), unless that key is a
 *    real form of another term.
 * Variants handled at scan time:
 *  - a text word pair joined by exactly one hyphen also matches the joined key ("co-operation" →
 *    "cooperation");
 *  - possessives: "ICANN's", "the Tunis Agenda's" match, and the reported span EXCLUDES "'s"/"’s" (the
 *    apostrophe ends a token), so surfaces read "ICANN", "Tunis Agenda".
 * Case-sensitive forms (acronyms, "Internet Society") are verified against the case-kept text.
 * URL/identifier adjacency ("intgovforum.org/igf", "ICANN.org", "x_IGF", "a=IGF", "me@IGF") is rejected.
 */
import type { CompiledForm, CompiledIndex } from '../dataset/types';
import { CharClass, charClass } from './normalize';
import { DEFAULT_WINDOW, Guards, foreignExpansion, type ChunkSignals, type PrebuiltGuards } from './guards';
import { foldKey } from './normalize';
import { TokenTrie, csKeyOf, tokenize, tokenizeForm, verifyCs, type EntryKind, type PrebuiltTrie, type TrieEntry } from './trie';
import type { MatchContext, MatchSpan, PageSignals } from './types';

/** The matcher built from a CompiledIndex. */
export interface Matcher {
  /**
   * Find terms in `text` (a chunk of page text; '\n' separates blocks and is never crossed).
   * Leftmost-longest, non-overlapping, sorted by start. `ctx` feeds the context guards.
   */
  find(text: string, ctx?: MatchContext): MatchSpan[];
  /** Add forms (e.g. from `discoverVariants`); returns how many trie entries were added. */
  addForms(forms: Iterable<CompiledForm>): number;
  /**
   * Page-level guard signals for a ctx (title/URL scanned now; `pageText` scanned lazily, block by block,
   * only while a guarded term is undecided). find() calls this itself; call it to get a reusable object.
   */
  pageSignals(ctx: MatchContext): PageSignals;
  /** Feed page text into signals chunk by chunk (alternative to `pageText`, for sliced collection). */
  addPageText(signals: PageSignals, text: string): void;
  /** Like addPageText, but the text is only scanned when a guarded term's page-level decision needs it. */
  appendPageText(signals: PageSignals, text: string): void;
  /**
   * The page-level decision for a guarded term on the page text fed into `ctx` so far: after more text,
   * a term dropped by `ctx.onPageRejected` may be allowed (the decision only turns from no to yes).
   */
  pageAllows(term: number, ctx: MatchContext): boolean;
  /** True when the term is subject to a context guard. */
  isGuarded(term: number): boolean;
  readonly index: CompiledIndex;
}

const CONSONANT_Y = /[^aeiou]y$/;

/** Is the (case-kept) token acronym-like: ≥ 2 upper-case letters ("IXP", "ccTLD", "ITU-T" part)? */
function acronymLike(cased: string): boolean {
  const upper = cased.replace(/[^A-Z]/g, '').length;
  return upper >= 2 || (upper === 1 && cased.length <= 2);
}

interface Variant {
  keys: string[];
  csKey: string;
  kind: EntryKind;
}

/** Expand one form into literal token paths (join and plural variants). */
export function expandForm(form: CompiledForm, baseKind: EntryKind = 'form'): Variant[] {
  const tok = tokenizeForm(form.text);
  const n = tok.folded.length;
  if (n === 0) return [];
  const csKey = csKeyOf(form.text);
  const out: Variant[] = [{ keys: tok.folded, csKey, kind: baseKind }];
  // Join points between two word tokens: every subset of the hyphen gaps (≤ 3: "multi-stakeholder" →
  // "multistakeholder", "co-operation" → "cooperation"), plus everything joined for short forms whose
  // parts are separated by spaces ("multi stakeholder" → "multistakeholder").
  const hyphenJoins: number[] = [];
  const allJoins: number[] = [];
  for (let j = 1; j < n; j++) {
    if (tok.gaps[j] !== 'sep' || !tok.word[j] || !tok.word[j - 1]) continue;
    allJoins.push(j);
    if (tok.hyphen[j]) hyphenJoins.push(j);
  }
  const subsets: number[][] = [];
  if (hyphenJoins.length > 0 && hyphenJoins.length <= 3) {
    for (let m = 1; m < 1 << hyphenJoins.length; m++) subsets.push(hyphenJoins.filter((_, b) => m & (1 << b)));
  }
  if (allJoins.length > 0 && allJoins.length <= 2 && allJoins.length !== hyphenJoins.length) subsets.push(allJoins);
  // Plurals on the last token.
  const lastFolded = tok.folded[n - 1];
  if (tok.word[n - 1] && !/\d$/.test(lastFolded) && lastFolded.length >= 2) {
    // Case-kept last token: the tail of csKey with the same length.
    const lastCased = csKey.slice(csKey.length - lastFolded.length);
    let suffix: string | null = null;
    let drop = 0;
    if (form.cs && acronymLike(lastCased)) suffix = /s$/i.test(lastCased) ? null : 's';
    else if (/(ss|x|z|ch|sh)$/.test(lastFolded)) suffix = 'es';
    else if (/s$/.test(lastFolded)) suffix = null;
    else if (CONSONANT_Y.test(lastFolded)) {
      suffix = 'ies';
      drop = 1;
    } else suffix = 's';
    if (suffix) {
      for (const v of out.slice()) {
        const keys = v.keys.slice();
        const last = keys[keys.length - 1];
        keys[keys.length - 1] = last.slice(0, last.length - drop) + suffix;
        out.push({ keys, csKey: v.csKey.slice(0, v.csKey.length - drop) + suffix, kind: baseKind === 'form' ? 'plural' : baseKind });
      }
    }
  }
  return out;
}

function isWordCode(c: number): boolean {
  return charClass(c) === CharClass.Word;
}

const RUN_LIMIT = 96;
const DOMAIN_RE = /[\p{L}\p{N}-]\.(?:[a-z]{2,6})(?:[/:?#]|$)/iu;

/**
 * True when [start, end) sits inside a URL, e-mail, path or identifier: adjacent to '@', '_', '=', '\\',
 * to '.' joining word chars ("www.ICANN", "ICANN.org"), or inside a whitespace-delimited run that looks
 * like a URL/path ("://", "www.", "@", a domain followed by a path, a leading "/").
 */
export function inIdentifier(text: string, start: number, end: number): boolean {
  const n = text.length;
  const p = start > 0 ? text.charCodeAt(start - 1) : 32;
  const q = end < n ? text.charCodeAt(end) : 32;
  // '@' 64, '_' 95, '=' 61, '\\' 92
  if (p === 64 || p === 95 || p === 61 || p === 92 || q === 64 || q === 95 || q === 61) return true;
  if (p === 46 && start >= 2 && isWordCode(text.charCodeAt(start - 2))) return true;
  if (q === 46 && end + 1 < n && isWordCode(text.charCodeAt(end + 1)) && !/\d/.test(text[end + 1])) return true;
  if (p !== 47 && q !== 47 && p !== 58 && q !== 58 && p !== 46) return false;
  // Look at the whitespace-delimited run around the match.
  let a = start;
  while (a > 0 && start - a < RUN_LIMIT && !/\s/.test(text[a - 1])) a--;
  let b = end;
  while (b < n && b - end < RUN_LIMIT && !/\s/.test(text[b])) b++;
  const run = text.slice(a, b);
  if (run.includes('://') || /(^|\W)www\./i.test(run) || run.includes('@')) return true;
  if (run.includes('/') && (DOMAIN_RE.test(run) || /^[(["']?\//.test(run))) return true;
  return false;
}

/** Format version of PrebuiltMatcher (bump when the trie, entry or guard layout changes). */
export const PREBUILT_VERSION = 1;

/**
 * A matcher's build-time structures (token trie + guards), JSON-safe: `serializeMatcher()` at build time
 * (lib/dataset/vite-plugin.ts puts it in `CompiledIndex.prebuilt`), and `createMatcher(index)` loads it
 * instead of building. Tied to one index: `forms`/`terms` counts are checked at load.
 */
export interface PrebuiltMatcher {
  v: number;
  forms: number;
  terms: number;
  trie: PrebuiltTrie;
  guards: PrebuiltGuards;
}

/** True when `p` looks like a PrebuiltMatcher made for this index (version and counts). */
function usablePrebuilt(p: unknown, index: CompiledIndex): p is PrebuiltMatcher {
  if (!p || typeof p !== 'object') return false;
  const q = p as Partial<PrebuiltMatcher>;
  return q.v === PREBUILT_VERSION && q.forms === index.forms.length && q.terms === index.terms.length && !!q.trie && !!q.guards;
}

class TrieMatcher implements Matcher {
  private trie: TokenTrie;
  private guards: Guards;
  /** Folded keys of a term's forms (for the "(ACRONYM)" expansion check), built per term on first need. */
  private readonly formKeysCache = new Map<number, Set<string>>();

  constructor(
    readonly index: CompiledIndex,
    prebuilt?: PrebuiltMatcher,
  ) {
    if (prebuilt) {
      const forms = index.forms;
      this.trie = TokenTrie.load(prebuilt.trie, (r) => (typeof r === 'number' ? (forms[r]?.text ?? '') : r));
      this.guards = new Guards(index, DEFAULT_WINDOW, prebuilt.guards);
      return;
    }
    this.trie = new TokenTrie();
    this.guards = new Guards(index);
    // Pass 1: real forms; pass 2: generated variants (skipped where they would shadow another term's form).
    const generated: { v: Variant; f: CompiledForm }[] = [];
    for (const f of index.forms) {
      for (const v of expandForm(f)) {
        if (v.kind === 'form') this.trie.insert(v.keys, this.entry(f, v));
        else generated.push({ v, f });
      }
    }
    for (const { v, f } of generated) this.insertGenerated(f, v);
  }

  private formKeys(term: number): Set<string> {
    let keys = this.formKeysCache.get(term);
    if (!keys) {
      // Only this term's forms: folding all 700+ forms at the first "(IGF)" of a page was a few ms.
      keys = new Set<string>();
      for (const f of this.index.forms) if (f.term === term) keys.add(foldKey(f.text));
      this.formKeysCache.set(term, keys);
    }
    return keys;
  }

  /** JSON-safe snapshot of the built structures (entries refer to forms by index). */
  serialize(): PrebuiltMatcher {
    const formIndex = new Map<string, number>();
    this.index.forms.forEach((f, i) => {
      if (!formIndex.has(f.text)) formIndex.set(f.text, i);
    });
    return {
      v: PREBUILT_VERSION,
      forms: this.index.forms.length,
      terms: this.index.terms.length,
      trie: this.trie.serialize((e) => formIndex.get(e.form) ?? e.form),
      guards: this.guards.serialize(),
    };
  }

  private entry(f: CompiledForm, v: Variant): TrieEntry {
    // Multi-word names with lower case ("Internet Society") also match in ALL-CAPS headings.
    const capsOk = f.cs && /\p{Ll}/u.test(f.text) && /[\p{L}\p{N}][\s-]+[\p{L}\p{N}]/u.test(f.text);
    return { term: f.term, cs: f.cs, csKey: v.csKey, capsOk, form: f.text, kind: v.kind };
  }

  private insertGenerated(f: CompiledForm, v: Variant): boolean {
    if (this.trie.otherRealTerm(v.keys, f.term)) return false;
    const before = this.trie.size;
    this.trie.insert(v.keys, this.entry(f, v));
    return this.trie.size > before;
  }

  addForms(forms: Iterable<CompiledForm>): number {
    let added = 0;
    for (const f of forms) {
      if (!this.index.terms[f.term]) continue;
      for (const v of expandForm(f, 'discovered')) if (this.insertGenerated(f, v)) added++;
    }
    return added;
  }

  pageSignals(ctx: MatchContext): PageSignals {
    return this.guards.pageSignals(ctx);
  }

  isGuarded(term: number): boolean {
    return this.guards.isGuarded(term);
  }

  addPageText(signals: PageSignals, text: string): void {
    this.guards.addPageText(signals, text);
  }

  appendPageText(signals: PageSignals, text: string): void {
    this.guards.appendPageText(signals, text);
  }

  pageAllows(term: number, ctx: MatchContext): boolean {
    return this.guards.pageAllows(term, ctx);
  }

  find(text: string, ctx?: MatchContext): MatchSpan[] {
    const out: MatchSpan[] = [];
    if (!text) return out;
    const guards = this.guards;
    const count = tokenize(text);
    // Context signals of this chunk: one extra walk over the same tokens, only if a guarded term shows up.
    let chunk: ChunkSignals | null = null;
    const getChunk = () => (chunk ??= guards.chunkSignals(count));
    this.trie.walk(
      text,
      count,
      (t, s, e, entry) =>
        (!entry.cs || verifyCs(t, s, e, entry.csKey, entry.capsOk)) &&
        !inIdentifier(t, s, e) &&
        // Guarded (ambiguous) terms only: "Interactive Advertising Bureau (IAB)", then context guards.
        (!guards.isGuarded(entry.term) ||
          (!(t.charCodeAt(s - 1) === 40 && foreignExpansion(t, s, e, this.formKeys(entry.term))) &&
            guards.check(entry.term, t, s, e, ctx, getChunk))),
      (start, end, entry) => out.push({ start, end, term: entry.term }),
      false,
    );
    return out;
  }
}

/**
 * Build a matcher (one-time cost: trie construction; per-call cost: one pass over the text). When
 * `index.prebuilt` holds a usable `serializeMatcher()` snapshot (the content script's build-time index),
 * it is loaded instead (no tokenising/folding of forms at run time); otherwise the trie is built.
 */
export function createMatcher(index: CompiledIndex): Matcher {
  if (usablePrebuilt(index.prebuilt, index)) {
    try {
      return new TrieMatcher(index, index.prebuilt);
    } catch {
      // A malformed snapshot: build instead.
    }
  }
  return new TrieMatcher(index);
}

/**
 * JSON-safe snapshot of a matcher's built structures, for `CompiledIndex.prebuilt` (build time). Forms
 * added with `addForms` are included. Throws for matchers not made by `createMatcher`.
 */
export function serializeMatcher(m: Matcher): PrebuiltMatcher {
  if (!(m instanceof TrieMatcher)) throw new Error('serializeMatcher: not a createMatcher() matcher');
  return m.serialize();
}
