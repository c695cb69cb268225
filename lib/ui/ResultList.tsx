import { useEffect, useRef } from 'preact/hooks';
import { Highlighted } from './Highlighted';
import { KindBadge } from './KindBadge';
import type { ResultItem } from './types';

/**
 * The listbox half of the lookup combobox. Focus stays in the search input; the active
 * option is announced through aria-activedescendant (set by the owner from optionId()).
 */
export function ResultList({
  id,
  items,
  activeIndex,
  onChoose,
  label,
}: {
  id: string;
  items: ResultItem[];
  activeIndex: number;
  onChoose: (item: ResultItem) => void;
  label: string;
}) {
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    const el = listRef.current?.querySelector<HTMLElement>('[aria-selected="true"]');
    el?.scrollIntoView?.({ block: 'nearest' });
  }, [activeIndex]);
  return (
    <ul id={id} role="listbox" aria-label={label} class="gl-results" ref={listRef}>
      {items.map((item, i) => (
        <li
          key={`${item.kind}:${item.id}`}
          id={optionId(id, i)}
          role="option"
          aria-selected={i === activeIndex}
          class={i === activeIndex ? 'gl-option gl-active' : 'gl-option'}
          // Keep focus in the input: choosing with the mouse must not blur it first.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onChoose(item)}
        >
          <span class="gl-option-text">
            <span class="gl-option-title">
              <Highlighted text={item.title} ranges={item.ranges} />
            </span>
            {item.subtitle ? (
              <span class="gl-option-sub">
                <Highlighted text={item.subtitle} ranges={item.subtitleRanges} />
              </span>
            ) : null}
          </span>
          <KindBadge kind={item.kind} id={item.id} />
        </li>
      ))}
    </ul>
  );
}

/** DOM id of option i of listbox `listId`. */
export function optionId(listId: string, i: number): string {
  return `${listId}-opt-${i}`;
}
