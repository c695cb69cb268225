import type { Source } from '@/lib/dataset/types';

/**
 * Links to ISOC sources: each opens in a new tab (rel noopener noreferrer) and names
 * its publisher and year. Stable props — the in-page card imports this component.
 */
export function SourceLinks({ sources, showDescription = false }: { sources: Source[]; showDescription?: boolean }) {
  if (!sources.length) return null;
  return (
    <ul class="gl-sources">
      {sources.map((s) => (
        <li key={s.id}>
          <a href={s.url} target="_blank" rel="noopener noreferrer">
            {s.title}
          </a>{' '}
          <span class="gl-muted">
            ({s.publisher}, {s.year})<span class="gl-visually-hidden"> (opens in a new tab)</span>
          </span>
          {showDescription && s.description ? <p class="gl-source-desc">{s.description}</p> : null}
          {showDescription && s.note ? <p class="gl-source-note gl-muted">{s.note}</p> : null}
        </li>
      ))}
    </ul>
  );
}
