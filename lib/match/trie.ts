/**
 * Token trie: the one-pass exact scanner behind the matcher.
 *
 * The text is tokenised once (letters/digits runs and one-char punctuation tokens, folded via lookup
 * tables, hashed with FNV-1a while reading — no per-token string allocation). A bit filter on the hash of
 * first tokens rejects ~all tokens with one typed-array read; only candidate starts walk the trie
 * (Map<hash, node> per level, keys verified char by char). Cost is flat in glossary size.
 */
import { CharClass, CLASS_TABLE, FOLD_TABLE, baseCode, charClass, foldCode } from './normalize';

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;
const BLOOM_BITS = 20;
const BLOOM_MASK = (1 << BLOOM_BITS) - 1;
/** Longest run of gap chars (spaces, hyphens, soft hyphens) allowed between two tokens of a phrase. */
const MAX_GAP = 16;

export type EntryKind = 'form' | 'plural' | 'joined' | 'discovered';

/** What a trie node yields when a form ends there. */
export interface TrieEntry {
  term: number;
  /** Case-sensitive: the span's case-kept, diacritic-stripped non-gap chars must equal `csKey`. */
  cs: boolean;
  csKey: string;
  /** Multi-word case-sensitive name that may also appear in ALL CAPS ("THE INTERNET SOCIETY" headings). */
  capsOk?: boolean;
  /** The form as written in the index (for debugging and reports). */
  form: string;
  kind: EntryKind;
}

interface TrieNode {
  key: string;
  next: Map<number, TrieNode> | null;
  /** Hash-collision chain. */
  alt: TrieNode | null;
  entries: TrieEntry[] | null;
  /**
   * Index in the prebuilt arrays of a loaded node whose children and entries are not built yet (see
   * `TokenTrie.load`), else -1. Nodes handed out by lookups are always built.
   */
  pi: number;
}

/** A loaded PrebuiltTrie, with where each node's children and entries start. */
interface LazySource {
  p: PrebuiltTrie;
  kidStart: Int32Array;
  entStart: Int32Array;
  formText: (ref: number | string) => string;
}

/** One form, tokenised: folded token keys, case-kept key, and the gap type before each token. */
interface FormTokens {
  folded: string[];
  /** 'none' | 'sep' gap before token i (i ≥ 1); 'sep' = space or hyphen in the form. */
  gaps: ('none' | 'sep')[];
  /** The gap before token i contains a hyphen. */
  hyphen: boolean[];
  word: boolean[];
}

/** FNV-1a hash of a folded token key (the same hash tokenize() computes while reading). */
export function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

function bloomSlot(h: number): number {
  return (h ^ (h >>> BLOOM_BITS)) & BLOOM_MASK;
}

/** Tokenise a form with the same rules as the scanner. */
export function tokenizeForm(text: string): FormTokens {
  const folded: string[] = [];
  const gaps: ('none' | 'sep')[] = [];
  const hyphen: boolean[] = [];
  const word: boolean[] = [];
  let cur = '';
  let gap: 'none' | 'sep' = 'none';
  let hy = false;
  const flush = () => {
    if (cur) {
      folded.push(cur);
      gaps.push(gap);
      hyphen.push(hy);
      word.push(true);
      cur = '';
      gap = 'none';
      hy = false;
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const cls = charClass(c);
    if (cls === CharClass.Word) cur += String.fromCharCode(foldCode(c));
    else if (cls === CharClass.Skip) continue;
    else if (cls === CharClass.Punct) {
      flush();
      folded.push(String.fromCharCode(foldCode(c)));
      gaps.push(gap);
      hyphen.push(hy);
      word.push(false);
      gap = 'none';
      hy = false;
    } else {
      flush();
      gap = 'sep';
      if (cls === CharClass.Hyphen) hy = true;
    }
  }
  flush();
  return { folded, gaps, hyphen, word };
}

/** Case-kept key of a form: base chars of its word and punctuation chars, gaps and skips removed. */
export function csKeyOf(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const cls = charClass(c);
    if (cls === CharClass.Word || cls === CharClass.Punct) out += String.fromCharCode(baseCode(c));
  }
  return out;
}

/*
 * Reusable token buffers, module-level for speed. scan() is synchronous; a nested scan (a guard scanning
 * a context window from inside accept()) saves and restores them via withFreshBuffers().
 */
let cap = 0;
let tStart = new Int32Array(0);
let tEnd = new Int32Array(0);
let tHash = new Int32Array(0);
/** bits 0-7: gap length before the token (capped 255); bit 8: newline in gap; bit 9: hyphen; bit 10: punct token; bits 11+: hyphen count. */
let tFlags = new Int32Array(0);

const F_NL = 1 << 8;
const F_HY = 1 << 9;
const F_PUNCT = 1 << 10;
const HY_SHIFT = 11;

type I32 = Int32Array<ArrayBuffer>;
type Buffers = [number, I32, I32, I32, I32];
/** Buffer sets for nested scans, one per depth, kept (and grown) across calls. */
const nestedBuffers: Buffers[] = [];
let nestDepth = 0;

/**
 * Run fn with a private set of token buffers, restoring the caller's afterwards (for nested scans). The
 * set for each depth is kept between calls: guard checks run this per candidate, and fresh typed arrays
 * each time were 3% of a 500k-word page's profile.
 */
export function withFreshBuffers<T>(fn: () => T): T {
  const saved: Buffers = [cap, tStart, tEnd, tHash, tFlags];
  const mine = nestedBuffers[nestDepth] ?? [0, new Int32Array(0), new Int32Array(0), new Int32Array(0), new Int32Array(0)];
  nestDepth++;
  [cap, tStart, tEnd, tHash, tFlags] = mine;
  try {
    return fn();
  } finally {
    nestDepth--;
    // Keep what fn grew for the next call at this depth.
    nestedBuffers[nestDepth] = [cap, tStart, tEnd, tHash, tFlags];
    [cap, tStart, tEnd, tHash, tFlags] = saved;
  }
}

function ensure(n: number): void {
  if (n <= cap) return;
  cap = Math.max(n, cap * 2, 1024);
  const grow = (a: Int32Array) => {
    const b = new Int32Array(cap);
    b.set(a);
    return b;
  };
  tStart = grow(tStart);
  tEnd = grow(tEnd);
  tHash = grow(tHash);
  tFlags = grow(tFlags);
}

/**
 * Grow the shared token buffers now for texts up to `chars` long. The growth path of `ensure` runs rarely
 * (a text longer than any before), so V8 has no feedback for it when the optimised `tokenize` first needs
 * it, and it throws that code away (seen in the background: `Math.max` in `ensure`, Chromium 156).
 */
export function reserveTokens(chars: number): void {
  ensure((chars >> 1) + 16);
}

/** Tokenise `text` into the shared buffers; returns the token count. */
export function tokenize(text: string): number {
  const n = text.length;
  ensure((n >> 1) + 16);
  const CLS = CLASS_TABLE;
  const FOLD = FOLD_TABLE;
  let count = 0;
  let gapLen = 0;
  let gapFlags = 0;
  let hyCount = 0;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    let cls = CLS[c];
    if (cls === 0) cls = charClass(c);
    if (cls === CharClass.Word) {
      const start = i;
      let h = FNV_OFFSET;
      let last = i;
      while (i < n) {
        c = text.charCodeAt(i);
        cls = CLS[c];
        if (cls === 0) cls = charClass(c);
        if (cls === CharClass.Word) {
          let f = FOLD[c];
          if (f === 0) f = foldCode(c) + 1;
          h = Math.imul(h ^ (f - 1), FNV_PRIME);
          last = i;
        } else if (cls !== CharClass.Skip) break;
        i++;
      }
      if (count >= cap) ensure(count + 1);
      tStart[count] = start;
      tEnd[count] = last + 1;
      tHash[count] = h;
      tFlags[count] = (gapLen > 255 ? 255 : gapLen) | gapFlags | (hyCount << HY_SHIFT);
      count++;
      // Skip chars after the last word char belong to the gap.
      gapLen = i - last - 1;
      gapFlags = 0;
      hyCount = 0;
    } else if (cls === CharClass.Punct) {
      if (count >= cap) ensure(count + 1);
      let f = FOLD[c];
      if (f === 0) f = foldCode(c) + 1;
      tStart[count] = i;
      tEnd[count] = i + 1;
      tHash[count] = Math.imul(FNV_OFFSET ^ (f - 1), FNV_PRIME);
      tFlags[count] = (gapLen > 255 ? 255 : gapLen) | gapFlags | F_PUNCT | (hyCount << HY_SHIFT);
      count++;
      gapLen = 0;
      gapFlags = 0;
      hyCount = 0;
      i++;
    } else {
      if (cls === CharClass.Newline) gapFlags |= F_NL;
      else if (cls === CharClass.Hyphen) {
        gapFlags |= F_HY;
        hyCount++;
      }
      if (cls !== CharClass.Skip) gapLen++;
      i++;
    }
  }
  return count;
}

/**
 * First token in the buffers, among tokens [lo, count), that starts at or after text offset `pos`
 * (count when none does).
 */
export function tokenFrom(pos: number, lo: number, count: number): number {
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tStart[mid] < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Gap before token t allows a phrase to continue (no newline, short). */
function gapOk(t: number): boolean {
  const f = tFlags[t];
  return (f & F_NL) === 0 && (f & 255) <= MAX_GAP;
}

/** Gap before token t is exactly one hyphen (e.g. "co-operation") between two word tokens. */
function hyphenJoinable(t: number): boolean {
  const f = tFlags[t];
  return (f & (F_NL | F_PUNCT)) === 0 && (f & 255) === 1 && f >>> HY_SHIFT === 1 && (tFlags[t - 1] & F_PUNCT) === 0;
}

/** Compare the folded, skip-free chars of text[start,end) with key from offset k; returns new offset or -1. */
function cmpKey(text: string, start: number, end: number, key: string, k: number): number {
  // Token chars were classified and folded by tokenize(), so the tables are filled for them.
  const CLS = CLASS_TABLE;
  const FOLD = FOLD_TABLE;
  const klen = key.length;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (CLS[c] === CharClass.Skip) continue;
    if (k >= klen || FOLD[c] - 1 !== key.charCodeAt(k)) return -1;
    k++;
  }
  return k;
}

/** A candidate found while walking: tokens [first, last] matched a node with entries. */
export interface Candidate {
  start: number;
  end: number;
  entries: TrieEntry[];
}

/** Verify a case-sensitive entry against the text span (`capsOk`: an ALL-CAPS span also passes). */
export function verifyCs(text: string, start: number, end: number, csKey: string, capsOk = false): boolean {
  if (capsOk && !verifyCs(text, start, end, csKey)) return verifyCs(text, start, end, csKey.toUpperCase());
  let k = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const cls = charClass(c);
    if (cls !== CharClass.Word && cls !== CharClass.Punct) continue;
    if (k >= csKey.length || baseCode(c) !== csKey.charCodeAt(k)) return false;
    k++;
  }
  return k === csKey.length;
}

/** Callback for scan(): return true to accept the candidate (then scanning resumes after it). */
export type AcceptFn = (text: string, start: number, end: number, entry: TrieEntry) => boolean;

const KINDS: EntryKind[] = ['form', 'plural', 'joined', 'discovered'];

/**
 * A TokenTrie as JSON-safe parallel arrays (built at build time, loaded with one tight loop). Nodes are in
 * BFS order, so the children of node i are the next `kids[i]` nodes not yet claimed by an earlier node;
 * entries are listed node by node (`ents[i]` per node).
 */
export interface PrebuiltTrie {
  /** Folded token key per node (node 0 = root, ''). */
  keys: string[];
  /** Child count per node. */
  kids: number[];
  /** Entry count per node. */
  ents: number[];
  /** Per entry: term (or signal id). */
  eTerm: number[];
  /** Per entry: bit 0 cs, bit 1 capsOk, bits 2+ kind index. */
  eFlags: number[];
  /** Per entry: case-kept key ('' for case-insensitive entries, where it is never read). */
  eCsKey: string[];
  /** Per entry: the form (index into CompiledIndex.forms, or the text). */
  eForm: (number | string)[];
}

export class TokenTrie {
  private root: TrieNode = { key: '', next: null, alt: null, entries: null, pi: -1 };
  /** Prebuilt arrays still holding nodes not built yet (`load`). */
  private lazy: LazySource | null = null;
  private firstBloom = new Uint32Array(1 << (BLOOM_BITS - 5));
  /** Number of entries inserted. */
  size = 0;
  private stackNode: TrieNode[] = [];
  private stackTok: number[] = [];
  private candNode: TrieNode[] = [];
  private candTok: number[] = [];

  /**
   * JSON-safe snapshot of the trie (see PrebuiltTrie).
   * @param formRef how to store an entry's `form` (e.g. its index in CompiledIndex.forms)
   */
  serialize(formRef: (e: TrieEntry) => number | string = (e) => e.form): PrebuiltTrie {
    const out: PrebuiltTrie = { keys: [], kids: [], ents: [], eTerm: [], eFlags: [], eCsKey: [], eForm: [] };
    const queue: TrieNode[] = [this.root];
    for (let qi = 0; qi < queue.length; qi++) {
      const node = queue[qi];
      this.build(node);
      out.keys.push(node.key);
      let k = 0;
      if (node.next) {
        for (const head of node.next.values()) {
          // Collision chains: push tail first so re-linking on load rebuilds the same chain order.
          const chain: TrieNode[] = [];
          for (let c: TrieNode | null = head; c; c = c.alt) chain.push(c);
          for (let i = chain.length - 1; i >= 0; i--) queue.push(chain[i]);
          k += chain.length;
        }
      }
      out.kids.push(k);
      const list = node.entries ?? [];
      out.ents.push(list.length);
      for (const e of list) {
        out.eTerm.push(e.term);
        out.eFlags.push((e.cs ? 1 : 0) | (e.capsOk ? 2 : 0) | (KINDS.indexOf(e.kind) << 2));
        out.eCsKey.push(e.cs ? e.csKey : '');
        out.eForm.push(formRef(e));
      }
    }
    return out;
  }

  /**
   * Load a trie from `serialize()` output. Only the root is built here (its children feed the first-token
   * filter); every other node gets its children Map and entries the first time a lookup reaches it, so
   * start-up cost does not grow with the glossary and a page builds only the nodes its text visits.
   * @param formText resolves a stored form reference back to its text
   */
  static load(p: PrebuiltTrie, formText: (ref: number | string) => string = (r) => String(r)): TokenTrie {
    const trie = new TokenTrie();
    const { keys, kids, ents, eTerm } = p;
    const n = keys.length;
    if (n === 0 || kids.length !== n || ents.length !== n) throw new Error('bad prebuilt trie');
    const kidStart = new Int32Array(n);
    const entStart = new Int32Array(n);
    let k = 1;
    let e = 0;
    for (let i = 0; i < n; i++) {
      kidStart[i] = k;
      entStart[i] = e;
      k += kids[i];
      e += ents[i];
    }
    if (k !== n || e !== eTerm.length || p.eFlags.length !== e || p.eCsKey.length !== e || p.eForm.length !== e) {
      throw new Error('bad prebuilt trie');
    }
    trie.lazy = { p, kidStart, entStart, formText };
    trie.root.pi = 0;
    trie.build(trie.root);
    trie.size = e;
    return trie;
  }

  /** Build a loaded node's children (not built themselves) and entries; no-op for built nodes. */
  private build(node: TrieNode): void {
    const i = node.pi;
    if (i < 0) return;
    node.pi = -1;
    const { p, kidStart, entStart, formText } = this.lazy!;
    const k = p.kids[i];
    if (k > 0) {
      const map = new Map<number, TrieNode>();
      node.next = map;
      for (let c = kidStart[i], end = c + k; c < end; c++) {
        const child: TrieNode = { key: p.keys[c], next: null, alt: null, entries: null, pi: c };
        this.link(node, map, child, hashString(child.key));
      }
    }
    const m = p.ents[i];
    if (m > 0) {
      const list: TrieEntry[] = new Array(m);
      for (let j = 0, e = entStart[i]; j < m; j++, e++) {
        const f = p.eFlags[e];
        list[j] = {
          term: p.eTerm[e],
          cs: (f & 1) !== 0,
          csKey: p.eCsKey[e],
          capsOk: (f & 2) !== 0,
          form: formText(p.eForm[e]),
          kind: KINDS[f >>> 2] ?? 'form',
        };
      }
      node.entries = list;
    }
  }

  private child(node: TrieNode, key: string, create: boolean): TrieNode | null {
    const h = hashString(key);
    if (!node.next) {
      if (!create) return null;
      node.next = new Map();
    }
    let c = node.next.get(h) ?? null;
    while (c && c.key !== key) c = c.alt;
    if (c) this.build(c);
    if (c || !create) return c;
    c = { key, next: null, alt: null, entries: null, pi: -1 };
    this.link(node, node.next, c, h);
    return c;
  }

  /** Add `child` (key hash `h`) to `parent`'s children map: heads its collision chain, feeds the root filter. */
  private link(parent: TrieNode, map: Map<number, TrieNode>, child: TrieNode, h: number): void {
    child.alt = map.get(h) ?? null;
    map.set(h, child);
    if (parent === this.root) {
      const s = bloomSlot(h);
      this.firstBloom[s >>> 5] |= 1 << (s & 31);
    }
  }

  /** Node for a token key sequence, or null. */
  get(keys: string[]): TrieNode | null {
    let node: TrieNode | null = this.root;
    for (const k of keys) {
      node = this.child(node, k, false);
      if (!node) return null;
    }
    return node;
  }

  /** True when another term has a real (non-generated) form at this key sequence. */
  otherRealTerm(keys: string[], term: number): boolean {
    const node = this.get(keys);
    if (!node?.entries) return false;
    for (const e of node.entries) if (e.kind === 'form' && e.term !== term) return true;
    return false;
  }

  /** Insert one entry at a key sequence (no duplicate term+csKey entries per node). */
  insert(keys: string[], entry: TrieEntry): void {
    if (keys.length === 0) return;
    let node = this.root;
    for (const k of keys) node = this.child(node, k, true)!;
    const list = (node.entries ??= []);
    if (list.some((e) => e.term === entry.term && e.cs === entry.cs && (!e.cs || e.csKey === entry.csKey))) return;
    // Real forms first, case-sensitive (more specific) before case-insensitive.
    list.push(entry);
    const rank = (e: TrieEntry) => (e.kind === 'form' ? 0 : 2) + (e.cs ? 0 : 1);
    list.sort((a, b) => rank(a) - rank(b));
    this.size++;
  }

  private lookupTok(node: TrieNode, text: string, t: number): TrieNode | null {
    if (!node.next) return null;
    let c = node.next.get(tHash[t]) ?? null;
    while (c) {
      if (cmpKey(text, tStart[t], tEnd[t], c.key, 0) === c.key.length) {
        if (c.pi >= 0) this.build(c);
        return c;
      }
      c = c.alt;
    }
    return null;
  }

  private lookupJoined(node: TrieNode, text: string, t: number): TrieNode | null {
    if (!node.next) return null;
    let h = tHash[t];
    for (let i = tStart[t + 1]; i < tEnd[t + 1]; i++) {
      const ch = text.charCodeAt(i);
      if (charClass(ch) === CharClass.Skip) continue;
      h = Math.imul(h ^ foldCode(ch), FNV_PRIME);
    }
    let c = node.next.get(h) ?? null;
    while (c) {
      const k = cmpKey(text, tStart[t], tEnd[t], c.key, 0);
      if (k >= 0 && cmpKey(text, tStart[t + 1], tEnd[t + 1], c.key, k) === c.key.length) {
        if (c.pi >= 0) this.build(c);
        return c;
      }
      c = c.alt;
    }
    return null;
  }

  /**
   * Leftmost-longest, non-overlapping scan. For each token start, candidates are tried longest first;
   * `accept` decides (case check, URL adjacency, guards). Calls `emit` for each accepted span, in order.
   */
  scan(text: string, accept: AcceptFn, emit: (start: number, end: number, entry: TrieEntry) => void): void {
    this.walk(text, tokenize(text), accept, emit, false);
  }

  /**
   * Walk the tokens already in the buffers (from `tokenize(text)`). With `all`, every candidate at every
   * token start is offered to `accept`/`emit` (overlapping; used for context signals). Only candidates
   * starting at tokens [from, to) are tried (a phrase may run on past `to`).
   */
  walk(
    text: string,
    count: number,
    accept: AcceptFn,
    emit: (start: number, end: number, entry: TrieEntry) => void,
    all: boolean,
    from = 0,
    to = count,
  ): void {
    if (count === 0) return;
    if (to > count) to = count;
    const bloom = this.firstBloom;
    const root = this.root;
    // Preallocated DFS stack and candidate list (no per-hit allocation).
    const stackNode = this.stackNode;
    const stackTok = this.stackTok;
    const candNode = this.candNode;
    const candTok = this.candTok;
    let t = from;
    while (t < to) {
      const h = tHash[t];
      const s = bloomSlot(h);
      const hit = (bloom[s >>> 5] & (1 << (s & 31))) !== 0;
      const joinHit = t + 1 < count && hyphenJoinable(t + 1); // rare; resolved in the walk
      if (!hit && !joinHit) {
        t++;
        continue;
      }
      // Walk the trie from token t (DFS over plain and hyphen-joined steps).
      let sp = 0;
      let nc = 0;
      if (hit) {
        const n1 = this.lookupTok(root, text, t);
        if (n1) {
          stackNode[sp] = n1;
          stackTok[sp++] = t;
        }
      }
      if (joinHit) {
        const n2 = this.lookupJoined(root, text, t);
        if (n2) {
          stackNode[sp] = n2;
          stackTok[sp++] = t + 1;
        }
      }
      while (sp > 0) {
        const node = stackNode[--sp];
        const last = stackTok[sp];
        if (node.entries) {
          candNode[nc] = node;
          candTok[nc++] = last;
        }
        if (!node.next || last + 1 >= count || !gapOk(last + 1)) continue;
        const n1 = this.lookupTok(node, text, last + 1);
        if (n1) {
          stackNode[sp] = n1;
          stackTok[sp++] = last + 1;
        }
        if (last + 2 < count && hyphenJoinable(last + 2)) {
          const n2 = this.lookupJoined(node, text, last + 1);
          if (n2) {
            stackNode[sp] = n2;
            stackTok[sp++] = last + 2;
          }
        }
      }
      if (all) {
        for (let ci = 0; ci < nc; ci++) {
          for (const e of candNode[ci].entries!) {
            if (accept(text, tStart[t], tEnd[candTok[ci]], e)) emit(tStart[t], tEnd[candTok[ci]], e);
          }
        }
        t++;
        continue;
      }
      let nextT = t + 1;
      // Longest first: repeatedly take the candidate with the furthest end (nc is tiny).
      const start = tStart[t];
      while (nc > 0) {
        let best = 0;
        for (let ci = 1; ci < nc; ci++) if (candTok[ci] > candTok[best]) best = ci;
        const node = candNode[best];
        const lastTok = candTok[best];
        candNode[best] = candNode[nc - 1];
        candTok[best] = candTok[nc - 1];
        nc--;
        const end = tEnd[lastTok];
        let done = false;
        for (const e of node.entries!) {
          if (accept(text, start, end, e)) {
            emit(start, end, e);
            nextT = lastTok + 1;
            done = true;
            break;
          }
        }
        if (done) break;
      }
      t = nextT;
    }
  }
}

