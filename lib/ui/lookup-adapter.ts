import type { Dataset } from '@/lib/dataset/types';
import type { Lookup, LookupResult } from '@/lib/match';
import type { ResultItem } from './types';

type Range = readonly [number, number];

/** Case-insensitive occurrences of `needle` in `hay` as [start, end) ranges. */
function plainRanges(hay: string, needle: string): Range[] {
  const h = hay.toLowerCase();
  const n = needle.toLowerCase().trim();
  if (n.length < 2) return [];
  const out: Range[] = [];
  for (let i = h.indexOf(n); i >= 0; i = h.indexOf(n, i + n.length)) out.push([i, i + n.length]);
  return out;
}

/**
 * Turn a lib/match LookupResult into what the result list shows: title ranges become
 * [start, end) ranges; when the hit was an alias or translation, that text is shown as a
 * subtitle with its own ranges. Exact hits reported without usable ranges (e.g. an id hit)
 * get plain case-insensitive ranges for the query in the title or an alias.
 */
export function toResultItem(r: LookupResult, query = '', dataset?: Dataset): ResultItem {
  const toRanges = (idx: [number, number][]): Range[] => idx.map(([s, e]) => [s, e + 1] as const);
  const item: ResultItem = { kind: r.kind, id: r.id, title: r.title };
  const titleMatch = r.matches.find((m) => m.key === 'title' && m.value === r.title);
  const other = r.matches.find((m) => m.key === 'aliases' || m.key === 'translations');
  if (titleMatch) item.ranges = toRanges(titleMatch.indices);
  const setSub = (label: string, value: string, ranges: Range[]) => {
    item.subtitle = `${label}: ${value}`;
    const shift = label.length + 2;
    item.subtitleRanges = ranges.map(([s, e]) => [s + shift, e + shift] as const);
  };
  if (other && other.value !== r.title) {
    setSub(other.key === 'translations' ? 'translation' : 'also', other.value, toRanges(other.indices));
  }
  if (!item.ranges?.length && !item.subtitle && query) {
    const inTitle = plainRanges(r.title, query);
    if (inTitle.length) item.ranges = inTitle;
    else if (r.kind === 'term' && dataset) {
      const term = dataset.terms.find((t) => t.id === r.id);
      const alias = term?.aliases.find((a) => plainRanges(a, query).length);
      if (alias) setSub('also', alias, plainRanges(alias, query));
    }
  }
  return item;
}

/** A search function for the Lookup component over a lib/match Lookup. */
export function searchWith(lookup: Lookup, dataset?: Dataset, limit = 30): (q: string) => ResultItem[] {
  return (q) => lookup.search(q, limit).map((r) => toResultItem(r, q, dataset));
}

/**
 * Run a few typical queries once (exact, prefix, typo, multi-word), so the lookup's code is compiled and
 * its lazily built fuzzy buckets exist before the first real keystroke: cold, a first typo query takes
 * 10–20 ms; warm, every keystroke stays under 2 ms (scripts/lookup-timing.ts).
 */
export function warmLookup(lookup: Lookup): void {
  for (const q of ['i', 'internet exchange p', 'multistakholder', 'tunis 69', 'enhanced coperation', 'gouvernance']) {
    try {
      lookup.search(q, 10);
    } catch {
      return; // a failing query shows up when the person types it, not here
    }
  }
}
