import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Dataset } from '@/lib/dataset/types';
import type { PageReport } from '@/lib/messaging/protocol';
import { decideScope } from '@/lib/settings';
import { briefingFileName, buildBriefing } from './briefing';
import { copyText } from './clipboard';
import { OnThisPage } from './OnThisPage';
import { downloadText, webHost, type PageBridge, type TabInfo } from './page-bridge';
import type { EntryRef } from './types';
import type { SettingsState } from './useSettings';

function annotatedText(reason: string | undefined): string {
  return reason === 'on-demand' ? 'Annotated on demand.' : 'Annotated.';
}

/**
 * "This page": the state line, page controls (Annotate, Always/Never on this site, Pause
 * everywhere), the page's terms grouped by principle/recommendation, and the briefing export.
 * Shared by the popup and the side panel (which passes follow=true to track the active tab).
 */
export function PagePanel({
  dataset,
  bridge,
  prefs,
  follow = false,
  onOpen,
  headingLevel = 2,
}: {
  dataset: Dataset;
  bridge: PageBridge;
  prefs: SettingsState;
  follow?: boolean;
  onOpen?: (ref: EntryRef) => void;
  headingLevel?: 2 | 3;
}) {
  const [tab, setTab] = useState<TabInfo | undefined>();
  const [report, setReport] = useState<PageReport | null>(null);
  const [loading, setLoading] = useState(true);
  const [message, setMessage] = useState('');
  const pollRef = useRef<ReturnType<typeof setTimeout>>();

  const refresh = useCallback(async () => {
    clearTimeout(pollRef.current);
    const t = await bridge.activeTab().catch(() => undefined);
    setTab(t);
    const r = t ? await bridge.getReport(t.id) : null;
    setReport(r);
    setLoading(false);
    // While the page is still being read, ask again shortly.
    if (r?.state === 'running') pollRef.current = setTimeout(() => void refresh(), 600);
  }, [bridge]);

  useEffect(() => {
    void refresh();
    const off = follow ? bridge.onTabChange(() => void refresh()) : () => {};
    return () => {
      off();
      clearTimeout(pollRef.current);
    };
  }, [bridge, follow, refresh]);

  // Settings changes (never/pause) alter the page; look again.
  useEffect(() => {
    if (!loading) {
      const id = setTimeout(() => void refresh(), 300);
      return () => clearTimeout(id);
    }
  }, [prefs.settings]);

  const H = headingLevel === 2 ? 'h2' : 'h3';
  const url = tab?.url ?? report?.url;
  const host = webHost(url);
  const s = prefs.settings;
  const decision = host ? decideScope(host, s) : undefined;
  const annotated = report && report.state !== 'off' && report.state !== 'idle';
  const siteMode = host ? (s.siteModes[host] ?? 'default') : 'default';

  const annotate = async () => {
    if (!tab) return;
    setMessage('Annotating…');
    const r = await bridge.annotate(tab.id);
    setMessage(r.ok ? 'Annotating this page.' : (r.error ?? 'Could not annotate this page.'));
    await refresh();
  };

  const setMode = (mode: 'default' | 'always' | 'never') => {
    if (!host) return;
    // Permission first, synchronously inside the user gesture.
    const permission = mode === 'always' ? bridge.requestSite(host) : Promise.resolve(true);
    void (async () => {
      if (!(await permission)) {
        setMessage(`Permission for ${host} was not granted; nothing changed.`);
        return;
      }
      const err = await prefs.save((cur) => {
        const siteModes = { ...cur.siteModes };
        if (mode === 'default') delete siteModes[host];
        else siteModes[host] = mode;
        return { ...cur, siteModes };
      });
      if (err) {
        setMessage(err);
        return;
      }
      setMessage(
        mode === 'always'
          ? `Always on ${host} and its subdomains.`
          : mode === 'never'
            ? `Never on ${host} and its subdomains.`
            : `${host} follows the default scope again.`,
      );
      if (mode === 'always' && tab && !annotated) await bridge.annotate(tab.id);
      await refresh();
    })();
  };

  const togglePause = async (paused: boolean) => {
    const err = await prefs.save({ paused });
    setMessage(err ?? (paused ? 'Paused everywhere.' : 'Resumed.'));
  };

  const exportReport = async (mode: 'download' | 'copy') => {
    if (!report) return;
    const now = new Date();
    const md = buildBriefing({ report, dataset, date: now });
    if (mode === 'download') {
      downloadText(md, briefingFileName(report.url, now));
      setMessage('Page report downloaded.');
    } else {
      setMessage((await copyText(md)) ? 'Page report copied as Markdown.' : 'Could not copy the report.');
    }
  };

  const focusTerm = async (termId: string) => {
    if (!tab) return;
    const ok = await bridge.focusTerm(tab.id, termId);
    if (!ok) setMessage('The page did not answer; reload it and try again.');
  };

  if (loading) return <p class="gl-muted">Looking at this page…</p>;

  return (
    <section class="gl-page" aria-labelledby="gl-page-h">
      <H id="gl-page-h">On this page</H>
      {report?.title || tab?.title ? <p class="gl-page-title">{report?.title || tab?.title}</p> : null}
      <p class="gl-state">
        <strong>{decision ? decision.label : host === undefined && url ? 'This is a browser page; it cannot be annotated.' : 'This page’s address is not available.'}</strong>
        {annotated ? ` ${annotatedText(report!.reason)}` : decision ? ' Not annotated.' : ''}
      </p>

      {!annotated && host ? (
        <div class="gl-row">
          <button type="button" class="gl-button gl-primary" onClick={annotate} disabled={!tab || s.paused || !host} aria-describedby={s.paused ? 'gl-paused-hint' : undefined}>
            Annotate this page
          </button>
          {s.paused ? (
            <span id="gl-paused-hint" class="gl-muted">
              Resume to annotate.
            </span>
          ) : null}
        </div>
      ) : null}

      {host ? (
        <fieldset class="gl-fieldset">
          <legend>On {host}</legend>
          <div class="gl-segmented">
            {(
              [
                ['default', 'Default'],
                ['always', 'Always on this site'],
                ['never', 'Never on this site'],
              ] as const
            ).map(([value, label]) => (
              <label key={value} class="gl-radio">
                <input type="radio" name="gl-site-mode" value={value} checked={siteMode === value} onChange={() => setMode(value)} />
                {label}
              </label>
            ))}
          </div>
          <p class="gl-hint">A choice covers {host} and all of its subdomains.</p>
        </fieldset>
      ) : null}
      <label class="gl-check">
        <input type="checkbox" checked={s.paused} onChange={(e) => togglePause((e.currentTarget as HTMLInputElement).checked)} />
        Pause everywhere
      </label>

      <p class="gl-status" role="status" aria-live="polite">
        {message}
      </p>

      {report && annotated ? (
        <>
          <OnThisPage report={report} dataset={dataset} onFocusTerm={focusTerm} onOpen={onOpen} headingLevel={headingLevel} />
          {report.terms.length ? (
            <div class="gl-row">
              <button type="button" class="gl-button" onClick={() => exportReport('download')} aria-describedby="gl-export-hint">
                Export page report
              </button>
              <button type="button" class="gl-button" onClick={() => exportReport('copy')}>
                Copy report
              </button>
              <span id="gl-export-hint" class="gl-hint">
                Markdown file with quotes, sources and links to each term’s first occurrence.
              </span>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
