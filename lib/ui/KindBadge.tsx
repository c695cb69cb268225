import { KIND_LABEL, type EntryKind } from './types';

/** A small visible label naming what kind of entry something is. */
export function KindBadge({ kind, id }: { kind: EntryKind; id?: string }) {
  const showId = id && (kind === 'principle' || kind === 'recommendation');
  return (
    <span class={`gl-badge gl-badge-${kind}`}>
      {KIND_LABEL[kind] ?? kind}
      {showId ? ` ${id}` : ''}
    </span>
  );
}
