import type { Dataset, Source } from '@/lib/dataset/types';
import type { CardData, CardSource } from '@/lib/messaging/protocol';

/**
 * Card data path (documented choice): the content script bundles only the minimal CompiledIndex.
 * When a card opens it asks the background for `glens:cardData` by term id; the background (which
 * may load the full dataset) answers with `buildCardData(dataset, termId)`. Pure, no DOM.
 * The reply is validated with CardDataSchema in the content script before rendering.
 */
export function buildCardData(ds: Dataset, termId: string): CardData | null {
  const term = ds.terms.find((t) => t.id === termId);
  if (!term) return null;
  const sources = new Map(ds.sources.map((s) => [s.id, s]));
  const link = (id: string): CardSource | null => {
    const s: Source | undefined = sources.get(id);
    return s ? { id: s.id, title: s.title, publisher: s.publisher, year: s.year, url: s.url } : null;
  };
  const links = (ids: readonly string[]): CardSource[] =>
    ids.map(link).filter((s): s is CardSource => s !== null);
  const entries = new Map(ds.entries.map((e) => [e.id, e]));
  const related = term.related.flatMap((id) => {
    const e = entries.get(id);
    if (!e) return [];
    const q = e.quotes[0];
    const qs = q ? link(q.source) : null;
    return [
      {
        id: e.id,
        kind: e.kind,
        title: e.title,
        summary: e.summary,
        quote: q && qs ? { text: q.text, section: q.section, source: qs } : undefined,
        sources: links(e.sources),
      },
    ];
  });
  return {
    termId: term.id,
    label: term.label,
    definition: term.definition,
    datasetVersion: ds.version,
    related,
    sources: links(term.sources ?? []),
  };
}
