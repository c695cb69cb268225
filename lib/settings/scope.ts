import { hostInDomain } from '@/lib/scope/domains';
import { defaultDomainFor } from './domains';
import type { Settings, SiteMode } from './schema';

/*
 * The scope decision, without the validation library: the document_start script uses it too
 * (lib/settings/prefetch.ts), and it must stay small.
 */

export type ScopeWhy = 'paused' | 'never' | 'always' | 'default' | 'extra' | 'outside';

export interface ScopeDecision {
  /** True when the page should be annotated automatically. */
  on: boolean;
  why: ScopeWhy;
  /** The glens:start reason when on. */
  reason?: 'default-scope' | 'site-always';
  /** The domain/site key that decided, e.g. "un.org". */
  domain?: string;
  /** One line for the popup, e.g. "On here: default scope (un.org covers its subdomains)". */
  label: string;
}

/** The most specific site-mode key covering `host`. */
export function siteModeFor(host: string, s: Settings): { key: string; mode: SiteMode } | undefined {
  let best: { key: string; mode: SiteMode } | undefined;
  for (const [key, mode] of Object.entries(s.siteModes)) {
    if (hostInDomain(host, key) && (!best || key.length > best.key.length)) best = { key, mode };
  }
  return best;
}

/**
 * Whether a host is annotated automatically, and why. Precedence: paused > the most
 * specific site choice (never/always) > default domains > added domains > off.
 */
export function decideScope(host: string, s: Settings): ScopeDecision {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (s.paused) return { on: false, why: 'paused', label: 'Paused everywhere — nothing is annotated until you resume.' };
  const site = siteModeFor(h, s);
  if (site?.mode === 'never') {
    return { on: false, why: 'never', domain: site.key, label: `Off here: you chose Never on ${site.key}${site.key === h ? '' : ' (covers its subdomains)'}.` };
  }
  if (site?.mode === 'always') {
    return { on: true, why: 'always', reason: 'site-always', domain: site.key, label: `On here: you chose Always on ${site.key} (covers its subdomains).` };
  }
  const def = defaultDomainFor(h);
  if (def) return { on: true, why: 'default', reason: 'default-scope', domain: def, label: `On here: default scope (${def} covers its subdomains).` };
  const extra = s.extraDomains.find((d) => hostInDomain(h, d));
  if (extra) return { on: true, why: 'extra', reason: 'default-scope', domain: extra, label: `On here: your added domain ${extra} (covers its subdomains).` };
  return { on: false, why: 'outside', label: 'Off here: this site is not in the default scope. Annotate it on demand, or choose Always on this site.' };
}
