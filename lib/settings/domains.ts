import { DEFAULT_DOMAINS, hostInDomain } from '@/lib/scope/domains';

/** Result of validating a domain typed by a person. */
export type DomainCheck = { ok: true; domain: string } | { ok: false; error: string };

/** What the site-list inputs accept, shown next to them and in errors. */
export const DOMAIN_RULE =
  'Enter a domain name such as example.org — no http://, no path, no wildcard. A domain covers all of its subdomains: un.org covers www.un.org and press.un.org.';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Validate and normalise a domain for the site lists (lower case, no trailing dot,
 * internationalised names converted to their xn-- form). Errors say what is accepted.
 * `allowHost` also accepts localhost and IPv4 addresses (used for hosts taken from a tab URL).
 */
export function validateDomain(input: string, opts: { allowHost?: boolean } = {}): DomainCheck {
  const raw = input.trim();
  if (!raw) return { ok: false, error: 'Enter a domain name, for example example.org.' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) || /^[a-z]+:/i.test(raw) && !/^[^:]+:\d+$/.test(raw)) {
    return { ok: false, error: `“${raw}” includes a scheme. Enter only the domain, without http:// or https:// (for example example.org).` };
  }
  if (raw.includes('*')) {
    return {
      ok: false,
      error: `Wildcards are not needed: enter “${raw.replace(/^[*.]+/, '') || 'example.org'}” — a domain already covers all of its subdomains.`,
    };
  }
  if (/\s/.test(raw)) return { ok: false, error: `“${raw}” contains a space. A domain name has no spaces (for example example.org).` };
  if (/[/?#]/.test(raw)) return { ok: false, error: `Enter only the domain, without a path (“${raw.split(/[/?#]/)[0]}”).` };
  if (/:\d*$/.test(raw)) return { ok: false, error: 'Enter the domain without a port number.' };
  if (raw.includes('@')) return { ok: false, error: 'A domain name cannot contain “@”.' };
  let host: string;
  try {
    host = new URL(`http://${raw}/`).hostname.toLowerCase();
  } catch {
    return { ok: false, error: `“${raw}” is not a valid domain name. Use letters, digits, hyphens and dots (for example example.org).` };
  }
  host = host.replace(/\.$/, '');
  if (IPV4.test(host) || host.startsWith('[')) {
    if (opts.allowHost) return { ok: true, domain: host };
    return { ok: false, error: 'Enter a domain name, not an IP address.' };
  }
  if (host === 'localhost' && opts.allowHost) return { ok: true, domain: host };
  const labels = host.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || host.length > 253) {
    return { ok: false, error: `“${raw}” is not a valid domain name. Use letters, digits, hyphens and at least one dot (for example example.org).` };
  }
  if (/^\d+$/.test(labels[labels.length - 1])) {
    return { ok: false, error: `“${raw}” is not a valid domain name.` };
  }
  return { ok: true, domain: host };
}

/** True when a host/domain string is valid for storage (used when coercing stored settings). */
export function isValidStoredHost(value: string): boolean {
  const r = validateDomain(value, { allowHost: true });
  return r.ok && r.domain === value;
}

/** The default domain that covers `host`, if any. */
export function defaultDomainFor(host: string): string | undefined {
  return DEFAULT_DOMAINS.find((d) => hostInDomain(host, d));
}

/** Match pattern for a domain and its subdomains (both schemes). */
export function originPatternFor(domain: string): string {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(domain) || domain === 'localhost' ? `*://${domain}/*` : `*://*.${domain}/*`;
}
