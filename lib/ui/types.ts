import type { GuidanceKind } from '@/lib/dataset/types';

/** What the UI can show in detail: a guidance entry, a glossary term or a source. */
export type EntryKind = GuidanceKind | 'term' | 'source';

/** One lookup result as the UI shows it. `ranges` are [start, end) offsets into `title`. */
export interface ResultItem {
  kind: EntryKind;
  id: string;
  title: string;
  /** Extra line, e.g. the alias or translation that matched. */
  subtitle?: string;
  ranges?: ReadonlyArray<readonly [number, number]>;
  /** Ranges into `subtitle`. */
  subtitleRanges?: ReadonlyArray<readonly [number, number]>;
}

/** A reference to something the detail view can open. */
export interface EntryRef {
  kind: EntryKind;
  id: string;
}

export const KIND_LABEL: Record<EntryKind, string> = {
  principle: 'Principle',
  recommendation: 'Recommendation',
  characteristic: 'Characteristic',
  instrument: 'Instrument',
  term: 'Term',
  source: 'Source',
};
