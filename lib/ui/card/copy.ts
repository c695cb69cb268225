import type { CardSource } from '@/lib/messaging/protocol';

/** Plain-text citation: entry title (if any), source title, publisher, year, URL. */
export function cardCitation(source: CardSource, entryTitle?: string): string {
  const head = entryTitle && entryTitle !== source.title ? `“${entryTitle}”, in: ${source.title}.` : `${source.title}.`;
  return `${head} ${source.publisher || 'Internet Society'}, ${source.year}. ${source.url}`;
}

/**
 * Copy from inside the card. The async Clipboard API needs a secure context; otherwise a temporary
 * textarea INSIDE our shadow root (never in the page's DOM) and execCommand('copy').
 */
export async function copyFromCard(text: string, shadow: ShadowRoot | null): Promise<boolean> {
  try {
    if (typeof navigator !== 'undefined' && navigator.clipboard?.writeText && globalThis.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back */
  }
  if (!shadow) return false;
  const doc = shadow.ownerDocument;
  const active = shadow.activeElement as HTMLElement | null;
  try {
    const ta = doc.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.setAttribute('aria-hidden', 'true');
    ta.style.cssText = 'position:fixed;left:-9999px;top:0;opacity:0;';
    shadow.appendChild(ta);
    ta.select();
    const ok = typeof doc.execCommand === 'function' && doc.execCommand('copy');
    ta.remove();
    active?.focus({ preventScroll: true });
    return Boolean(ok);
  } catch {
    return false;
  }
}
