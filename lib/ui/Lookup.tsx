import { useMemo, useRef, useState } from 'preact/hooks';
import type { Dataset } from '@/lib/dataset/types';
import { optionId, ResultList } from './ResultList';
import type { EntryRef, ResultItem } from './types';

/** The eight entries shown for an empty query: P1–P4 then R1–R4, as in the contribution. */
export function defaultItems(ds: Dataset): ResultItem[] {
  const pr = ds.entries.filter((e) => e.kind === 'principle' || e.kind === 'recommendation');
  pr.sort((a, b) => (a.kind === b.kind ? a.id.localeCompare(b.id, 'en', { numeric: true }) : a.kind === 'principle' ? -1 : 1));
  return pr.map((e) => ({ kind: e.kind, id: e.id, title: e.title }));
}

/**
 * Search box + results as an ARIA combobox with a listbox: typing searches, ArrowUp/Down
 * move the active option (aria-activedescendant), Enter opens it, Escape clears the box.
 */
export function Lookup({
  dataset,
  search,
  onOpen,
  query,
  setQuery,
  autoFocus = true,
  inputRef,
}: {
  dataset: Dataset;
  search: (q: string) => ResultItem[];
  onOpen: (ref: EntryRef) => void;
  query: string;
  setQuery: (q: string) => void;
  autoFocus?: boolean;
  inputRef?: preact.RefObject<HTMLInputElement>;
}) {
  const [active, setActive] = useState(-1);
  const ownRef = useRef<HTMLInputElement>(null);
  const ref = inputRef ?? ownRef;
  const q = query.trim();
  const items = useMemo(() => (q ? search(q).slice(0, 30) : defaultItems(dataset)), [q, search, dataset]);
  const listId = 'gl-results';
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => (items.length ? (i + 1) % items.length : -1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => (items.length ? (i <= 0 ? items.length - 1 : i - 1) : -1));
    } else if (e.key === 'Home' && active >= 0) {
      e.preventDefault();
      setActive(0);
    } else if (e.key === 'End' && active >= 0) {
      e.preventDefault();
      setActive(items.length - 1);
    } else if (e.key === 'Enter') {
      const item = items[active >= 0 ? active : 0];
      if (item && (active >= 0 || q)) {
        e.preventDefault();
        onOpen({ kind: item.kind, id: item.id });
      }
    } else if (e.key === 'Escape' && query) {
      e.preventDefault();
      setQuery('');
      setActive(-1);
    }
  };
  const heading = q ? `${items.length} result${items.length === 1 ? '' : 's'} for “${q}”` : 'ISOC’s principles and recommendations';
  return (
    <div class="gl-lookup">
      <label for="gl-search" class="gl-label-block">
        Look up a term, principle or source
      </label>
      <input
        id="gl-search"
        ref={ref}
        type="search"
        class="gl-input"
        role="combobox"
        aria-expanded={items.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 && items[active] ? optionId(listId, active) : undefined}
        aria-describedby="gl-search-hint"
        autoComplete="off"
        spellcheck={false}
        autoFocus={autoFocus}
        placeholder="e.g. multistakeholder, IXP, Tunis 69"
        value={query}
        onInput={(e) => {
          setQuery((e.currentTarget as HTMLInputElement).value);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
      />
      <p id="gl-search-hint" class="gl-visually-hidden">
        Use the up and down arrow keys to move through the results and Enter to open one.
      </p>
      <p class="gl-list-heading" aria-live="polite">
        {heading}
      </p>
      {items.length ? (
        <ResultList id={listId} items={items} activeIndex={active} label={heading} onChoose={(it) => onOpen({ kind: it.kind, id: it.id })} />
      ) : (
        <p class="gl-muted">Nothing matches. Try fewer letters or another spelling.</p>
      )}
    </div>
  );
}
