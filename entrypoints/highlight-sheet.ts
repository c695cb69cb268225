import { preAdoptHighlightSheet } from '@/lib/page/early-sheet';

/**
 * Runs at document_start wherever the content script (entrypoints/annotate) is declared or registered:
 * it only adopts our highlight stylesheet before the page is first styled (see lib/page/early-sheet.ts
 * for the ~80 ms restyle this avoids). The content script claims the sheet, or removes it when the page
 * is not annotated. A plain script with no listener or timer: nothing else runs this early.
 */
export default defineUnlistedScript(() => {
  try {
    preAdoptHighlightSheet(document);
  } catch {
    // a page without constructable sheets or the Highlight API: the annotator adopts its own sheet later
  }
});
