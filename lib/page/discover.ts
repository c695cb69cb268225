import type { CompiledForm, CompiledIndex } from '@/lib/dataset/types';
import { VocabularyDiscovery, type DiscoveryOptions } from '@/lib/match';
import type { Segment } from './walk';

/**
 * Fuzzy discovery on the page (issue 4, fuse.js role 2), driven from idle slices after the main pass when
 * the background cannot do it (see `StartOptions.discoverRemote`): lib/match's `VocabularyDiscovery` over
 * the segments the pass already read, plus `blocksFor()`, which names the blocks holding the new variants
 * so the annotator re-scans only those.
 */
export class PageDiscovery extends VocabularyDiscovery<Segment> {
  constructor(
    sources: Segment[],
    index: CompiledIndex,
    matched: (seg: Segment) => readonly { start: number; end: number }[] | undefined,
    addForms: (forms: CompiledForm[]) => number,
    opts: DiscoveryOptions = {},
  ) {
    super(sources, index, matched, addForms, opts);
  }

  /** Blocks of the source segments that contain one of the discovered variants (case-insensitive). */
  blocksFor(forms: readonly { text: string }[]): Set<Element> {
    return blocksHolding(this.sources, forms);
  }
}

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
