/**
 * One short run of the matcher over text that takes every branch of the scanner, before the page's text.
 *
 * Why: V8 optimises a hot function with the type feedback gathered so far. A branch the text has not
 * taken yet (a first hyphen in a gap, a char not in the class tables, a gap over 255 chars, a guard's
 * callback) has no feedback, so when page text reaches it the optimised code is thrown away and the
 * function is compiled again. In the service worker, which matches most of a long page, that was `walk`
 * and `tokenize` each compiled three times by the optimising compiler during one 100k-word page (Chromium
 * 156, `--trace-opt --trace-deopt`): ~350 ms of compile time on background threads, taking a core from
 * the page on a 2-core machine. Running every branch once in the interpreter first fills the feedback.
 *
 * Short on purpose: it fills feedback, it does not make the scanner hot. Repeating it until `walk` is
 * compiled by the optimising compiler took 40 rounds (~45 ms more in Node) and did not shorten the next
 * 100k page's own time (4 + 4 runs); that compile now happens once, during the first long page.
 */
import type { Matcher } from './matcher';
import { reserveTokens } from './trie';

/*
 * Every class of char (word letters of several scripts and cases, digits, combining marks, spaces,
 * NBSP, tabs, hyphens and dashes, soft hyphens, zero-width chars, apostrophes, punctuation, surrogate
 * pairs, '\n'), a gap longer than 255 chars, hyphen-joined and spaced word pairs, possessives, plurals,
 * ALL-CAPS names, acronyms in and out of identifiers, and guarded terms with and without their context.
 * Terms of the dataset are used where they exist; the rest is still scanned (any text warms the scanner).
 */
export const WARMUP_TEXT = [
  'The Internet Governance Forum (IGF) and ICANN’s multi-stakeholder model; multistakeholderism, multi\u00adstakeholder, multi stakeholder.',
  'IGFs, ICANN\'s role, the Tunis Agenda\'s paragraphs 69–71 — enhanced co-operation, enhanced cooperation on public policy issues.',
  'Internet exchange points (IXPs) and an IXP; Internet\u00a0Society, THE INTERNET SOCIETY, the Information Society, WSIS+10.',
  'The IAB publishes RFCs with the IETF on Internet architecture. Interactive Advertising Bureau (IAB) guidelines.',
  'See www.intgovforum.org/igf-2016/, mail igf@un.org, x_IGF a=IGF ICANN.org \\IGF /ICANN/ https://icann.org/.',
  'É À Ñ résumé coopération cooperación Interneta Интернет 互联网 إنترنت ٢٠١٦ 2016 ½ e\u0301 Ǆǅǆ ﬁ ß İ ı.',
  'Co‑operation co‐operation co–operation — dash - hyphen \u2212 minus; zero\u200bwidth\u200cjoin\u2060word\ufeff.',
  '“Quotes” «guillemets» ‘single’ (parens) [brackets] {braces} § ¶ € $ % & * + = ? ! ; : , . … @ # ^ ~ | < > 😀 🇺🇳',
  'tab\there\r\ncr' + ' '.repeat(300) + 'after a long gap . . . . . . . . . . . . . . . . . . . . . . . . end',
  'digital divide, Internet governance, net neutrality, capacity building, human rights, open standards, DNS, IPv6.',
].join('\n');

/**
 * Run the matcher over WARMUP_TEXT as a page's pass would (page signals fed, guarded terms with and without
 * context, one at the very start of a text). Results are dropped; only V8's feedback, the matcher's lazily
 * built trie nodes and char tables, and the token buffers stay. ~13 ms cold in Node (once per background start).
 * @param m the matcher to warm (its state is unchanged apart from those caches)
 * @param reserveChars grow the token buffers now for texts this long (the longest text expected)
 */
export function warmUpMatcher(m: Matcher, reserveChars = 0): void {
  const signals = { head: new Set<number>(), body: new Set<number>() };
  m.addPageText(signals, WARMUP_TEXT);
  m.find(WARMUP_TEXT, { signals, onPageRejected: () => undefined });
  // Without page signals too: the guards' other paths (title and URL scanned, text read lazily).
  m.find(WARMUP_TEXT, { title: 'IGF 2016 — IETF', url: 'https://www.intgovforum.org/igf-2016/', pageText: WARMUP_TEXT });
  m.find(WARMUP_TEXT.toUpperCase());
  // A guarded term at offset 0 (the "(IAB)" check reads the char before it: NaN there, not a small integer).
  m.find('IAB, the IETF and RFCs.', { signals });
  if (reserveChars > 0) reserveTokens(reserveChars);
}
