/**
 * Text keys used by dataset validation and compilation (not length-preserving; the matcher has its own
 * 1:1 normaliser in lib/match/normalize.ts, and these keys fold at least as much as it does).
 */

const APOSTROPHES = /[\u2018\u2019\u02BC\u0060\u00B4\u2032\uFF07]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033]/g;
const HYPHENS = /[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const DIACRITICS = /[\u0300-\u036f]/g;

/**
 * Key under which two aliases count as "the same form": case, diacritics, typographic apostrophes,
 * hyphens/dashes and whitespace runs are folded ("Multi-stakeholder" ≡ "multi stakeholder").
 */
export function aliasKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(DIACRITICS, '')
    .replace(APOSTROPHES, "'")
    .replace(HYPHENS, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Key for verbatim-quote checks: whitespace runs collapsed, typographic quotes made straight, and the
 * source's Markdown emphasis and dead link syntax removed ("**a**" → "a", "[a](#)" → "a"). Letters,
 * punctuation and dashes are kept exactly.
 */
export function quoteKey(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*+/g, '')
    .replace(APOSTROPHES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(/\s+/g, ' ')
    .trim();
}
