/**
 * Dataset → CompiledIndex: the minimal, literal form list the content script's matcher needs
 * (no summaries, quotes or definitions). Pure and deterministic.
 */
import type { CompiledForm, CompiledIndex, CompiledTerm, Dataset, Term } from './types';
import { aliasKey } from './normalize';
import { termForms } from './schema';

/** Tokens that read as acronyms: "IXPs", "DCs", "ccTLD", "gTLDs" (the plural/prefixed kinds with lower case). */
const ACRONYM_PLURAL = /^[A-Z][A-Z0-9+&]*[A-Z0-9+]s$/;
const ACRONYM_PREFIXED = /^[a-z]{1,2}[A-Z]{2,}s?$/;

/**
 * True when a form must match case-sensitively as an acronym: it has no lower-case letter and at least two
 * capitals ("IGF", "WSIS+10", "ITU-T", "A/RES/70/125", "IGF 2016"), or every token is an acronym-like
 * token ("IXPs", "NRIs", "ccTLDs").
 */
export function isAcronymForm(form: string): boolean {
  const caps = form.match(/\p{Lu}/gu)?.length ?? 0;
  if (!/\p{Ll}/u.test(form) && caps >= 2) return true;
  const tokens = form.split(/[\s\-/]+/).filter(Boolean);
  return (
    tokens.length > 0 &&
    tokens.every((t) => ACRONYM_PLURAL.test(t) || ACRONYM_PREFIXED.test(t) || (!/\p{Ll}/u.test(t) && /\p{Lu}/u.test(t)) || /^\d+$/.test(t)) &&
    tokens.some((t) => ACRONYM_PLURAL.test(t) || ACRONYM_PREFIXED.test(t))
  );
}

/** Count nouns whose plural is a sensible variant at the end of a multi-word English form. */
const PLURALS: Record<string, string> = {
  address: 'addresses', agreement: 'agreements', approach: 'approaches', attack: 'attacks', breach: 'breaches',
  cable: 'cables', coalition: 'coalitions', community: 'communities', consultation: 'consultations',
  country: 'countries', device: 'devices', divide: 'divides', domain: 'domains', framework: 'frameworks',
  group: 'groups', hub: 'hubs', initiative: 'initiatives', leak: 'leaks', line: 'lines', mechanism: 'mechanisms',
  meeting: 'meetings', model: 'models', network: 'networks', number: 'numbers', organisation: 'organisations',
  organization: 'organizations', point: 'points', principle: 'principles', process: 'processes', report: 'reports',
  resource: 'resources', standard: 'standards', summary: 'summaries',
};
const FUNCTION_WORDS = new Set(['of', 'on', 'for', 'to', 'the', 'and', 'in', 'by', 'with', 'a', 'an', 'is', 'are', 'my', 'your', 'our', 'their']);

/** Plural variant of a multi-word English noun phrase ("Internet exchange point" → "…points"), or null. */
export function pluralOf(form: string): string | null {
  const words = form.split(/[\s-]+/).filter(Boolean);
  if (words.length < 2 || words.some((w) => FUNCTION_WORDS.has(w.toLowerCase()))) return null;
  if (words.every((w) => /^\p{Lu}/u.test(w))) return null; // Title Case proper name ("Domain Name System")
  const m = /([A-Za-z]+)$/.exec(form);
  if (!m) return null;
  const last = m[1];
  const plural = PLURALS[last.toLowerCase()];
  if (!plural || last !== last.toLowerCase()) return null;
  return form.slice(0, form.length - last.length) + plural;
}

function csSet(t: Term): Set<string> {
  return new Set(t.caseSensitive ?? []);
}

/**
 * Compile the dataset into the content script's index: every term's label, aliases and FR/ES translations
 * as literal forms, plus plural variants of multi-word English noun phrases (never for organisation names
 * or case-sensitive forms). Acronyms and `caseSensitive` forms get `cs: true`. Hyphen/space/case/diacritic
 * variants are left to the matcher's normalisation. Forms are de-duplicated per term; a generated plural
 * that another term already owns is dropped.
 */
export function compileIndex(ds: Dataset): CompiledIndex {
  const terms: CompiledTerm[] = ds.terms.map((t) => ({
    id: t.id,
    label: t.label,
    related: [...t.related],
    ...(t.ambiguous ? { context: [...t.ambiguous.context] } : {}),
  }));

  const ownerOfKey = new Map<string, number>();
  ds.terms.forEach((t, ti) => {
    for (const f of termForms(t)) if (!ownerOfKey.has(aliasKey(f))) ownerOfKey.set(aliasKey(f), ti);
  });

  const forms: CompiledForm[] = [];
  ds.terms.forEach((t, ti) => {
    const cs = csSet(t);
    const seen = new Set<string>();
    const add = (text: string) => {
      const form = text.trim();
      if (!form) return;
      const isCs = cs.has(form) || isAcronymForm(form);
      const key = `${isCs ? 'cs' : 'ci'}:${isCs ? form : aliasKey(form)}`;
      if (seen.has(key)) return;
      seen.add(key);
      forms.push({ text: form, term: ti, cs: isCs });
    };
    const english = [t.label, ...t.aliases];
    for (const f of termForms(t)) add(f);
    for (const f of t.caseSensitive ?? []) add(f);
    if (t.category !== 'organisation') {
      for (const f of english) {
        if (cs.has(f) || isAcronymForm(f)) continue;
        const p = pluralOf(f);
        if (!p) continue;
        const owner = ownerOfKey.get(aliasKey(p));
        if (owner !== undefined && owner !== ti) continue;
        add(p);
      }
    }
  });

  return {
    version: ds.version,
    terms,
    forms,
    guidance: ds.entries.map((e) => ({ id: e.id, kind: e.kind, title: e.title })),
  };
}
