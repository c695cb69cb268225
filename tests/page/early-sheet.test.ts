// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { globalSlot, removeOrphanedPaint, startAnnotator } from '@/lib/page';
import { claimHighlightSheet, isOurHighlightSheet, preAdoptHighlightSheet, releaseHighlightSheet } from '@/lib/page/early-sheet';
import { highlightCss } from '@/lib/page/paint';
import { HL_GUIDED } from '@/lib/page/constants';
import { TEST_INDEX, cardDataFor, setBody, stubHighlightApi, stubRects } from './helpers';

let hl: ReturnType<typeof stubHighlightApi>;
let unrect: () => void;

const sheets = () => document.adoptedStyleSheets as readonly CSSStyleSheet[];
/** happy-dom's CSS parser drops `::highlight()` rules: give a sheet the first rule a browser reports. */
const asBrowserParses = (sheet: CSSStyleSheet): CSSStyleSheet =>
  Object.defineProperty(sheet, 'cssRules', { value: [{ selectorText: `:root::highlight(${HL_GUIDED})` }], configurable: true });

beforeEach(() => {
  globalSlot().sheet = undefined;
  hl = stubHighlightApi();
  unrect = stubRects();
  document.adoptedStyleSheets = [];
});
afterEach(() => {
  globalSlot().sheet = undefined;
  hl.restore();
  unrect();
});

describe('document_start highlight sheet', () => {
  it('is adopted once, after the page’s own sheets, and recognised as ours', () => {
    const own = new CSSStyleSheet();
    document.adoptedStyleSheets = [own];
    expect(preAdoptHighlightSheet(document)).toBe(true);
    expect(preAdoptHighlightSheet(document)).toBe(true); // a second run adds nothing
    expect(sheets()).toHaveLength(2);
    expect(sheets()[0]).toBe(own);
    expect(isOurHighlightSheet(asBrowserParses(sheets()[1]))).toBe(true);
    expect(isOurHighlightSheet(own)).toBe(false);
  });

  it('is not adopted where the Highlight API is missing (the fallback adopts its own rules later)', () => {
    hl.restore();
    const w = window as any;
    const prev = w.Highlight;
    w.Highlight = undefined;
    try {
      expect(preAdoptHighlightSheet(document)).toBe(false);
      expect(sheets()).toHaveLength(0);
    } finally {
      w.Highlight = prev;
      hl = stubHighlightApi();
    }
  });

  it('the annotator claims it instead of adopting a second sheet, and removes it on stop', async () => {
    setBody('<p>The Internet Governance Forum (IGF) is multistakeholder.</p>');
    preAdoptHighlightSheet(document);
    const early = sheets()[0];
    const a = startAnnotator({ index: TEST_INDEX, getCardData: async (id) => cardDataFor(id), reason: 'default-scope' });
    await a.whenDone();
    expect(hl.registry.get(HL_GUIDED)?.size).toBeGreaterThan(0);
    expect(sheets()).toEqual([early]);
    expect(globalSlot().sheet, 'claimed: no longer waiting in the slot').toBeUndefined();
    a.stop();
    expect(sheets()).toHaveLength(0);
  });

  it('a sheet the page removed before the claim is not used (the annotator adopts a fresh one)', async () => {
    setBody('<p>The IGF.</p>');
    preAdoptHighlightSheet(document);
    const early = sheets()[0];
    document.adoptedStyleSheets = [];
    expect(claimHighlightSheet(document)).toBeNull();
    preAdoptHighlightSheet(document);
    document.adoptedStyleSheets = [];
    const a = startAnnotator({ index: TEST_INDEX, getCardData: async (id) => cardDataFor(id), reason: 'default-scope' });
    await a.whenDone();
    expect(sheets()).toHaveLength(1);
    expect(sheets()[0]).not.toBe(early);
    a.stop();
    expect(sheets()).toHaveLength(0);
  });

  it('release removes an unclaimed sheet and leaves the page’s sheets', () => {
    const own = new CSSStyleSheet();
    document.adoptedStyleSheets = [own];
    preAdoptHighlightSheet(document);
    releaseHighlightSheet(document);
    expect(sheets()).toEqual([own]);
    releaseHighlightSheet(document); // idempotent
    expect(sheets()).toEqual([own]);
  });

  it('removeOrphanedPaint drops an older copy’s sheets but keeps this copy’s and the page’s', () => {
    const own = new CSSStyleSheet();
    const orphan = new CSSStyleSheet();
    orphan.replaceSync(highlightCss('document'));
    document.adoptedStyleSheets = [own, asBrowserParses(orphan)];
    preAdoptHighlightSheet(document);
    const mine = asBrowserParses(globalSlot().sheet!.sheet);
    removeOrphanedPaint(document, mine);
    expect(sheets()).toEqual([own, mine]);
  });

  it('is put back when the page replaces document.adoptedStyleSheets, and still removed on stop', async () => {
    setBody('<p id="a">The Internet Governance Forum (IGF) is multistakeholder.</p>');
    preAdoptHighlightSheet(document);
    const early = sheets()[0];
    const a = startAnnotator({ index: TEST_INDEX, getCardData: async (id) => cardDataFor(id), reason: 'default-scope', debounceMs: 5 });
    await a.whenDone();
    const own = new CSSStyleSheet();
    document.adoptedStyleSheets = [own]; // what a framework does on navigation
    // Keyboard navigation paints the focus: the sheet comes back with it.
    expect(a.next()).toBe(true);
    expect(sheets()).toEqual([own, early]);
    document.adoptedStyleSheets = [own];
    // New content painted later: back again.
    const p = document.createElement('p');
    p.textContent = 'Later the IGF met again.';
    document.body.append(p);
    await vi.waitFor(() => expect(sheets()).toEqual([own, early]));
    a.stop();
    expect(sheets()).toEqual([own]);
  });
});
