import { useEffect, useRef } from 'preact/hooks';
import type { Dataset, GuidanceEntry, Source, Term } from '@/lib/dataset/types';
import { CopyCitation } from './CopyCitation';
import { KindBadge } from './KindBadge';
import { SourceLinks } from './SourceLinks';
import { KIND_LABEL, type EntryRef } from './types';

/** Find what a ref points to in the dataset. */
export function resolveEntry(ds: Dataset, ref: EntryRef): GuidanceEntry | Term | Source | undefined {
  if (ref.kind === 'term') return ds.terms.find((t) => t.id === ref.id);
  if (ref.kind === 'source') return ds.sources.find((s) => s.id === ref.id);
  return ds.entries.find((e) => e.id === ref.id);
}

function sourcesById(ds: Dataset, ids: readonly string[] | undefined): Source[] {
  return (ids ?? []).map((id) => ds.sources.find((s) => s.id === id)).filter((s): s is Source => Boolean(s));
}

function guidanceRef(ds: Dataset, id: string): EntryRef | undefined {
  const e = ds.entries.find((x) => x.id === id);
  return e ? { kind: e.kind, id: e.id } : undefined;
}

function EntryLink({ ds, target, onOpen }: { ds: Dataset; target: EntryRef; onOpen: (r: EntryRef) => void }) {
  const item = resolveEntry(ds, target);
  if (!item) return null;
  const title = 'label' in item ? item.label : item.title;
  return (
    <button type="button" class="gl-link-button" onClick={() => onOpen(target)}>
      <KindBadge kind={target.kind} id={target.id} /> {title}
    </button>
  );
}

/**
 * The full view of a guidance entry, a glossary term or a source: summary, quotes with
 * source and section, related terms and entries (navigable), source links, dataset version
 * and Copy citation. Focus moves to the heading when it opens (for screen readers and keyboard).
 */
export function EntryDetail({
  dataset,
  entry,
  onOpen,
  onBack,
}: {
  dataset: Dataset;
  entry: EntryRef;
  onOpen: (ref: EntryRef) => void;
  onBack?: () => void;
}) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [entry.kind, entry.id]);
  const item = resolveEntry(dataset, entry);
  const back = onBack ? (
    <button type="button" class="gl-button gl-back" onClick={onBack}>
      <span aria-hidden="true">←</span> Back
    </button>
  ) : null;
  if (!item) {
    return (
      <section class="gl-detail" aria-labelledby="gl-detail-h">
        {back}
        <h2 id="gl-detail-h" tabIndex={-1} ref={headingRef}>
          Not found
        </h2>
        <p>This entry is not in dataset version {dataset.version}.</p>
      </section>
    );
  }

  let body: preact.ComponentChild;
  let title: string;
  let citeSources: Source[] = [];
  if (entry.kind === 'term') {
    const t = item as Term;
    title = t.label;
    citeSources = sourcesById(dataset, t.sources);
    const related = t.related.map((id) => guidanceRef(dataset, id)).filter((r): r is EntryRef => Boolean(r));
    const tr = [...(t.translations?.fr ?? []).map((x) => `${x} (fr)`), ...(t.translations?.es ?? []).map((x) => `${x} (es)`)];
    body = (
      <>
        <p class="gl-summary">{t.definition}</p>
        {t.aliases.length ? (
          <p>
            <span class="gl-label">Also written: </span>
            {t.aliases.join(', ')}
          </p>
        ) : null}
        {tr.length ? (
          <p>
            <span class="gl-label">Translations: </span>
            {tr.join(', ')}
          </p>
        ) : null}
        {t.ambiguous ? <p class="gl-muted">{t.ambiguous.note}</p> : null}
        {related.length ? (
          <>
            <h3>What ISOC recommends</h3>
            <ul class="gl-related">
              {related.map((r) => (
                <li key={r.id}>
                  <EntryLink ds={dataset} target={r} onOpen={onOpen} />
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </>
    );
  } else if (entry.kind === 'source') {
    const s = item as Source;
    title = s.title;
    citeSources = [s];
    const citing = dataset.entries.filter((e) => e.sources.includes(s.id));
    body = (
      <>
        <p class="gl-summary">{s.description}</p>
        <p>
          {s.publisher}, {s.year}
        </p>
        {s.note ? <p class="gl-muted">{s.note}</p> : null}
        {citing.length ? (
          <>
            <h3>Entries drawn from it</h3>
            <ul class="gl-related">
              {citing.map((e) => (
                <li key={e.id}>
                  <EntryLink ds={dataset} target={{ kind: e.kind, id: e.id }} onOpen={onOpen} />
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </>
    );
  } else {
    const g = item as GuidanceEntry;
    title = g.title;
    citeSources = sourcesById(dataset, g.sources);
    const terms = g.terms.map((id) => dataset.terms.find((t) => t.id === id)).filter((t): t is Term => Boolean(t));
    const relatedEntries = dataset.entries.filter(
      (e) => e.id !== g.id && e.terms.some((t) => g.terms.includes(t)) && (e.kind === 'principle' || e.kind === 'recommendation'),
    );
    body = (
      <>
        <p class="gl-summary">{g.summary}</p>
        {g.quotes.length ? (
          <>
            <h3>In ISOC’s words</h3>
            {g.quotes.map((q, i) => {
              const src = dataset.sources.find((s) => s.id === q.source);
              return (
                <figure class="gl-quote" key={i}>
                  <blockquote cite={src?.url}>
                    <p>{q.text}</p>
                  </blockquote>
                  <figcaption>
                    — {src ? src.title : q.source}
                    {q.section ? `, ${q.section}` : ''}
                  </figcaption>
                </figure>
              );
            })}
          </>
        ) : null}
        {terms.length ? (
          <>
            <h3>Related terms</h3>
            <ul class="gl-chips">
              {terms.map((t) => (
                <li key={t.id}>
                  <button type="button" class="gl-chip" onClick={() => onOpen({ kind: 'term', id: t.id })}>
                    {t.label}
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {relatedEntries.length ? (
          <>
            <h3>Related principles and recommendations</h3>
            <ul class="gl-related">
              {relatedEntries.slice(0, 8).map((e) => (
                <li key={e.id}>
                  <EntryLink ds={dataset} target={{ kind: e.kind, id: e.id }} onOpen={onOpen} />
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </>
    );
  }

  return (
    <section class="gl-detail" aria-labelledby="gl-detail-h">
      {back}
      <p class="gl-detail-kind">
        <KindBadge kind={entry.kind} id={entry.id} />
      </p>
      <h2 id="gl-detail-h" tabIndex={-1} ref={headingRef}>
        {title}
      </h2>
      {body}
      {citeSources.length ? (
        <>
          <h3>{entry.kind === 'source' ? 'Link' : 'Sources'}</h3>
          <SourceLinks sources={citeSources} />
          <CopyCitation source={citeSources[0]} entryTitle={entry.kind === 'source' ? undefined : title} />
        </>
      ) : null}
      <p class="gl-version gl-muted">
        {KIND_LABEL[entry.kind]} from Governance Lens dataset version {dataset.version}.
      </p>
    </section>
  );
}
