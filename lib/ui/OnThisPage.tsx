import type { Dataset } from '@/lib/dataset/types';
import type { PageReport, PageReportTerm } from '@/lib/messaging/protocol';
import { touchedGuidance } from './briefing';
import { KindBadge } from './KindBadge';
import type { EntryRef } from './types';

/**
 * The page's terms grouped by the principle/recommendation they relate to, with counts.
 * Choosing a term asks the page to scroll to its next occurrence and open its card.
 */
export function OnThisPage({
  report,
  dataset,
  onFocusTerm,
  onOpen,
  headingLevel = 3,
}: {
  report: PageReport;
  dataset: Dataset;
  onFocusTerm: (termId: string) => void;
  onOpen?: (ref: EntryRef) => void;
  headingLevel?: 2 | 3;
}) {
  const H = headingLevel === 2 ? 'h3' : 'h4';
  const touched = touchedGuidance(report, dataset);
  // Principles and recommendations get a group each; characteristics and instruments a compact line.
  const groups = touched.filter((g) => g.entry.kind === 'principle' || g.entry.kind === 'recommendation');
  const alsoTouched = touched.filter((g) => g.entry.kind !== 'principle' && g.entry.kind !== 'recommendation');
  const other = report.terms.filter((t) => !t.related.some((id) => groups.some((g) => g.entry.id === id)));
  const totalOcc = report.terms.reduce((n, t) => n + t.count, 0);
  if (!report.terms.length) {
    return <p class="gl-muted">{report.state === 'running' ? 'Still reading the page…' : 'No Internet-governance terms found on this page.'}</p>;
  }
  return (
    <div class="gl-on-page">
      <p class="gl-muted">
        {report.terms.length} term{report.terms.length === 1 ? '' : 's'}, {totalOcc} occurrence{totalOcc === 1 ? '' : 's'}
        {report.state === 'running' ? ' so far (still reading)' : ''}.
      </p>
      {groups.map(({ entry, count, terms }) => (
        <section class="gl-group" key={entry.id} aria-label={`${entry.id} ${entry.title}`}>
          <H class="gl-group-h">
            <KindBadge kind={entry.kind} id={entry.id} />{' '}
            {onOpen ? (
              <button type="button" class="gl-link-button" onClick={() => onOpen({ kind: entry.kind, id: entry.id })}>
                {entry.title} <Count n={count} />
              </button>
            ) : (
              <span>
                {entry.title} <Count n={count} />
              </span>
            )}
          </H>
          <TermButtons terms={terms} onFocusTerm={onFocusTerm} />
        </section>
      ))}
      {alsoTouched.length ? (
        <section class="gl-group" aria-label="Other ISOC guidance this page touches">
          <H class="gl-group-h">Also touches</H>
          <ul class="gl-also">
            {alsoTouched.map(({ entry, count }) => (
              <li key={entry.id}>
                <KindBadge kind={entry.kind} />{' '}
                {onOpen ? (
                  <button type="button" class="gl-link-button" onClick={() => onOpen({ kind: entry.kind, id: entry.id })}>
                    {entry.title}
                  </button>
                ) : (
                  entry.title
                )}{' '}
                <span class="gl-muted">({count})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {other.length ? (
        <section class="gl-group" aria-label="Other terms">
          <H class="gl-group-h">{groups.length ? 'Other terms' : 'Terms'}</H>
          <TermButtons terms={other} onFocusTerm={onFocusTerm} />
        </section>
      ) : null}
    </div>
  );
}

function TermButtons({ terms, onFocusTerm }: { terms: PageReportTerm[]; onFocusTerm: (id: string) => void }) {
  const sorted = [...terms].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return (
    <ul class="gl-chips">
      {sorted.map((t) => (
        <li key={t.id}>
          <button
            type="button"
            class="gl-chip"
            onClick={() => onFocusTerm(t.id)}
            aria-label={`${t.label}, ${t.count} on this page — go to next occurrence`}
          >
            {t.label} <span class="gl-chip-count">{t.count}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function Count({ n }: { n: number }) {
  return (
    <span class="gl-count">
      {n}
      <span class="gl-visually-hidden"> mention{n === 1 ? '' : 's'}</span>
    </span>
  );
}
