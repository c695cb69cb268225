import { useRef, useState } from 'preact/hooks';
import { DEFAULT_DOMAINS } from '@/lib/scope/domains';
import {
  DOMAIN_RULE,
  exportSettings,
  importSettings,
  resetSettings,
  validateDomain,
  type Settings,
  type SiteMode,
} from '@/lib/settings';
import { downloadText } from './page-bridge';
import { SettingsNoticeBanner } from './SettingsNoticeBanner';
import { useSettings } from './useSettings';

export interface OptionsProps {
  /** Ask for host permission for a domain + subdomains (call inside the click, before any await). */
  requestSite: (domain: string) => Promise<boolean>;
}

type Choice<T extends string> = readonly (readonly [T, string, string?])[];

function RadioGroup<T extends string>({
  legend,
  name,
  value,
  choices,
  onChange,
}: {
  legend: string;
  name: string;
  value: T;
  choices: Choice<T>;
  onChange: (v: T) => void;
}) {
  return (
    <fieldset class="gl-fieldset">
      <legend>{legend}</legend>
      {choices.map(([v, label, hint]) => (
        <label class="gl-radio gl-radio-block" key={v}>
          <input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} />
          <span>
            {label}
            {hint ? <span class="gl-hint"> — {hint}</span> : null}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** A validated "add a domain" form; nothing is saved until the input is valid. */
function DomainForm({
  id,
  label,
  submitLabel,
  onAdd,
  extra,
}: {
  id: string;
  label: string;
  submitLabel: string;
  onAdd: (domain: string) => Promise<string | undefined>;
  extra?: preact.ComponentChild;
}) {
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    const r = validateDomain(value);
    if (!r.ok) {
      setError(r.error);
      inputRef.current?.focus();
      return;
    }
    // onAdd requests permission synchronously inside this submit (user gesture).
    void onAdd(r.domain).then((err) => {
      if (err) {
        setError(err);
        inputRef.current?.focus();
      } else {
        setError('');
        setValue('');
      }
    });
  };
  return (
    <form class="gl-domain-form" onSubmit={submit} noValidate>
      <label for={id} class="gl-label-block">
        {label}
      </label>
      <div class="gl-row">
        <input
          id={id}
          ref={inputRef}
          class="gl-input"
          type="text"
          inputMode="url"
          autoComplete="off"
          spellcheck={false}
          value={value}
          placeholder="example.org"
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint${error ? ` ${id}-err` : ''}`}
          onInput={(e) => {
            setValue((e.currentTarget as HTMLInputElement).value);
            if (error) setError('');
          }}
        />
        {extra}
        <button type="submit" class="gl-button gl-primary">
          {submitLabel}
        </button>
      </div>
      <p id={`${id}-hint`} class="gl-hint">
        {DOMAIN_RULE}
      </p>
      {error ? (
        <p id={`${id}-err`} class="gl-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/**
 * The options page: where Governance Lens runs (default domains, added domains, per-site
 * choices), how it paints (density, kinds), theme, pause, and settings backup (export,
 * validated import, reset). A visible notice when stored settings were repaired.
 */
export function OptionsApp({ requestSite }: OptionsProps) {
  const prefs = useSettings();
  const s = prefs.settings;
  const [status, setStatus] = useState('');
  const [confirmReset, setConfirmReset] = useState(false);
  const [mode, setMode] = useState<SiteMode>('always');
  const fileRef = useRef<HTMLInputElement>(null);

  const save = async (change: Partial<Settings> | ((x: Settings) => Settings), done: string) => {
    const err = await prefs.save(change);
    setStatus(err ?? done);
    return err;
  };

  const addDomain = (domain: string): Promise<string | undefined> => {
    if (DEFAULT_DOMAINS.some((d) => domain === d || domain.endsWith('.' + d))) {
      return Promise.resolve(`${domain} is already covered by the default list.`);
    }
    if (s.extraDomains.includes(domain)) return Promise.resolve(`${domain} is already in your list.`);
    const granted = requestSite(domain);
    return granted.then((ok) =>
      ok
        ? save((x) => ({ ...x, extraDomains: [...x.extraDomains, domain].sort() }), `Added ${domain} (and its subdomains).`)
        : `Permission for ${domain} was not granted; nothing was added.`,
    );
  };

  const addSite = (domain: string): Promise<string | undefined> => {
    const granted = mode === 'always' ? requestSite(domain) : Promise.resolve(true);
    return granted.then((ok) =>
      ok
        ? save((x) => ({ ...x, siteModes: { ...x.siteModes, [domain]: mode } }), `${mode === 'always' ? 'Always' : 'Never'} on ${domain} (and its subdomains).`)
        : `Permission for ${domain} was not granted; nothing was added.`,
    );
  };

  const onImport = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    const r = await importSettings(text);
    setStatus(r.ok ? `Imported settings from ${file.name}.` : r.error);
    input.value = '';
  };

  const sites = Object.entries(s.siteModes).sort(([a], [b]) => a.localeCompare(b));

  return (
    <div class="gl-app gl-options">
      <header class="gl-header">
        <h1>Governance Lens settings</h1>
      </header>
      <SettingsNoticeBanner notice={prefs.notice} onDismiss={prefs.dismissNotice} />
      <p class="gl-status gl-status-banner" role="status" aria-live="polite">
        {status}
      </p>
      {/* The form shows stored values only: until they are read it would show (and let a person act on) the defaults. */}
      {!prefs.loaded ? (
        <main aria-busy="true">
          <p>Loading settings…</p>
        </main>
      ) : (
        <main>
          <section aria-labelledby="o-where">
            <h2 id="o-where">Where it runs</h2>
            <p>
              <strong>A domain covers all of its subdomains:</strong> un.org covers www.un.org and press.un.org. On any
              other site nothing happens until you choose “Annotate this page” in the toolbar popup, or “Always on this
              site”.
            </p>
            <label class="gl-check">
              <input type="checkbox" checked={s.paused} onChange={(e) => save({ paused: (e.currentTarget as HTMLInputElement).checked }, (e.currentTarget as HTMLInputElement).checked ? 'Paused everywhere.' : 'Resumed.')} />
              Pause everywhere
            </label>

            <h3>On by default</h3>
            <ul class="gl-domain-list gl-columns" aria-label="Default domains">
              {DEFAULT_DOMAINS.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>

            <h3>Domains you added</h3>
            {s.extraDomains.length ? (
              <ul class="gl-domain-list">
                {s.extraDomains.map((d) => (
                  <li key={d} class="gl-row">
                    <span>{d}</span>
                    <button
                      type="button"
                      class="gl-button gl-small"
                      aria-label={`Remove ${d}`}
                      onClick={() => save((x) => ({ ...x, extraDomains: x.extraDomains.filter((y) => y !== d) }), `Removed ${d}.`)}
                    >
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p class="gl-muted">None yet.</p>
            )}
            <DomainForm id="o-add-domain" label="Add a domain to the default scope" submitLabel="Add domain" onAdd={addDomain} />

            <h3>Site choices</h3>
            {sites.length ? (
              <ul class="gl-domain-list">
                {sites.map(([d, m]) => (
                  <li key={d} class="gl-row">
                    <span>
                      {m === 'always' ? 'Always on' : 'Never on'} <strong>{d}</strong>
                    </span>
                    <button
                      type="button"
                      class="gl-button gl-small"
                      aria-label={`Remove the choice for ${d}`}
                      onClick={() =>
                        save((x) => {
                          const siteModes = { ...x.siteModes };
                          delete siteModes[d];
                          return { ...x, siteModes };
                        }, `${d} follows the default scope again.`)
                      }
                    >
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p class="gl-muted">None yet. Use the toolbar popup on a page, or add one here.</p>
            )}
            <DomainForm
              id="o-add-site"
              label="Add a site choice"
              submitLabel="Add choice"
              onAdd={addSite}
              extra={
                <select aria-label="Choice for this site" class="gl-select" value={mode} onChange={(e) => setMode((e.currentTarget as HTMLSelectElement).value as SiteMode)}>
                  <option value="always">Always on</option>
                  <option value="never">Never on</option>
                </select>
              }
            />
          </section>

          <section aria-labelledby="o-paint">
            <h2 id="o-paint">What it marks</h2>
            <RadioGroup
              legend="How many occurrences"
              name="density"
              value={s.density}
              choices={[
                ['all', 'Every occurrence'],
                ['first-per-section', 'First occurrence in each section', 'quieter on long documents'],
              ]}
              onChange={(density) => save({ density }, 'Saved: density.')}
            />
            <RadioGroup
              legend="Which terms"
              name="kinds"
              value={s.kinds}
              choices={[
                ['all', 'All glossary terms'],
                ['guided', 'Only terms tied to ISOC principles and recommendations'],
              ]}
              onChange={(kinds) => save({ kinds }, 'Saved: which terms.')}
            />
            <RadioGroup
              legend="Theme of the cards on pages, the popup, side panel and settings"
              name="theme"
              value={s.theme}
              choices={[
                // The card on Auto takes the look of the page under it (lib/page/card-host.ts pageLooksDark).
                ['auto', 'Automatic: a card matches the page it opens on; the rest follows the system'],
                ['light', 'Light'],
                ['dark', 'Dark'],
              ]}
              onChange={(theme) => save({ theme }, 'Saved: theme.')}
            />
          </section>

          <section aria-labelledby="o-backup">
            <h2 id="o-backup">Back up and restore</h2>
            <div class="gl-row">
              <button
                type="button"
                class="gl-button"
                onClick={() => {
                  downloadText(exportSettings(s), 'governance-lens-settings.json', 'application/json');
                  setStatus('Settings exported as governance-lens-settings.json.');
                }}
              >
                Export settings
              </button>
              <label class="gl-button gl-file">
                Import settings…
                <input ref={fileRef} type="file" accept="application/json,.json" class="gl-visually-hidden" onChange={onImport} />
              </label>
            </div>
            <p class="gl-hint">An imported file is checked first; a file with any invalid setting changes nothing.</p>
            {confirmReset ? (
              <div class="gl-row" role="group" aria-label="Confirm reset">
                <span>Reset every setting to its default?</span>
                <button
                  type="button"
                  class="gl-button gl-danger"
                  onClick={async () => {
                    await resetSettings();
                    prefs.dismissNotice();
                    setConfirmReset(false);
                    setStatus('All settings were reset to their defaults.');
                  }}
                >
                  Yes, reset
                </button>
                <button type="button" class="gl-button" onClick={() => setConfirmReset(false)}>
                  Cancel
                </button>
              </div>
            ) : (
              <button type="button" class="gl-button" onClick={() => setConfirmReset(true)}>
                Reset to defaults…
              </button>
            )}
          </section>
          <p class="gl-muted">Governance Lens works offline and sends nothing: no analytics, no network requests.</p>
        </main>
      )}
    </div>
  );
}
