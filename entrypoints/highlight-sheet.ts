import { preAdoptHighlightSheet, releaseHighlightSheet } from '@/lib/page/early-sheet';
import { globalSlot } from '@/lib/page/slot';
import { fetchPageSettings, prefetchSaysOff } from '@/lib/settings/prefetch';

/**
 * Runs at document_start wherever the content script (entrypoints/annotate) is declared or registered:
 * it adopts our highlight stylesheet before the page is first styled (see lib/page/early-sheet.ts for
 * the ~80 ms restyle this avoids), and starts the settings read, so that its reply is in when the
 * content script runs; when that reply says paused or Never here, it removes the sheet again while the
 * page is still loading. The content script claims both, and removes the sheet when the page is not
 * annotated. A plain script with no listener or timer.
 */
export default defineUnlistedScript(() => {
  void runHighlightSheetScript();
});

/** The script's logic (tests await it: it resolves once the prefetched settings are judged). */
export async function runHighlightSheetScript(): Promise<void> {
  try {
    preAdoptHighlightSheet(document);
  } catch {
    // a page without constructable sheets or the Highlight API: the annotator adopts its own sheet later
  }
  try {
    const read = fetchPageSettings();
    const slot = globalSlot();
    slot.settings = read;
    // Paused, or Never on this site: take the sheet out while the page is still loading (cheap now, a
    // whole-page restyle later). The content script confirms with validated settings.
    let raw: Awaited<typeof read> | null = null;
    try {
      raw = await read;
      slot.settingsValue = raw ?? null;
    } catch {
      raw = null; // the content script reads again if this one failed
    }
    if (prefetchSaysOff(location.hostname, raw)) releaseHighlightSheet(document);
  } catch {
    // no storage API here: the content script reads the settings itself
  }
}
