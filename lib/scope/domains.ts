/**
 * Internet-governance domains where Governance Lens is on by default.
 * Rule shown to people: a domain covers all of its subdomains
 * (un.org covers www.un.org and press.un.org).
 */
/**
 * The content script's file in the build (entrypoints/annotate, an unlisted script): declared in the
 * manifest's content_scripts (wxt.config.ts), registered for "Always on this site", injected on demand.
 */
export const CONTENT_SCRIPT_FILE = 'annotate.js';

/**
 * The document_start script declared and registered with it (entrypoints/highlight-sheet): it adopts
 * the highlight stylesheet before the page is first styled (lib/page/early-sheet.ts).
 */
export const SHEET_SCRIPT_FILE = 'highlight-sheet.js';

export const DEFAULT_DOMAINS: readonly string[] = [
  'un.org',
  'intgovforum.org',
  'itu.int',
  'unctad.org',
  'icann.org',
  'internetsociety.org',
  'ietf.org',
  'iana.org',
  'unesco.org',
  'dig.watch',
  'wsis.org',
  'rfc-editor.org',
  'iab.org',
  'ripe.net',
  'oecd.org',
];

/** Match patterns (both schemes, domain and its subdomains) for a list of domains. */
export function matchPatternsFor(domains: readonly string[]): string[] {
  return domains.map((d) => `*://*.${d}/*`);
}

/** The manifest's match patterns for the default scope. */
export function defaultMatchPatterns(): string[] {
  return matchPatternsFor(DEFAULT_DOMAINS);
}

/** True when `host` is `domain` itself or one of its subdomains. */
export function hostInDomain(host: string, domain: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const d = domain.toLowerCase();
  return h === d || h.endsWith('.' + d);
}
