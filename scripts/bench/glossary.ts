import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CompiledForm, CompiledIndex, CompiledTerm } from '../../lib/dataset/types';
import { syntheticForms } from './generate';

/** Used only while lib/dataset does not exist yet (the bench says so in its output). */
const FALLBACK_FORMS = [
  'Internet Governance Forum', 'IGF', 'IGFs', 'multistakeholder', 'multi-stakeholder', 'multistakeholderism',
  'multistakeholder model', 'Internet Society', 'ISOC', 'Internet Engineering Task Force', 'IETF',
  'Internet Architecture Board', 'IAB', 'ICANN', 'IANA', 'IANA stewardship transition', 'Regional Internet Registries',
  'RIRs', 'International Telecommunication Union', 'ITU', 'UNCTAD', 'CSTD', 'ECOSOC', 'WGEC',
  'Working Group on Enhanced Cooperation', 'enhanced cooperation', 'WSIS', 'World Summit on the Information Society',
  'Tunis Agenda', 'Tunis Agenda for the Information Society', 'WSIS+10', 'NETmundial', 'Global Digital Compact',
  'Sustainable Development Goals', 'SDGs', 'Internet exchange point', 'Internet exchange points', 'IXP', 'IXPs',
  'Domain Name System', 'DNS', 'ccTLD', 'IPv6', 'Border Gateway Protocol', 'BGP', 'MANRS', 'RPKI', 'DDoS',
  'cybersecurity', 'Internet of Things', 'IoT', 'Internet governance', 'open standards', 'interoperability',
  'permissionless innovation', 'digital divide', 'meaningful access', 'civil society', 'technical community',
  'private sector', 'stakeholders', 'Multistakeholder Advisory Group', 'Best Practice Forums', 'Dynamic Coalitions',
  'bottom-up', 'critical Internet resources', 'Internet fragmentation', 'end-to-end principle', 'data breaches',
];

export interface Glossary {
  index: CompiledIndex;
  /** Distinct surface forms as written in the dataset. */
  forms: string[];
  source: 'dataset' | 'fallback';
  note?: string;
}

function fallbackIndex(): CompiledIndex {
  const terms: CompiledTerm[] = FALLBACK_FORMS.map((f, i) => ({ id: `t${i}`, label: f, related: [] }));
  const forms: CompiledForm[] = FALLBACK_FORMS.map((f, i) => ({ text: f, term: i, cs: /^[A-Z0-9+-]+s?$/.test(f) }));
  return { version: 'fallback', terms, forms };
}

/** The real compiled glossary (`compileIndex(loadDataset())`), or a small hard-coded list until lib/dataset lands. */
export async function loadGlossary(root: string): Promise<Glossary> {
  const mod = resolve(root, 'lib/dataset/index.ts');
  if (existsSync(mod)) {
    try {
      const ds: any = await import(mod);
      const index: CompiledIndex = ds.compileIndex(ds.loadDataset());
      return { index, forms: [...new Set(index.forms.map((f) => f.text))], source: 'dataset' };
    } catch (e) {
      const index = fallbackIndex();
      return { index, forms: FALLBACK_FORMS, source: 'fallback', note: `lib/dataset failed: ${(e as Error).message}` };
    }
  }
  return { index: fallbackIndex(), forms: FALLBACK_FORMS, source: 'fallback', note: 'lib/dataset/index.ts missing' };
}

/**
 * A CompiledIndex of `termCount` terms: the real terms first (up to termCount), then synthetic terms
 * of pseudo-words (1–3 forms each) that do not occur in the page, so the hits stay those of the real
 * glossary and only the glossary grows.
 */
export function syntheticIndex(real: CompiledIndex, termCount: number): CompiledIndex {
  const keep = Math.min(termCount, real.terms.length);
  const terms: CompiledTerm[] = real.terms.slice(0, keep);
  const forms: CompiledForm[] = real.forms.filter((f) => f.term < keep);
  const extra = termCount - keep;
  const pool = syntheticForms(extra * 2 + 10);
  let p = 0;
  for (let i = 0; i < extra; i++) {
    const id = terms.length;
    terms.push({ id: `syn${i}`, label: pool[p], related: [] });
    const n = 1 + (i % 2);
    for (let k = 0; k < n && p < pool.length; k++, p++) {
      forms.push({ text: pool[p], term: id, cs: /^[A-Z]+$/.test(pool[p]) });
    }
  }
  return { version: `synthetic-${termCount}`, terms, forms };
}
