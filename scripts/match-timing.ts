/**
 * Node timing of the pure matcher (run: `npx tsx scripts/match-timing.ts [--json]`).
 *
 * Builds synthetic texts of 100k and 500k words (1% term mentions, blocks of ~80 words separated by '\n',
 * NBSP/soft hyphens sprinkled in) and reports: matcher build time, find() time over the whole text and
 * in ~20k-char slices (as the page layer calls it), the literal-alternation RegExp floor over the same
 * text, growth with glossary size (100 → 3,000 synthetic terms), and popup lookup time per query on the
 * real dataset when lib/dataset exists. Times are process CPU time (median of 5) unless `--wall`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { CompiledForm, CompiledIndex, CompiledTerm, Dataset } from '../lib/dataset/types';
import { createLookup, createMatcher } from '../lib/match';

const json = process.argv.includes('--json');

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYL = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'pe', 'su', 'da', 'gor', 'fen', 'bli', 'str', 'an'];
function word(r: () => number): string {
  const n = 1 + Math.floor(r() * 3);
  let w = '';
  for (let i = 0; i < n; i++) w += SYL[Math.floor(r() * SYL.length)];
  return w;
}

/** Synthetic glossary: nTerms terms, ~1.4 forms each (phrases, hyphenated, acronyms). */
function syntheticIndex(nTerms: number, seed = 7): CompiledIndex {
  const r = rng(seed);
  const terms: CompiledTerm[] = [];
  const forms: CompiledForm[] = [];
  const used = new Set<string>();
  for (let i = 0; i < nTerms; i++) {
    let phrase = '';
    do {
      const k = 1 + Math.floor(r() * 3);
      phrase = Array.from({ length: k }, () => word(r) + 'x').join(r() < 0.2 ? '-' : ' ');
    } while (used.has(phrase));
    used.add(phrase);
    terms.push({ id: `t${i}`, label: phrase, related: [] });
    forms.push({ text: phrase, term: i, cs: false });
    if (r() < 0.4) {
      const acro = `Q${i.toString(36).toUpperCase()}X`;
      forms.push({ text: acro, term: i, cs: true });
    }
  }
  return { version: 'synthetic', terms, forms };
}

function syntheticText(words: number, index: CompiledIndex, seed = 11): { text: string; mentions: number } {
  const r = rng(seed);
  const parts: string[] = [];
  let mentions = 0;
  let inBlock = 0;
  for (let i = 0; i < words; i++) {
    if (r() < 0.01) {
      const f = index.forms[Math.floor(r() * index.forms.length)];
      parts.push(r() < 0.1 ? f.text.replace(' ', '\u00A0') : f.text);
      mentions++;
    } else {
      const w = word(r);
      parts.push(r() < 0.002 ? `${w.slice(0, 2)}\u00AD${w.slice(2)}` : w);
    }
    if (++inBlock >= 80) {
      parts.push('\n');
      inBlock = 0;
    } else parts.push(r() < 0.05 ? ', ' : ' ');
  }
  return { text: parts.join(''), mentions };
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median time of fn in ms. Reports CPU time of this process (user+system) by default: on a shared, loaded
 * machine wall time mostly measures waiting for a core. `--wall` switches to wall-clock time.
 */
const useWall = process.argv.includes('--wall');
function time(fn: () => void, runs = 5): number {
  fn(); // warm-up
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    ts.push(useWall ? wall : (c.user + c.system) / 1000);
  }
  return median(ts);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const rows: Record<string, unknown>[] = [];

// 1. Page size (300-term glossary).
const idx300 = syntheticIndex(300);
for (const words of [100_000, 500_000]) {
  const { text, mentions } = syntheticText(words, idx300);
  const t0 = performance.now();
  const matcher = createMatcher(idx300);
  const buildMs = performance.now() - t0;
  let hits = 0;
  const whole = time(() => {
    hits = matcher.find(text).length;
  });
  // Sliced: ~20k-char chunks cut at '\n' (as the page layer would).
  const chunks: string[] = [];
  for (let i = 0; i < text.length; ) {
    let j = Math.min(text.length, i + 20_000);
    const nl = text.indexOf('\n', j);
    j = nl < 0 ? text.length : nl + 1;
    chunks.push(text.slice(i, j));
    i = j;
  }
  let maxChunk = 0;
  const sliced = time(() => {
    for (const c of chunks) {
      const a = performance.now();
      matcher.find(c);
      maxChunk = Math.max(maxChunk, performance.now() - a);
    }
  });
  const lower = text.toLowerCase().replace(/[-\u00A0]/g, ' ');
  const sortedForms = idx300.forms.map((f) => f.text.toLowerCase()).sort((a, b) => b.length - a.length);
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${sortedForms.map(escapeRe).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  const floor = time(() => {
    re.lastIndex = 0;
    let n = 0;
    while (re.exec(lower)) n++;
    void n;
  });
  rows.push({
    test: 'page size',
    words,
    chars: text.length,
    forms: idx300.forms.length,
    mentions,
    hits,
    buildMs: +buildMs.toFixed(2),
    findMs: +whole.toFixed(2),
    slicedMs: +sliced.toFixed(2),
    chunks: chunks.length,
    maxChunkMs: +maxChunk.toFixed(2),
    regexFloorMs: +floor.toFixed(2),
  });
}

// 2. Glossary size growth (100k words).
for (const nTerms of [100, 300, 1000, 3000]) {
  const idx = syntheticIndex(nTerms, 3);
  const { text } = syntheticText(100_000, idx, 5);
  const t0 = performance.now();
  const matcher = createMatcher(idx);
  const buildMs = performance.now() - t0;
  let hits = 0;
  const ms = time(() => {
    hits = matcher.find(text).length;
  });
  rows.push({ test: 'glossary size', words: 100_000, terms: nTerms, forms: idx.forms.length, hits, buildMs: +buildMs.toFixed(2), findMs: +ms.toFixed(2) });
}

// 3. Per-call overhead on small chunks.
{
  const matcher = createMatcher(idx300);
  const small = 'The multistakeholder model and the IGF met in Geneva.';
  const n = 20_000;
  const ms = time(() => {
    for (let i = 0; i < n; i++) matcher.find(small);
  }, 3);
  rows.push({ test: 'per-call overhead', callChars: small.length, calls: n, usPerCall: +((ms / n) * 1000).toFixed(2) });
}

// 4. Real dataset: matcher build, lookup per query.
async function realDataset(): Promise<void> {
  if (!existsSync(new URL('../lib/dataset/index.ts', import.meta.url))) {
    rows.push({ test: 'real dataset', note: 'lib/dataset/index.ts not present yet' });
    return;
  }
  const mod = (await import('../lib/dataset/index')) as {
    loadDataset: () => Dataset;
    compileIndex: (d: Dataset) => CompiledIndex;
  };
  const ds = mod.loadDataset();
  const idx = mod.compileIndex(ds);
  let t0 = performance.now();
  const matcher = createMatcher(idx);
  rows.push({ test: 'real dataset', terms: idx.terms.length, forms: idx.forms.length, matcherBuildMs: +(performance.now() - t0).toFixed(2) });
  const { text } = syntheticText(500_000, idx, 9);
  let hits = 0;
  const ms = time(() => {
    hits = matcher.find(text).length;
  });
  rows.push({ test: 'real dataset find', words: 500_000, chars: text.length, hits, findMs: +ms.toFixed(2) });
  // Dense IG prose (guards exercised on every chunk): the contribution + Tunis §§69-72 fixture repeated to
  // ~500k words, matched in ~20k-char chunks with one shared MatchContext (as the page layer would).
  const fx = readFileSync(new URL('../tests/fixtures/match/contribution-tunis.txt', import.meta.url), 'utf8');
  const reps = Math.ceil(500_000 / fx.split(/\s+/).length);
  const ig = Array.from({ length: reps }, () => fx).join('\n');
  const igChunks: string[] = [];
  for (let i = 0; i < ig.length; ) {
    const nl = ig.indexOf('\n', i + 20_000);
    const j = nl < 0 ? ig.length : nl + 1;
    igChunks.push(ig.slice(i, j));
    i = j;
  }
  let igHits = 0;
  let igMax = 0;
  const igMs = time(() => {
    const ctx = { title: 'ISOC contribution to the WGEC', pageText: () => ig };
    igHits = 0;
    for (const c of igChunks) {
      const a = performance.now();
      igHits += matcher.find(c, ctx).length;
      igMax = Math.max(igMax, performance.now() - a);
    }
  }, 3);
  const lowerIg = ig.toLowerCase();
  const forms = idx.forms.map((f) => f.text.toLowerCase()).sort((a, b) => b.length - a.length);
  const reIg = new RegExp(`(?<![\\p{L}\\p{N}])(?:${forms.map(escapeRe).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  const igFloor = time(() => {
    reIg.lastIndex = 0;
    while (reIg.exec(lowerIg));
  }, 3);
  rows.push({ test: 'real dataset, dense IG text', words: reps * fx.split(/\s+/).length, chars: ig.length, chunks: igChunks.length, hits: igHits, findMs: +igMs.toFixed(2), maxChunkWallMs: +igMax.toFixed(2), regexFloorMs: +igFloor.toFixed(2) });

  t0 = performance.now();
  const lookup = createLookup(ds);
  rows.push({ test: 'lookup build', ms: +(performance.now() - t0).toFixed(2) });
  const queries = ['i', 'in', 'inclusiv', 'multistakholder', 'IXP', 'tunis 69', 'ICANN', 'digital divide', 'enhanced cooperation wsis', 'xyzzy'];
  for (const q of queries) {
    const per = time(() => void lookup.search(q, 10), 20);
    rows.push({ test: 'lookup', query: q, ms: +per.toFixed(3), first: lookup.search(q, 1)[0]?.id ?? null });
  }
  // Every keystroke of a typed query.
  const typed = 'multistakeholder approach';
  const ks: number[] = [];
  for (let i = 1; i <= typed.length; i++) ks.push(time(() => void lookup.search(typed.slice(0, i), 10), 5));
  rows.push({ test: 'lookup keystrokes', query: typed, maxMs: +Math.max(...ks).toFixed(3), medianMs: +median(ks).toFixed(3) });
}

await realDataset();

if (json) console.log(JSON.stringify(rows, null, 2));
else for (const r of rows) console.log(Object.entries(r).map(([k, v]) => `${k}=${v}`).join('  '));
