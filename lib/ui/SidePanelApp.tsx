import { useState } from 'preact/hooks';
import { EntryDetail } from './EntryDetail';
import { PagePanel } from './PagePanel';
import type { AppProps } from './PopupApp';
import { SettingsNoticeBanner } from './SettingsNoticeBanner';
import type { EntryRef } from './types';
import { useSettings } from './useSettings';

/** The side panel: "On this page" that stays open and follows the active tab. */
export function SidePanelApp({ dataset, bridge }: Pick<AppProps, 'dataset' | 'bridge'>) {
  const prefs = useSettings();
  const [stack, setStack] = useState<EntryRef[]>([]);
  const current = stack[stack.length - 1];
  return (
    <div class="gl-app gl-sidepanel">
      <header class="gl-header">
        <h1>Governance Lens</h1>
      </header>
      <SettingsNoticeBanner notice={prefs.notice} onDismiss={prefs.dismissNotice} />
      <main>
        {current ? (
          <EntryDetail dataset={dataset} entry={current} onOpen={(r) => setStack((s) => [...s, r])} onBack={() => setStack((s) => s.slice(0, -1))} />
        ) : null}
        {/* Kept mounted (hidden) under the detail view so it keeps following the tab. */}
        <div hidden={Boolean(current)}>
          <PagePanel dataset={dataset} bridge={bridge} prefs={prefs} follow onOpen={(r) => setStack((s) => [...s, r])} />
        </div>
      </main>
      <footer class="gl-footer gl-muted">Dataset version {dataset.version} · works offline, sends nothing</footer>
    </div>
  );
}
