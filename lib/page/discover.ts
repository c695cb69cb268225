import type { CompiledForm, CompiledIndex } from '@/lib/dataset/types';
import { discoverVariantsIncremental, type DiscoveredForm } from '@/lib/match';
import type { Segment } from './walk';

/**
 * Fuzzy discovery on the page (issue 4, fuse.js role 2), driven from idle slices after the main pass.
 *
 * Input is the text the pass already read (segments kept by reference, capped: no second DOM walk).
 * Phase 1 collects the page's DISTINCT vocabulary — words of ≥ `minLength` chars and word bigrams
 * (one space or hyphen between) that are not inside an occurrence already found — up to `maxCandidates`.
 * Phase 2 runs lib/match `discoverVariantsIncremental` over it in small batches and feeds every variant to
 * `addForms` (the exact matcher). At the end, `blocksFor()` names the blocks holding the new variants so
 * the annotator re-scans only those. Every step checks the clock; the caller bounds the total time.
 */

export interface DiscoveryOptions {
  /** Distinct candidates examined (default 2,000). */
  maxCandidates?: number;
  /** Minimum word length (default 8; bigrams need the same combined length). */
  minLength?: number;
}

/** Word runs: letters, marks and digits (hyphens and apostrophes end a word; bigrams rejoin hyphens). */
const WORD_RE = /[\p{L}\p{M}\p{N}]+/gu;
const CANDIDATES_PER_BATCH = 25;
/** Text read per collect step (a 5 MB text node must not be one step). */
const COLLECT_CHARS = 8_000;

export class PageDiscovery {
  private si = 0;
  /** Position inside sources[si] (a long segment is read over several steps). */
  private pos = 0;
  private vocab = new Map<string, string>();
  private gen: Generator<DiscoveredForm[], void, void> | null = null;
  private readonly maxCandidates: number;
  private readonly minLength: number;
  /** Variants fed to the matcher (surface text). */
  readonly found: DiscoveredForm[] = [];

  constructor(
    private readonly sources: Segment[],
    private readonly index: CompiledIndex,
    /** Occurrences already found in a segment ([start, end) pairs), to leave matched words out. */
    private readonly matched: (seg: Segment) => readonly { start: number; end: number }[] | undefined,
    private readonly addForms: (forms: CompiledForm[]) => number,
    opts: DiscoveryOptions = {},
  ) {
    this.maxCandidates = opts.maxCandidates ?? 2000;
    this.minLength = opts.minLength ?? 8;
  }

  /** Do work until `until` (performance.now() deadline); false when finished. */
  step(until: number): boolean {
    while (performance.now() < until) {
      if (!this.gen) {
        if (this.si < this.sources.length && this.vocab.size < this.maxCandidates) {
          this.collect(this.sources[this.si]);
          continue;
        }
        this.gen = discoverVariantsIncremental(this.vocab.values(), this.index, {
          maxCandidates: this.maxCandidates,
          minLength: this.minLength,
          batchSize: CANDIDATES_PER_BATCH,
        });
      }
      const r = this.gen.next();
      if (r.done) return false;
      if (r.value.length && this.addForms(r.value) > 0) this.found.push(...r.value);
    }
    return true;
  }

  /** Read words from `seg` starting at `this.pos`, at most COLLECT_CHARS of text per call (one step). */
  private collect(seg: Segment): void {
    const text = seg.text;
    const occ = this.matched(seg);
    const min = this.minLength;
    const inOcc = (s: number, e: number) => {
      if (!occ) return false;
      for (const o of occ) if (o.start < e && s < o.end) return true;
      return false;
    };
    const re = WORD_RE; // global: resumable through lastIndex (one compiled Unicode regex, not one per step)
    re.lastIndex = this.pos;
    const stopAt = this.pos + COLLECT_CHARS;
    let prevStart = -1;
    let prevEnd = -1;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const s = m.index;
      const e = s + m[0].length;
      if (s >= stopAt) {
        this.pos = s; // resume at this word next step
        return;
      }
      if (inOcc(s, e)) {
        prevStart = -1;
        continue;
      }
      if (e - s >= min) this.add(m[0]);
      // Bigram with the previous word when they are separated by one space or hyphen.
      if (prevStart >= 0 && s - prevEnd === 1 && e - prevStart >= min && /[\s\-\u2010\u2011]/.test(text[prevEnd])) {
        this.add(text.slice(prevStart, e));
      }
      prevStart = s;
      prevEnd = e;
      if (this.vocab.size >= this.maxCandidates) break;
    }
    this.pos = 0;
    this.si++;
  }

  private add(surface: string): void {
    const key = surface.toLowerCase();
    if (!this.vocab.has(key) && !/\d/.test(key)) this.vocab.set(key, surface);
  }

  /** Blocks of the source segments that contain one of the discovered variants (case-insensitive). */
  blocksFor(forms: readonly { text: string }[]): Set<Element> {
    const out = new Set<Element>();
    if (!forms.length) return out;
    const needles = [...new Set(forms.map((f) => f.text.toLowerCase()))];
    for (const seg of this.sources) {
      const t = seg.text.toLowerCase();
      if (needles.some((n) => t.includes(n)) && seg.block.isConnected) out.add(seg.block);
    }
    return out;
  }
}
