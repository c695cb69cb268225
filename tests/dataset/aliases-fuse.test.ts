/**
 * fuse.js role 3: near-duplicate aliases across terms. Every form is searched against the forms of all
 * other terms with a strict threshold; similar-length hits are near-duplicates that would confuse readers
 * (or a fuzzy matcher) unless they are listed below with the reason they are legitimately distinct.
 */
import Fuse from 'fuse.js';
import { describe, expect, it } from 'vitest';
import { aliasKey } from '../../lib/dataset/normalize';
import { termForms } from '../../lib/dataset/schema';
import { dataset } from './helpers';

const THRESHOLD = 0.15;
const MIN_LENGTH_RATIO = 0.75;

/** Term pairs (sorted ids) whose forms are close in spelling but name different things. */
const DISTINCT: Record<string, string> = {
  'a-res-70-125|sustainable-development-goals': 'A/RES/70/125 (WSIS+10 outcome) and A/RES/70/1 (2030 Agenda) are different GA resolutions',
  'developing-countries|dynamic-coalitions': '"LDCs" (least developed countries) vs "DCs" (Dynamic Coalitions): case-sensitive whole tokens',
  'domain-name-system|multilingualism': '"DNS" vs "IDNs" (internationalised domain names): case-sensitive whole tokens',
  'wg-igf-improvements|wgig': '"WGIGF" (2011-12 group on IGF improvements) vs "WGIG" (2004-05 Working Group on Internet Governance)',
  'internet-governance|internet-governance-forum': 'the concept vs the forum; the longer form wins by leftmost-longest matching',
  'tunis-agenda-paragraph-72|wsis-tunis-agenda': '"Tunis Agenda §72" (IGF mandate paragraph) vs the whole document',
  'multistakeholder-model|stakeholder': '"multistakeholder" (the model) vs "stakeholders" (the actors)',
  'wsis-plus-10|wsis-plus-20': 'the ten-year (2015) and twenty-year (2025) WSIS reviews',
  'enhanced-cooperation|wgec': 'the process vs the working group named after it; the longer form wins',
};

function nearDuplicatePairs(): Map<string, string[]> {
  const recs = dataset.terms.flatMap((t) => termForms(t).map((form) => ({ form, key: aliasKey(form), term: t.id })));
  const fuse = new Fuse(recs, { keys: ['key'], includeScore: true, threshold: THRESHOLD, ignoreLocation: true });
  const pairs = new Map<string, string[]>();
  for (const r of recs) {
    for (const hit of fuse.search(r.key)) {
      const o = hit.item;
      if (o.term === r.term || (hit.score ?? 1) > THRESHOLD) continue;
      if (Math.min(o.key.length, r.key.length) / Math.max(o.key.length, r.key.length) < MIN_LENGTH_RATIO) continue;
      const pair = [r.term, o.term].sort().join('|');
      const list = pairs.get(pair) ?? [];
      list.push(`"${r.form}" ~ "${o.form}" (${hit.score!.toFixed(3)})`);
      pairs.set(pair, list);
    }
  }
  return pairs;
}

describe('near-duplicate aliases (fuse.js)', () => {
  const pairs = nearDuplicatePairs();

  it('flags no near-duplicate forms across terms except the listed distinct pairs', () => {
    const unexpected = [...pairs].filter(([pair]) => !(pair in DISTINCT)).map(([pair, ex]) => `${pair}: ${ex[0]}`);
    expect(unexpected).toEqual([]);
  });

  it('keeps the whitelist honest: every listed pair is still flagged', () => {
    expect(Object.keys(DISTINCT).filter((p) => !pairs.has(p))).toEqual([]);
  });

  it('would flag a planted near-duplicate', () => {
    const recs = [{ key: aliasKey('Internet exchange points') }];
    const fuse = new Fuse(recs, { keys: ['key'], includeScore: true, threshold: THRESHOLD, ignoreLocation: true });
    expect(fuse.search(aliasKey('Internet exchange point')).length).toBe(1);
  });
});
