import type { Segment } from './walk';

/**
 * The page's side of fuzzy discovery (issue 4, fuse.js role 2). The discovery itself is lib/match's
 * `VocabularyDiscovery`, run in the background script (`glens:discover`) or, when that fails and the
 * caller passed it (`discoverLocal`; the content script does not), in idle slices on the page; either way
 * its variants come back as forms, and only the blocks holding them are re-scanned.
 */

/** Blocks of `segs` whose text contains one of `forms` (case-insensitive; connected blocks only). */
export function blocksHolding(segs: readonly Segment[], forms: readonly { text: string }[]): Set<Element> {
  const out = new Set<Element>();
  if (!forms.length) return out;
  const needles = [...new Set(forms.map((f) => f.text.toLowerCase()))];
  for (const seg of segs) {
    const t = seg.text.toLowerCase();
    if (needles.some((n) => t.includes(n)) && seg.block.isConnected) out.add(seg.block);
  }
  return out;
}
