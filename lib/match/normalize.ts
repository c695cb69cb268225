/**
 * Length-preserving text normalisation for matching.
 *
 * Every function here maps the input char by char (UTF-16 code unit by code unit), so
 * offset i in the output is offset i in the input: spans found in the normalised text
 * map 1:1 back to DOM text positions.
 */

import { SPACE_RANGES, WORD_RANGES } from './unicode-classes';

/** Marker for chars the matcher ignores inside a token (soft hyphen, zero-width chars, combining marks). */
export const SKIP_CHAR = '\u00AD';
export const SKIP_CODE = 0x00ad;

/** Character classes used by the matcher (see `charClass`). */
export const CharClass = {
  Unknown: 0,
  /** Letter, digit or non-diacritic mark: part of a token. */
  Word: 1,
  /** Space-like (spaces, NBSP, thin spaces, tabs, CR, other Zs). */
  Space: 2,
  /** Hyphens and dashes. */
  Hyphen: 3,
  /** '\n' — the block separator: matches never cross it. */
  Newline: 4,
  /** Ignored inside a token: soft hyphen, zero-width chars, combining diacritics. */
  Skip: 5,
  /** Anything else: a one-char punctuation token. */
  Punct: 6,
} as const;
export type CharClass = (typeof CharClass)[keyof typeof CharClass];

const WORD_RE = /[\p{L}\p{N}\p{M}]/u;
const SPACE_RE = /[\s\p{Zs}]/u;

/** Per-code-unit caches (0 = not computed yet). Filled lazily so module load stays cheap. */
export const CLASS_TABLE = new Uint8Array(65536);
const CLASS = CLASS_TABLE;
export const FOLD_TABLE = new Uint16Array(65536);
const FOLD = FOLD_TABLE; // case- and diacritic-folded code unit (+1, 0 = unknown)
const BASE = new Uint16Array(65536); // diacritic-folded, case kept (+1, 0 = unknown)

const HYPHENS = [0x2d, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63, 0xff0d];
const ZERO_WIDTH = [0x00ad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x180e];
const APOSTROPHES = [0x2019, 0x2018, 0x02bc, 0x60, 0xb4, 0x2032, 0xff07];

function isCombiningDiacritic(c: number): boolean {
  return (
    (c >= 0x0300 && c <= 0x036f) ||
    (c >= 0x1ab0 && c <= 0x1aff) ||
    (c >= 0x1dc0 && c <= 0x1dff) ||
    (c >= 0x20d0 && c <= 0x20ff) ||
    (c >= 0xfe20 && c <= 0xfe2f)
  );
}

/** The class rules, given the two Unicode-property tests (white space / space separator; letter, number, mark). */
function classify(c: number, isSpace: (c: number) => boolean, isWord: (c: number) => boolean): CharClass {
  if (c === 0x0a) return CharClass.Newline;
  if (HYPHENS.includes(c)) return CharClass.Hyphen;
  if (ZERO_WIDTH.includes(c) || isCombiningDiacritic(c)) return CharClass.Skip;
  // Surrogate halves (emoji, rare astral scripts): one-char tokens, so "📢IGF" still has a boundary.
  if (c >= 0xd800 && c <= 0xdfff) return CharClass.Punct;
  if (isSpace(c)) return CharClass.Space;
  if (isWord(c)) return CharClass.Word;
  return CharClass.Punct;
}

/**
 * Class of a code unit by the defining rules (Unicode property regexes). `computeClass` answers without
 * them (fast paths, then range tables generated from these regexes): compiling a `\p{…}` regex is the
 * costliest part of a cold start, and a content script would pay it on every page. Tests use this one.
 */
export function charClassByRegex(c: number): CharClass {
  return classify(
    c,
    (x) => SPACE_RE.test(String.fromCharCode(x)),
    (x) => WORD_RE.test(String.fromCharCode(x)),
  );
}

/** Packed ranges (lib/match/unicode-classes.ts) decoded on first use: [first, last, first, last, …]. */
let wordRanges: Uint16Array | null = null;
let spaceRanges: Uint16Array | null = null;
function decodeRanges(packed: string): Uint16Array {
  const out = new Uint16Array(packed.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(packed.slice(4 * i, 4 * i + 4), 16);
  return out;
}
function inRanges(r: Uint16Array, c: number): boolean {
  let lo = 0;
  let hi = r.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < r[2 * mid]) hi = mid - 1;
    else if (c > r[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}
const isSpaceByTable = (c: number): boolean => inRanges((spaceRanges ??= decodeRanges(SPACE_RANGES)), c);
const isWordByTable = (c: number): boolean => inRanges((wordRanges ??= decodeRanges(WORD_RANGES)), c);

/** Same result as charClassByRegex (a test checks every code unit), without a regex: fast paths, then the range tables. */
function computeClass(c: number): CharClass {
  if (c < 0x80) {
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return CharClass.Word;
    if (c === 0x0a) return CharClass.Newline;
    if (c === 0x2d) return CharClass.Hyphen;
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return CharClass.Space;
    return CharClass.Punct;
  }
  if (c < 0x100) {
    if (c === 0xa0) return CharClass.Space;
    if (c === 0xad) return CharClass.Skip;
    // Letters (ª µ º À–Ö Ø–ö ø–ÿ) and numbers (² ³ ¹ ¼ ½ ¾).
    if ((c >= 0xc0 && c !== 0xd7 && c !== 0xf7) || c === 0xaa || c === 0xb5 || c === 0xba) return CharClass.Word;
    if (c === 0xb2 || c === 0xb3 || c === 0xb9 || (c >= 0xbc && c <= 0xbe)) return CharClass.Word;
    return CharClass.Punct;
  }
  // CJK ideographs (Extension A and the unified block) and Hangul syllables: letters, every one of them.
  // A Chinese or Korean page has thousands of distinct ones; each would cost a table search here, and an
  // NFD and a lower-casing in baseCode/foldCode, on first sight.
  if (isCjkLetter(c)) return CharClass.Word;
  if (c >= 0x2000 && c <= 0x206f) {
    if (HYPHENS.includes(c)) return CharClass.Hyphen;
    if (ZERO_WIDTH.includes(c)) return CharClass.Skip;
    if (c <= 0x200a || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f) return CharClass.Space;
    return CharClass.Punct;
  }
  return classify(c, isSpaceByTable, isWordByTable);
}

/** Class of one UTF-16 code unit (cached). */
export function charClass(c: number): CharClass {
  let k = CLASS[c];
  if (k === 0) {
    k = computeClass(c);
    CLASS[c] = k;
  }
  return k as CharClass;
}

/** Diacritic-stripped base code unit (case kept); the original when stripping would change the length. */
/** U+3400–4DBF, U+4E00–9FFF, U+AC00–D7A3: all letters, no case, nothing to fold (tests check it). */
function isCjkLetter(c: number): boolean {
  return (c >= 0x3400 && c <= 0x9fff && (c <= 0x4dbf || c >= 0x4e00)) || (c >= 0xac00 && c <= 0xd7a3);
}

function computeBase(c: number): number {
  if (isCjkLetter(c)) return c;
  const cls = charClass(c);
  if (cls === CharClass.Skip) return SKIP_CODE;
  if (cls === CharClass.Space || cls === CharClass.Hyphen) return 0x20;
  if (cls === CharClass.Newline) return 0x0a;
  if (APOSTROPHES.includes(c)) return 0x27;
  if (cls !== CharClass.Word || c < 0xc0 || (c >= 0xd800 && c <= 0xdfff)) return c;
  const d = String.fromCharCode(c).normalize('NFD');
  if (d.length > 1) {
    for (let i = 1; i < d.length; i++) if (!isCombiningDiacritic(d.charCodeAt(i))) return c;
    return d.charCodeAt(0);
  }
  return c;
}

/** Base code unit, case kept (cached). */
export function baseCode(c: number): number {
  let v = BASE[c];
  if (v === 0) {
    v = computeBase(c) + 1;
    BASE[c] = v;
  }
  return v - 1;
}

function computeFold(c: number): number {
  if (c < 0x80) return c >= 0x41 && c <= 0x5a ? c + 32 : computeBase(c);
  if (isCjkLetter(c)) return c;
  const b = baseCode(c);
  if (charClass(c) !== CharClass.Word || (b >= 0xd800 && b <= 0xdfff)) return b;
  const lower = String.fromCharCode(b).toLowerCase();
  // 'İ'.toLowerCase() has length 2: keep the original to preserve offsets.
  return lower.length === 1 ? lower.charCodeAt(0) : b;
}

/** Case- and diacritic-folded code unit (cached). */
export function foldCode(c: number): number {
  let v = FOLD[c];
  if (v === 0) {
    v = computeFold(c) + 1;
    FOLD[c] = v;
  }
  return v - 1;
}

// Warm the caches for ASCII at load (microseconds); other chars are classified on first sight.
for (let c = 0; c < 0x80; c++) foldCode(c);

function mapString(text: string, fn: (c: number) => number): string {
  const n = text.length;
  let out = '';
  let chunk: number[] = [];
  for (let i = 0; i < n; i++) {
    chunk.push(fn(text.charCodeAt(i)));
    if (chunk.length === 8192) {
      out += String.fromCharCode.apply(null, chunk);
      chunk = [];
    }
  }
  if (chunk.length) out += String.fromCharCode.apply(null, chunk);
  return out;
}

/**
 * Normalise text for case-insensitive matching, keeping the length exactly (1:1 offsets):
 * case fold, diacritics stripped (é→e), hyphens/dashes/NBSP/thin spaces/tabs/other whitespace →
 * ' ' ('\n' stays: it is the block separator), typographic apostrophes → "'", and soft hyphen,
 * zero-width chars and combining marks → `SKIP_CHAR` (U+00AD), which the matcher ignores inside tokens.
 */
export function normalizeForMatch(text: string): string {
  return mapString(text, foldCode);
}

/** Same as `normalizeForMatch` but case-preserving (for case-sensitive forms such as acronyms). */
export function normalizeForMatchCased(text: string): string {
  return mapString(text, baseCode);
}

/**
 * Key of a form or a word for lookups: folded, SKIP chars removed, whitespace/hyphen runs collapsed to one
 * space, trimmed. Not length-preserving.
 */
export function foldKey(text: string): string {
  return normalizeForMatch(text).replace(/\u00AD/g, '').replace(/ +/g, ' ').trim();
}
