import type { GuidanceEntry, Source } from '@/lib/dataset/types';

/**
 * A plain-text citation: entry title (when given), source title, publisher
 * ("Internet Society"), year and URL. Pure; used by CopyCitation, the card and the briefing.
 */
export function formatCitation(source: Source, entryTitle?: string): string {
  const publisher = source.publisher?.trim() || 'Internet Society';
  const parts: string[] = [];
  if (entryTitle && entryTitle.trim() && entryTitle.trim() !== source.title.trim()) {
    parts.push(`“${entryTitle.trim()}”, in: ${source.title.trim()}.`);
  } else {
    parts.push(`${source.title.trim()}.`);
  }
  parts.push(`${publisher}, ${source.year}.`);
  parts.push(source.url);
  return parts.join(' ');
}

/**
 * Citation for a guidance entry: its title with its first source that exists in `sources`.
 * Returns undefined when the entry has no known source.
 */
export function formatEntryCitation(entry: GuidanceEntry, sources: readonly Source[]): string | undefined {
  const source = entry.sources.map((id) => sources.find((s) => s.id === id)).find(Boolean);
  return source ? formatCitation(source, entry.title) : undefined;
}
