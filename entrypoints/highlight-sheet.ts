import { preAdoptHighlightSheet } from '@/lib/page/early-sheet';
import { globalSlot } from '@/lib/page/slot';
import { fetchPageSettings } from '@/lib/settings/prefetch';

/**
 * Runs at document_start wherever the content script (entrypoints/annotate) is declared or registered:
 * it adopts our highlight stylesheet before the page is first styled (see lib/page/early-sheet.ts for
 * the ~80 ms restyle this avoids), and starts the settings read, so that its reply is in when the
 * content script runs. The content script claims both, and removes the sheet when the page is not
 * annotated. A plain script with no listener or timer.
 */
export default defineUnlistedScript(() => {
  try {
    const read = fetchPageSettings();
    read.catch(() => undefined); // the content script reads again if this one failed
    globalSlot().settings = read;
  } catch {
    // no storage API here: the content script reads the settings itself
  }
  try {
    preAdoptHighlightSheet(document);
  } catch {
    // a page without constructable sheets or the Highlight API: the annotator adopts its own sheet later
  }
});
