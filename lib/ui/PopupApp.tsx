import { useEffect, useRef, useState } from 'preact/hooks';
import type { Dataset } from '@/lib/dataset/types';
import { EntryDetail } from './EntryDetail';
import { Lookup } from './Lookup';
import type { PageBridge } from './page-bridge';
import { PagePanel } from './PagePanel';
import { QuickLinks } from './QuickLinks';
import { SettingsNoticeBanner } from './SettingsNoticeBanner';
import type { EntryRef, ResultItem } from './types';
import { useSettings } from './useSettings';

export interface AppProps {
  dataset: Dataset;
  search: (q: string) => ResultItem[];
  bridge: PageBridge;
  /** Opens the options page (runtime.openOptionsPage in the extension). */
  openOptions?: () => void;
  /** Opens the side panel / sidebar, when the browser allows it from here. */
  openSidePanel?: () => void;
}

/**
 * The popup: lookup first (focus in the search box), then this page's state, controls and
 * terms, then the ISOC sources. Choosing an entry opens its detail view; Back returns with
 * focus in the search box and the query kept.
 */
export function PopupApp({ dataset, search, bridge, openOptions, openSidePanel }: AppProps) {
  const prefs = useSettings();
  const [stack, setStack] = useState<EntryRef[]>([]);
  const [query, setQuery] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const current = stack[stack.length - 1];

  useEffect(() => {
    if (!current) inputRef.current?.focus();
  }, [current]);

  const open = (ref: EntryRef) => setStack((s) => [...s, ref]);
  const back = () => setStack((s) => s.slice(0, -1));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && current) {
        e.preventDefault();
        back();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [current]);

  return (
    <div class="gl-app gl-popup">
      <header class="gl-header">
        <h1>Governance Lens</h1>
        <nav class="gl-header-actions" aria-label="Extension">
          {openSidePanel ? (
            <button type="button" class="gl-button gl-small" onClick={openSidePanel}>
              Side panel
            </button>
          ) : null}
          {openOptions ? (
            <button type="button" class="gl-button gl-small" onClick={openOptions}>
              Settings
            </button>
          ) : null}
        </nav>
      </header>
      <SettingsNoticeBanner notice={prefs.notice} onDismiss={prefs.dismissNotice} />
      <main>
        {current ? (
          <EntryDetail dataset={dataset} entry={current} onOpen={open} onBack={back} />
        ) : (
          <>
            <Lookup dataset={dataset} search={search} onOpen={open} query={query} setQuery={setQuery} inputRef={inputRef} />
            <PagePanel dataset={dataset} bridge={bridge} prefs={prefs} onOpen={open} />
            <details class="gl-quick">
              <summary>
                <h2 class="gl-summary-h">ISOC sources ({dataset.sources.length})</h2>
              </summary>
              <QuickLinks sources={dataset.sources} />
            </details>
          </>
        )}
      </main>
      <footer class="gl-footer gl-muted">Dataset version {dataset.version} · works offline, sends nothing</footer>
    </div>
  );
}
