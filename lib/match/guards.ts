/**
 * Context guards for ambiguous terms (CompiledTerm.context): "IAB" only near IETF/RFC/Internet-architecture
 * context, "MAG"/"DC"/"GA"/"EC"… only near IGF/UN context, and "enhanced cooperation" never on an EU-law
 * page without WSIS/Tunis/IGF context.
 *
 * A guarded candidate is accepted when, in order:
 *  1. its window (±`window` chars, same text chunk) holds EU-law counter-words (for terms with
 *     counter-context) and neither a strong IG anchor nor a strong context word (acronym, phrase or
 *     proper noun such as "WSIS", "Tunis", "Internet governance") → rejected; "Washington, DC" → rejected;
 *  2. its window (the span included: "IGF MAG", or a span that is itself a context word such as
 *     "Tunis Agenda") holds one of the term's context words → accepted;
 *  3. page level (MatchContext): for counter terms, counter-words on the page and no strong IG word →
 *     rejected; a context word in the title/URL, or ≥ 2 distinct context words of the term in the page
 *     text → accepted;
 *  4. otherwise rejected.
 * Context lists are the dataset's (term-specific): strong IG anchors only decide the EU-law veto, they do
 * not vouch for short acronyms ("DC" on an IGF page that also mentions Washington stays guarded).
 * All signal words are found with one small token trie (the same one-pass scanner as the matcher); the page
 * text is scanned at most once per MatchContext and only when a guarded candidate needs it.
 */
import type { CompiledIndex } from '../dataset/types';
import { foldKey } from './normalize';
import { TokenTrie, csKeyOf, tokenFrom, tokenize, tokenizeForm, verifyCs, withFreshBuffers, type PrebuiltTrie, type TrieEntry } from './trie';
import type { MatchContext, PageSignals } from './types';

/** Default half-width of the context window, in chars. */
export const DEFAULT_WINDOW = 400;

/**
 * Strong Internet-governance anchors: terms having one of these forms count as "IG context" for every guard
 * (folded keys).
 */
export const STRONG_ANCHORS = [
  'internet governance forum',
  'igf',
  'world summit on the information society',
  'wsis',
  'tunis agenda',
  'internet governance',
  'icann',
  'internet corporation for assigned names and numbers',
  'internet engineering task force',
  'ietf',
  'internet society',
  'isoc',
  'internet assigned numbers authority',
  'iana',
  'working group on enhanced cooperation',
  'wgec',
  'commission on science and technology for development',
  'cstd',
  'multistakeholder',
  'multi-stakeholder',
];

/** Words that signal the EU-law sense of "enhanced cooperation" (Treaty of Amsterdam / TEU art. 20). */
export const EU_LAW_COUNTER = [
  'member states',
  'member state',
  'treaty',
  'treaties',
  'tfeu',
  'teu',
  'council of the european union',
  'european union',
  'eu law',
  'union law',
  'article 20',
  'article 326',
  'article 329',
  'article 330',
  'unitary patent',
  'european public prosecutor',
  'eppo',
  'european parliament',
  'european commission',
  'treaty of amsterdam',
  'treaty of lisbon',
  'schengen',
  'participating member states',
];

/** Page text is scanned lazily in blocks of about this many chars. */
const PAGE_BLOCK = 32_000;

/** Immediate left contexts that flip an acronym to its other sense ("Washington, DC", "Washington DC"). */
const IMMEDIATE_COUNTER: [string, RegExp][] = [['DC', /Washington,?\s*$/]];

/** Terms that get counter-context: any form equal to one of these (folded). */
const COUNTER_FOR = ['enhanced cooperation', 'enhanced co-operation'];

type SignalKind = 'context' | 'anchor' | 'counter';

/**
 * Signal hits of one find() call's text, sorted by start (parallel arrays), read lazily: only the windows around guarded candidates are
 * walked (candidates come in text order, so windows only move forward).
 */
export interface ChunkSignals {
  starts: number[];
  ends: number[];
  ids: number[];
  /** Token count of the text (in the token buffers). */
  count: number;
  /** Hits starting at text offsets [from, to) are all listed (token `next` starts at or after `to`). */
  from: number;
  to: number;
  next: number;
}

interface Signal {
  kind: SignalKind;
  /** Folded key (context/counter) or the anchor's term index. */
  key: string;
  term: number;
}

/** The guards' build-time structures, JSON-safe (see `Guards.serialize`). */
export interface PrebuiltGuards {
  trie: PrebuiltTrie;
  /** Signal kind (0 context, 1 anchor, 2 counter), key and term, flattened per signal id. */
  sigKind: number[];
  sigKey: string[];
  sigTerm: number[];
  /** [term, signal ids…] per guarded term. */
  contextOf: number[][];
  strong: number[];
  counterTerms: number[];
  counterIds: number[];
  anchorIds: number[];
}

const SIGNAL_KINDS: SignalKind[] = ['context', 'anchor', 'counter'];

/** Short all-caps words ("UN", "IETF", "RFC") are matched case-sensitively so "un"/"ga" in prose don't count. */
function isAcronymWord(w: string): boolean {
  return /^[A-Z0-9][A-Z0-9&.-]{1,7}$/.test(w) && /[A-Z]/.test(w);
}

export class Guards {
  private trie = new TokenTrie();
  private signals: Signal[] = [];
  private signalIdByKey = new Map<string, number>();
  /** term → signal ids of its context words. */
  private contextOf = new Map<number, Set<number>>();
  /** Context words strong enough to override EU-law counter-words (acronyms, phrases, proper nouns). */
  private strongContext = new Set<number>();
  /** Terms with EU-law counter-context. */
  private counterTerms = new Set<number>();
  private counterIds = new Set<number>();
  private anchorIds = new Set<number>();
  private pageCache = new WeakMap<object, PageSignals>();

  constructor(
    index: CompiledIndex,
    private window = DEFAULT_WINDOW,
    prebuilt?: PrebuiltGuards,
  ) {
    if (prebuilt) {
      this.load(prebuilt);
      return;
    }
    const anchorSet = new Set(STRONG_ANCHORS.map(foldKey));
    const counterFor = new Set(COUNTER_FOR.map(foldKey));
    for (const f of index.forms) {
      const k = foldKey(f.text);
      if (counterFor.has(k)) this.counterTerms.add(f.term);
      // Anchor forms (one signal per anchor term), with their own case rule.
      if (anchorSet.has(k)) {
        const id = this.signalId('anchor', `#${f.term}`, f.term);
        this.anchorIds.add(id);
        this.insertWord(f.text, id, f.cs);
      }
    }
    // Context lists repeat the same words across many terms: fold each distinct word once (cold startup).
    const seenWord = new Map<string, number>();
    index.terms.forEach((t, ti) => {
      if (!t.context?.length) return;
      const ids = new Set<number>();
      for (const w of t.context) {
        const known = seenWord.get(w);
        if (known !== undefined) {
          ids.add(known);
          continue;
        }
        const before = this.signals.length;
        const id = this.signalId('context', foldKey(w), -1);
        seenWord.set(w, id);
        ids.add(id);
        if (this.signals.length === before) continue; // already inserted (lists repeat across terms)
        const ww = w.trim();
        if (isAcronymWord(ww) || /\s|-/.test(ww) || (/^\p{Lu}/u.test(ww) && foldKey(ww) !== 'internet')) {
          this.strongContext.add(id);
        }
        this.insertWord(ww, id, isAcronymWord(ww));
      }
      this.contextOf.set(ti, ids);
    });
    if (this.counterTerms.size) {
      for (const w of EU_LAW_COUNTER) {
        const id = this.signalId('counter', foldKey(w), -1);
        this.counterIds.add(id);
        this.insertWord(w, id, false);
      }
    }
  }

  /** JSON-safe snapshot of the built structures (load it with `new Guards(index, window, prebuilt)`). */
  serialize(): PrebuiltGuards {
    return {
      trie: this.trie.serialize((e) => e.term), // an entry's form is its signal's key (restored on load)
      sigKind: this.signals.map((s) => SIGNAL_KINDS.indexOf(s.kind)),
      sigKey: this.signals.map((s) => s.key),
      sigTerm: this.signals.map((s) => s.term),
      contextOf: [...this.contextOf].map(([t, ids]) => [t, ...ids]),
      strong: [...this.strongContext],
      counterTerms: [...this.counterTerms],
      counterIds: [...this.counterIds],
      anchorIds: [...this.anchorIds],
    };
  }

  private load(p: PrebuiltGuards): void {
    for (let i = 0; i < p.sigKey.length; i++) {
      this.signals.push({ kind: SIGNAL_KINDS[p.sigKind[i]] ?? 'context', key: p.sigKey[i], term: p.sigTerm[i] });
    }
    this.trie = TokenTrie.load(p.trie, (r) => (typeof r === 'number' ? (p.sigKey[r] ?? '') : r));
    for (const row of p.contextOf) this.contextOf.set(row[0], new Set(row.slice(1)));
    this.strongContext = new Set(p.strong);
    this.counterTerms = new Set(p.counterTerms);
    this.counterIds = new Set(p.counterIds);
    this.anchorIds = new Set(p.anchorIds);
  }

  private signalId(kind: SignalKind, key: string, term: number): number {
    const k = `${kind}:${key}`;
    let id = this.signalIdByKey.get(k);
    if (id === undefined) {
      id = this.signals.length;
      this.signals.push({ kind, key, term });
      this.signalIdByKey.set(k, id);
    }
    return id;
  }

  private insertWord(text: string, id: number, cs: boolean): void {
    const tok = tokenizeForm(text);
    if (!tok.folded.length) return;
    const entry = { term: id, cs, csKey: csKeyOf(text), form: text, kind: 'form' as const };
    this.trie.insert(tok.folded, entry);
    // Joined variant for hyphenated/spaced context words ("multi-stakeholder" → "multistakeholder").
    if (tok.folded.length > 1 && tok.word.every(Boolean)) this.trie.insert([tok.folded.join('')], entry);
  }

  /** True when the term has a context guard. */
  isGuarded(term: number): boolean {
    return this.contextOf.has(term) || this.counterTerms.has(term);
  }

  /** Signal ids found in text, ignoring hits that overlap [skipStart, skipEnd). */
  private scanSignals(text: string, skipStart = -1, skipEnd = -1): Set<number> {
    const found = new Set<number>();
    withFreshBuffers(() =>
      this.trie.walk(
        text,
        tokenize(text),
        (t, s, e, entry) => !entry.cs || verifyCs(t, s, e, entry.csKey),
        (s, e, entry) => {
          if (e > skipStart && s < skipEnd && (s < skipStart || e > skipEnd)) return;
          found.add(entry.term);
        },
        true,
      ),
    );
    return found;
  }

  /**
   * Compute page-level signals once (title, URL, page text). The page layer may call this itself (e.g. in
   * an idle slice) and pass the result as `ctx.signals`; otherwise it is computed lazily on the first
   * guarded candidate that needs it and cached per ctx object.
   */
  pageSignals(ctx: MatchContext): PageSignals {
    if (ctx.signals) return ctx.signals;
    const cached = this.pageCache.get(ctx);
    if (cached) return cached;
    const head = new Set<number>();
    if (ctx.title) for (const id of this.scanSignals(ctx.title)) head.add(id);
    if (ctx.url) {
      // URLs are lower case: compare upper-cased, with separators as spaces, so "/igf-2016/" counts as IGF.
      const u = ctx.url.replace(/[/._\-?=&#:+%]+/g, ' ');
      for (const id of this.scanSignals(u)) head.add(id);
      for (const id of this.scanSignals(u.toUpperCase())) head.add(id);
    }
    // The page text is scanned lazily, block by block, only as far as a decision needs (see pageVerdict).
    const text = typeof ctx.pageText === 'function' ? ctx.pageText() : (ctx.pageText ?? '');
    const sig: PageSignals = { head, body: new Set<number>(), rest: text ? { text, pos: 0 } : undefined };
    this.pageCache.set(ctx, sig);
    return sig;
  }

  /**
   * Feed more page text into page signals (for a page layer that collects text chunk by chunk in its own
   * slices instead of passing `pageText`).
   */
  addPageText(signals: PageSignals, text: string): void {
    for (const id of this.scanSignals(text)) signals.body.add(id);
    signals.verdict?.clear();
  }

  /**
   * Queue page text for the signals without scanning it now: it is scanned lazily, block by block, only
   * when a guarded term's page-level decision needs it (most pages never do). Decisions taken so far are
   * dropped, since more text may change them.
   */
  appendPageText(signals: PageSignals, text: string): void {
    const rest = signals.rest;
    if (!rest || rest.pos >= rest.text.length) signals.rest = { text, pos: 0 };
    else signals.rest = { text: rest.text.slice(rest.pos) + '\n' + text, pos: 0 };
    signals.verdict?.clear();
  }

  /** Scan the next block of the lazily scanned page text; false when nothing is left. */
  private scanMore(page: PageSignals): boolean {
    const rest = page.rest;
    if (!rest || rest.pos >= rest.text.length) return false;
    let end = Math.min(rest.text.length, rest.pos + PAGE_BLOCK);
    if (end < rest.text.length) {
      const nl = rest.text.indexOf('\n', end);
      const sp = rest.text.indexOf(' ', end);
      const cut = nl >= 0 && nl - end < 2000 ? nl : sp >= 0 && sp - end < 2000 ? sp : end;
      end = cut;
    }
    for (const id of this.scanSignals(rest.text.slice(rest.pos, end))) page.body.add(id);
    rest.pos = end;
    return true;
  }

  /** Page-level decision for a term (cached per page); scans more page text only while undecided. */
  private pageVerdict(term: number, page: PageSignals, ctxIds: Set<number>, counters: boolean): boolean {
    const cached = page.verdict?.get(term);
    if (cached !== undefined) return cached;
    const has = (set: Set<number>, pred: (id: number) => boolean) => {
      for (const id of set) if (pred(id)) return true;
      return false;
    };
    const decide = (): boolean | undefined => {
      // Counter terms (EU-law veto) are only decided early once a strong IG word has been seen.
      if (counters && !has(page.body, (id) => this.anchorIds.has(id) || (ctxIds.has(id) && this.strongContext.has(id)))) {
        return undefined;
      }
      if (has(page.head, (id) => ctxIds.has(id))) return true;
      let n = 0;
      for (const id of page.body) if (ctxIds.has(id) && ++n >= 2) return true;
      return undefined;
    };
    let v = decide();
    while (v === undefined && this.scanMore(page)) v = decide();
    if (v === undefined) {
      // Whole page scanned.
      v = false;
      const pageStrong = has(page.body, (id) => this.anchorIds.has(id) || (ctxIds.has(id) && this.strongContext.has(id)));
      const vetoed = counters && !pageStrong && has(page.body, (id) => this.counterIds.has(id));
      if (!vetoed) {
        let n = 0;
        for (const id of page.body) if (ctxIds.has(id)) n++;
        v = has(page.head, (id) => ctxIds.has(id)) || n >= 2;
      }
    }
    (page.verdict ??= new Map()).set(term, v);
    return v;
  }

  /**
   * The signal hits of the text whose tokens are currently in the token buffers (from `tokenize(text)`),
   * none read yet: `coverSignals` walks the windows that guarded candidates ask for. Created lazily, at
   * most once per find() call. (Walking the whole text for signals cost as much as the match itself.)
   */
  chunkSignals(count: number): ChunkSignals {
    return { starts: [], ends: [], ids: [], count, from: 0, to: 0, next: 0 };
  }

  /**
   * List the hits starting in [ws, we) (overlapping hits included, sorted by start). False when the
   * window starts before what was read: the caller scans that window directly.
   */
  private coverSignals(text: string, chunk: ChunkSignals, ws: number, we: number): boolean {
    if (ws < chunk.from) return false;
    if (we <= chunk.to) return true;
    let t = chunk.next;
    if (ws > chunk.to) {
      // A gap nobody needs (windows only move forward): start reading again at the window.
      t = tokenFrom(ws, t, chunk.count);
      chunk.from = ws;
    }
    const stop = tokenFrom(we, t, chunk.count);
    if (stop > t) {
      const { starts, ends, ids } = chunk;
      this.trie.walk(
        text,
        chunk.count,
        (tx, s, e, entry: TrieEntry) => !entry.cs || verifyCs(tx, s, e, entry.csKey),
        (s, e, entry) => {
          starts.push(s);
          ends.push(e);
          ids.push(entry.term);
        },
        true,
        t,
        stop,
      );
    }
    chunk.next = stop;
    chunk.to = we;
    return true;
  }

  /** Signal ids within [from, to) of the chunk, excluding hits overlapping [skipStart, skipEnd). */
  private windowSignals(chunk: ChunkSignals, from: number, to: number, skipStart: number, skipEnd: number): Set<number> {
    const { starts, ends, ids } = chunk;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    const out = new Set<number>();
    for (let i = lo; i < starts.length && starts[i] < to; i++) {
      if (ends[i] > to) continue;
      // Hits overlapping the span but extending beyond it are not evidence ("Internet Governance Forum"
      // does not vouch for a span inside it); hits inside the span are.
      if (ends[i] > skipStart && starts[i] < skipEnd && (starts[i] < skipStart || ends[i] > skipEnd)) continue;
      out.add(ids[i]);
    }
    return out;
  }

  /**
   * Decide a guarded candidate. `chunk` returns the chunk's signal hits (computed lazily once per find()
   * call); without it the window is scanned directly.
   */
  check(
    term: number,
    text: string,
    start: number,
    end: number,
    ctx?: MatchContext,
    chunk?: () => ChunkSignals,
  ): boolean {
    const ctxIds = this.contextOf.get(term);
    const counters = this.counterTerms.has(term);
    if (end - start <= 4) {
      const form = text.slice(start, end);
      const left = text.slice(Math.max(0, start - 16), start);
      if (IMMEDIATE_COUNTER.some(([f, re]) => f === form && re.test(left))) return false;
    }
    // Fast path: the page already vouched for this term (IG pages decide after their first block).
    const page = ctx && ctxIds ? this.pageSignals(ctx) : undefined;
    if (page && !counters && page.verdict?.get(term) === true) return true;
    const w = ctx?.window ?? this.window;
    const ws = Math.max(0, start - w);
    const we = Math.min(text.length, end + w);
    const cs = chunk?.();
    const local =
      cs && this.coverSignals(text, cs, ws, we)
        ? this.windowSignals(cs, ws, we, start, end)
        : this.scanSignals(text.slice(ws, we), start - ws, end - ws);
    const has = (set: Set<number>, pred: (id: number) => boolean) => {
      for (const id of set) if (pred(id)) return true;
      return false;
    };
    // A context word inside the span counts ("IGF MAG", "ICANN GAC"); so does the span itself when it is
    // one of the term's own context words ("Tunis Agenda", "Internet Architecture Board").
    const strongLocal = has(local, (id) => this.anchorIds.has(id) || (ctxIds?.has(id) === true && this.strongContext.has(id)));
    if (counters && !strongLocal && has(local, (id) => this.counterIds.has(id))) return false;
    if (ctxIds && has(local, (id) => ctxIds.has(id))) return true;
    if (!page || !ctxIds) return false;
    const v = this.pageVerdict(term, page, ctxIds, counters);
    if (!v) ctx?.onPageRejected?.(term, start, end);
    return v;
  }

  /** The page-level decision for a guarded term on the page text fed so far (false for unguarded terms). */
  pageAllows(term: number, ctx: MatchContext): boolean {
    const ctxIds = this.contextOf.get(term);
    if (!ctxIds) return false;
    return this.pageVerdict(term, this.pageSignals(ctx), ctxIds, this.counterTerms.has(term));
  }

  /** Names of signals (for debugging/tests). */
  describe(ids: Iterable<number>): string[] {
    return [...ids].map((id) => `${this.signals[id].kind}:${this.signals[id].key}`);
  }
}

const EXPANSION_STOPWORDS = new Set(['of', 'and', 'for', 'the', 'on', 'to', 'in', 'de', 'la', 'le', 'du', 'des', 'y', 'el', 'et', '&']);

/**
 * "European Commission (EC)", "Interactive Advertising Bureau (IAB)": when an acronym in parentheses
 * follows words whose initials spell it, that expansion decides its meaning. Returns true when such an
 * expansion is present and is NOT one of the term's own forms (so the acronym means something else).
 * @param formKeys folded keys of the term's forms
 */
export function foreignExpansion(text: string, start: number, end: number, formKeys: Set<string>): boolean {
  if (start < 2 || text[start - 1] !== '(') return false;
  const acr = text.slice(start, end);
  if (!/^[A-Z]{2,6}$/.test(acr)) return false;
  const before = text.slice(Math.max(0, start - 120), start - 1);
  const line = before.slice(before.lastIndexOf('\n') + 1).trimEnd();
  const words = [...line.matchAll(/[\p{L}\p{N}&]+/gu)];
  const picked: RegExpMatchArray[] = [];
  for (let i = words.length - 1; i >= 0 && picked.length < acr.length; i--) {
    const w = words[i][0];
    if (EXPANSION_STOPWORDS.has(w.toLowerCase())) continue;
    picked.unshift(words[i]);
  }
  if (picked.length !== acr.length) return false;
  const initials = picked.map((m) => m[0][0].toUpperCase()).join('');
  if (initials !== acr) return false;
  const expansion = line.slice(picked[0].index!);
  return !formKeys.has(foldKey(expansion));
}
