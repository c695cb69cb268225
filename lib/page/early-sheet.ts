import { adoptSheet, hasHighlightApi, highlightCss, makeSheet } from './paint';
import { globalSlot } from './slot';
import { HL_GUIDED } from './constants';

/*
 * Why a sheet at document_start: in Chromium the first `::highlight()` rule a document sees restyles
 * every element (its highlight styles are computed for the whole tree), whatever the selector. Adopted
 * once the page is laid out, that is one full style recalculation: ~80 ms of CPU on a 500k-word page,
 * ~45 ms on a long Wikipedia article, in the frame that should show the first highlights. Adopted before
 * the page is first styled, it is part of the page's own first style pass and costs nothing measurable.
 * The rules paint nothing until the annotator registers highlights under our names.
 */

/**
 * Adopt the document's highlight stylesheet now (the document_start script). The sheet waits in the
 * per-window slot for the annotator to claim it; the content script releases it if the page is not
 * annotated. Returns false where the Highlight API or constructable sheets are missing.
 */
export function preAdoptHighlightSheet(doc: Document = document): boolean {
  const win = doc.defaultView as (Window & typeof globalThis) | null;
  if (!win || !hasHighlightApi(win)) return false;
  const slot = globalSlot(win);
  if (slot.sheet?.doc === doc) return true;
  const sheet = makeSheet(highlightCss('document'), win);
  if (!sheet) return false;
  const undo = adoptSheet(doc, sheet);
  if (!(doc.adoptedStyleSheets as readonly CSSStyleSheet[]).includes(sheet)) return false; // the page refused it
  slot.sheet = { doc, sheet, undo };
  return true;
}

/**
 * Take ownership of the sheet adopted at document_start for `doc`, if it is still adopted. The caller
 * must run the returned undo (which removes it) when it stops.
 */
export function claimHighlightSheet(doc: Document = document): { sheet: CSSStyleSheet; undo: () => void } | null {
  const win = doc.defaultView;
  if (!win) return null;
  const slot = globalSlot(win);
  const early = slot.sheet;
  if (!early || early.doc !== doc) return null;
  slot.sheet = undefined;
  try {
    if (!(doc.adoptedStyleSheets as readonly CSSStyleSheet[]).includes(early.sheet)) return null; // the page removed it
  } catch {
    return null;
  }
  return { sheet: early.sheet, undo: early.undo };
}

/** Remove the document_start sheet if no annotator claimed it (the page is not annotated). */
export function releaseHighlightSheet(doc: Document = document): void {
  claimHighlightSheet(doc)?.undo();
}

/** True for a stylesheet of ours: its first rule styles one of our highlights. */
export function isOurHighlightSheet(sheet: CSSStyleSheet): boolean {
  try {
    const first = sheet.cssRules[0] as CSSStyleRule | undefined;
    return !!first && typeof first.selectorText === 'string' && first.selectorText.includes(`::highlight(${HL_GUIDED})`);
  } catch {
    return false;
  }
}
