import { useState } from 'preact/hooks';
import type { CardData, CardSource } from '@/lib/messaging/protocol';
import { cardCitation } from './copy';

/** Props: only dataset data (looked up by term id) — never text taken from the page. */
export interface CardProps {
  termId: string;
  /** Label from the compiled index, shown while the details load. */
  label: string;
  data: CardData | null;
  status: 'loading' | 'ready' | 'unavailable';
  datasetVersion: string;
  theme: 'auto' | 'light' | 'dark';
  onClose: () => void;
  onCopy: (text: string) => Promise<boolean>;
}

const KIND_LABEL: Record<string, string> = {
  principle: 'Principle',
  recommendation: 'Recommendation',
  characteristic: 'Characteristic',
  instrument: 'Instrument',
};

function SourceLink({ s }: { s: CardSource }) {
  return (
    <a href={s.url} target="_blank" rel="noopener noreferrer">
      {s.title}
    </a>
  );
}

/** The in-page card: term, definition, related ISOC guidance with one quote each, sources, citation. */
export function Card(props: CardProps) {
  const { data, label, status } = props;
  const [copied, setCopied] = useState('');
  const [help, setHelp] = useState(false);
  const title = data?.label ?? label;
  const copy = async (text: string, what: string) => {
    const ok = await props.onCopy(text);
    setCopied(ok ? `Citation copied: ${what}` : 'Copy failed: select the link text instead.');
  };
  const firstSource = data?.related.flatMap((r) => r.sources)[0] ?? data?.sources[0];
  return (
    <div
      class="card"
      role="dialog"
      aria-label={`${title}: Governance Lens`}
      aria-describedby="glens-card-def"
      tabIndex={-1}
      data-theme={props.theme}
      data-term={props.termId}
    >
      <div class="top">
        <div class="grow">
          <div class="brand">Governance Lens</div>
          <h2>{title}</h2>
        </div>
        <button type="button" class="close" aria-label="Close (Esc)" title="Close (Esc)" onClick={props.onClose}>
          ×
        </button>
      </div>
      {status === 'loading' && !data && (
        <p class="def muted" id="glens-card-def">
          Loading…
        </p>
      )}
      {status === 'unavailable' && !data && (
        <p class="def muted" id="glens-card-def">
          Details are unavailable here. Open the Governance Lens popup for this term.
        </p>
      )}
      {data && (
        <p class="def" id="glens-card-def">
          {data.definition}
        </p>
      )}
      {data && data.related.length > 0 && (
        <>
          <h3 class="section-title">What the Internet Society recommends</h3>
          <ul>
            {data.related.map((r) => {
              const cite = r.quote?.source ?? r.sources[0];
              return (
                <li class="entry" key={r.id}>
                  <div class="etitle">
                    <span class="badge" title={KIND_LABEL[r.kind] ?? r.kind}>
                      {r.id}
                    </span>
                    {r.title}
                  </div>
                  <p class="summary">{r.summary}</p>
                  {r.quote && (
                    <blockquote>
                      “{r.quote.text}”
                      <cite class="cite">
                        — <SourceLink s={r.quote.source} />
                        {r.quote.section ? `, ${r.quote.section}` : ''}
                      </cite>
                    </blockquote>
                  )}
                  <div class="row">
                    {r.sources
                      .filter((s) => s.id !== r.quote?.source.id)
                      .map((s) => (
                        <SourceLink key={s.id} s={s} />
                      ))}
                    {cite && (
                      <button
                        type="button"
                        aria-label={`Copy citation for ${r.id} ${r.title}`}
                        onClick={() => copy(cardCitation(cite, r.title), r.id)}
                      >
                        Copy citation
                      </button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {data && data.related.length === 0 && (
        <p class="help muted">A glossary term: no specific ISOC principle or recommendation is tied to it.</p>
      )}
      {data && data.sources.length > 0 && (
        <div class="sources">
          <span class="muted">Sources: </span>
          {data.sources.map((s, i) => (
            <span key={s.id}>
              {i > 0 ? '; ' : ''}
              <SourceLink s={s} />
            </span>
          ))}
          {data.related.length === 0 && firstSource && (
            <>
              {' '}
              <button type="button" aria-label={`Copy citation for ${firstSource.title}`} onClick={() => copy(cardCitation(firstSource), firstSource.title)}>
                Copy citation
              </button>
            </>
          )}
        </div>
      )}
      <div class="foot">
        <button type="button" aria-expanded={help} onClick={() => setHelp(!help)}>
          More in the popup / side panel
        </button>
        <span class="version">Dataset {props.datasetVersion}</span>
      </div>
      {help && (
        <p class="help">
          Click the Governance Lens button in the toolbar: the popup shows this entry in full, everything found “On this
          page”, lookup and the briefing export. The side panel keeps “On this page” open while you read. Shortcuts:
          Alt+Shift+J / Alt+Shift+K move to the next / previous term.
        </p>
      )}
      <p class="status" role="status" aria-live="polite">
        {copied}
      </p>
    </div>
  );
}
