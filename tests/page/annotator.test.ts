// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { globalSlot, startAnnotator, type Annotator } from '@/lib/page';
import { HL_FOCUS, HL_GUIDED, HL_TERM, HOST_TAG } from '@/lib/page/constants';
import { PageReportSchema } from '@/lib/messaging/protocol';
import * as v from 'valibot';
import { FakeIntersectionObserver, TEST_INDEX, cardDataFor, countElements, setBody, stubHighlightApi, stubRects } from './helpers';
import { smallIndex } from '../match/small-index';

const PAGE =
  '<h1>Intro</h1><p>The <em>Internet</em> Governance Forum (IGF) is multistakeholder.</p>' +
  '<p>An IXP is an Internet exchange point. The IGF again.</p>' +
  '<pre>IGF in code</pre><div contenteditable="true">IGF editable</div>' +
  '<h2>Later</h2><p>IGF and multi-stakeholder and IGF.</p>';

let hl: ReturnType<typeof stubHighlightApi>;
let unrect: () => void;
let ann: Annotator | null = null;

const start = (extra: Partial<Parameters<typeof startAnnotator>[0]> = {}) => {
  ann = startAnnotator({
    index: TEST_INDEX,
    getCardData: async (id) => cardDataFor(id),
    reason: 'default-scope',
    debounceMs: 5,
    ...extra,
  });
  return ann;
};

/** Registered ranges, once the (fake) IntersectionObserver has reported on new blocks (a later task). */
const sizes = async () => {
  await new Promise((r) => setTimeout(r, 5));
  return {
    guided: hl.registry.get(HL_GUIDED)?.size ?? 0,
    term: hl.registry.get(HL_TERM)?.size ?? 0,
  };
};

beforeEach(() => {
  hl = stubHighlightApi();
  unrect = stubRects();
  document.adoptedStyleSheets = [];
});
afterEach(() => {
  ann?.stop();
  ann = null;
  hl.restore();
  unrect();
});

describe('annotator (Highlight API)', () => {
  it('paints every occurrence without touching the DOM, and reports counts and surfaces', async () => {
    setBody(PAGE);
    const before = document.body.innerHTML;
    const elements = countElements();
    const a = start();
    await a.whenDone();
    expect(document.body.innerHTML).toBe(before);
    expect(countElements()).toBe(elements);
    // IGF: "Internet Governance Forum", IGF ×4 (pre and editable skipped) → 5 guided + multistakeholder ×2 → 7 guided.
    expect(await sizes()).toEqual({ guided: 7, term: 2 });
    const r = a.report();
    expect(v.safeParse(PageReportSchema, r).success).toBe(true);
    expect(r.state).toBe('done');
    expect(r.datasetVersion).toBe('test-1');
    const igf = r.terms.find((t) => t.id === 'igf')!;
    expect(igf.count).toBe(5);
    expect(igf.surfaces).toEqual({ 'Internet Governance Forum': 1, IGF: 4 });
    expect(r.terms.find((t) => t.id === 'multistakeholder')!.surfaces).toEqual({ multistakeholder: 1, 'multi-stakeholder': 1 });
    expect(r.guidance.find((g) => g.id === 'P1')).toMatchObject({ kind: 'principle', count: 5, terms: ['igf'] });
    expect(r.timing.slices).toBeGreaterThan(0);
    expect(r.firstContext?.igf).toContain('Internet Governance Forum');
    expect(document.adoptedStyleSheets).toHaveLength(1);
  });

  it('stop() undoes everything: highlights, stylesheet, host, listeners', async () => {
    setBody(PAGE);
    const before = document.body.innerHTML;
    const own = new CSSStyleSheet();
    document.adoptedStyleSheets = [own];
    const a = start();
    await a.whenDone();
    expect(a.next()).toBe(true);
    expect(document.querySelector(HOST_TAG)).not.toBeNull();
    a.stop();
    expect(hl.registry.size).toBe(0);
    expect(document.adoptedStyleSheets).toEqual([own]);
    expect(document.querySelector(HOST_TAG)).toBeNull();
    expect(document.body.innerHTML).toBe(before);
    // Listeners gone: the shortcut does nothing and no host reappears.
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'J', code: 'KeyJ', altKey: true, shiftKey: true }));
    expect(document.querySelector(HOST_TAG)).toBeNull();
    expect(a.report().state).toBe('off');
  });

  it('density first-per-section paints the first occurrence per heading section; counts stay complete', async () => {
    setBody(PAGE);
    const a = start({ settings: { density: 'first-per-section', kinds: 'all' } });
    await a.whenDone();
    // Section "Intro": IGF (first), multistakeholder, IXP; section "Later": IGF, multi-stakeholder.
    expect(await sizes()).toEqual({ guided: 4, term: 1 });
    expect(a.report().terms.find((t) => t.id === 'igf')!.count).toBe(5);
    a.updateSettings({ density: 'all', kinds: 'guided' });
    expect(await sizes()).toEqual({ guided: 7, term: 0 });
    expect(a.report().terms.find((t) => t.id === 'ixp')!.count).toBe(2);
  });

  it('judges an ambiguous term on the page text read by the end of the pass, not by where a window ended', async () => {
    // "IAB" (the Internet Architecture Board only near IETF/RFC context) opens the page; its context comes
    // 9,000 characters later, so the first windows (and the first chunk) cannot see it.
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `<p>Paragraph ${i} of plain text about weather and trains.</p>`).join('');
    const body = (tail: string) => `<p>The IAB met on Tuesday.</p>${filler(200)}<p>${tail}</p><p>Later the IAB met again.</p>`;
    const index = smallIndex();
    const iab = (a: Annotator) => a.report().terms.find((t) => t.id === 'iab')?.count ?? 0;
    setBody(body('The IETF published an RFC on it.'));
    let a = start({ index, settings: { density: 'all', kinds: 'all' } });
    await a.whenDone();
    // Both: the first is re-scanned once the context has been read, the second is read after it.
    expect(iab(a)).toBe(2);
    expect(a.debug.occurrences().filter((o) => o.surface === 'IAB')).toHaveLength(2);
    a.stop();
    // Without that context, neither.
    setBody(body('Nothing about standards here.'));
    a = start({ index, settings: { density: 'all', kinds: 'all' } });
    await a.whenDone();
    expect(iab(a)).toBe(0);
  });

  it('re-scans added text and drops ranges of removed content', async () => {
    setBody(PAGE);
    const a = start();
    await a.whenDone();
    const p = document.createElement('p');
    p.append('New text about the IGF.');
    document.body.append(p);
    a.flushMutations();
    await a.whenDone();
    expect(a.report().terms.find((t) => t.id === 'igf')!.count).toBe(6);
    expect((await sizes()).guided).toBe(8);
    document.querySelectorAll('p')[0].remove();
    a.flushMutations();
    await a.whenDone();
    expect(a.report().terms.find((t) => t.id === 'igf')!.count).toBe(4);
    expect((await sizes()).guided).toBe(5);
    // Edited text inside a paragraph.
    const last = document.querySelectorAll('p')[1];
    (last.firstChild as Text).data = 'Nothing here.';
    a.flushMutations();
    await a.whenDone();
    expect(a.report().terms.find((t) => t.id === 'igf')!.count).toBe(2);
    for (const o of a.debug.occurrences()) expect(a.debug.rangeOf(o)!.startContainer.isConnected).toBe(true);
  });

  it('keeps document order for next/previous when re-scanned paragraphs land before, between and after', async () => {
    setBody(
      '<p>IGF first</p><div id="m"><p id="a">IGF one</p><p id="b">IXP two</p><p id="c">multistakeholder three</p></div>' +
        '<div id="n"><p>IXP tail</p></div>',
    );
    const a = start();
    await a.whenDone();
    const para = (text: string) => Object.assign(document.createElement('p'), { textContent: text });
    // One batch inside #m: its segments are dropped and re-scanned, each placed among the kept ones.
    document.getElementById('a')!.before(para('IXP zero'));
    document.getElementById('b')!.before(para('multistakeholder between'));
    document.getElementById('m')!.append(para('IGF last'));
    a.flushMutations();
    await a.whenDone();
    // A later batch in #n, then one in #m again.
    document.getElementById('n')!.prepend(para('multistakeholder in n'));
    a.flushMutations();
    await a.whenDone();
    document.getElementById('c')!.before(para('IXP late'));
    a.flushMutations();
    await a.whenDone();
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      a.next();
      seen.push(a.debug.card.cardElement()?.getAttribute('data-term') ?? '');
    }
    expect(seen).toEqual(['igf', 'ixp', 'igf', 'multistakeholder', 'ixp', 'ixp', 'multistakeholder', 'igf', 'multistakeholder', 'ixp']);
  });

  it('tells the badge the number of distinct terms (kept current, no report built) as content comes and goes', async () => {
    setBody(PAGE);
    const seen: { terms: number; state: string }[] = [];
    const a = start({ onChange: (c) => seen.push(c) });
    await a.whenDone();
    await vi.waitFor(() => expect(seen.at(-1)).toEqual({ terms: a.report().terms.length, state: 'done' }));
    const before = a.report().terms.length;
    expect(before).toBeGreaterThanOrEqual(3);
    // Remove every paragraph but the last ("IGF and multi-stakeholder and IGF."): fewer distinct terms.
    const ps = document.querySelectorAll('p');
    for (let i = 0; i < ps.length - 1; i++) ps[i].remove();
    a.flushMutations();
    await a.whenDone();
    const after = a.report().terms.length;
    expect(after).toBeLessThan(before);
    await vi.waitFor(() => expect(seen.at(-1)?.terms).toBe(after));
  });

  it('keyboard navigation focuses a term, opens the card with focus in it, Esc returns focus', async () => {
    setBody('<button id="b">before</button>' + PAGE);
    const btn = document.getElementById('b') as HTMLButtonElement;
    btn.focus();
    const a = start();
    await a.whenDone();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'J', code: 'KeyJ', altKey: true, shiftKey: true }));
    expect(hl.registry.get(HL_FOCUS)!.size).toBe(1);
    const host = document.querySelector(HOST_TAG)!;
    expect(host.shadowRoot).not.toBeNull();
    await new Promise((r) => setTimeout(r, 0));
    const card = host.shadowRoot!.querySelector('[role="dialog"]')!;
    expect(card.getAttribute('aria-label')).toContain('Internet Governance Forum');
    expect(card.textContent).toContain('Definition of Internet Governance Forum.');
    expect(card.textContent).toContain('Quote P1');
    expect(card.textContent).toContain('Dataset test-1');
    const link = card.querySelector('a')!;
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(host.shadowRoot!.activeElement).toBe(card);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape' }));
    expect(host.shadowRoot!.querySelector('[role="dialog"]')).toBeNull();
    expect(document.activeElement).toBe(btn);
    expect(hl.registry.get(HL_FOCUS)!.size).toBe(0);
    // The shortcut is ignored inside editable fields.
    const input = document.createElement('input');
    document.body.append(input);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'J', code: 'KeyJ', altKey: true, shiftKey: true, bubbles: true }));
    expect(hl.registry.get(HL_FOCUS)!.size).toBe(0);
  });

  it('next/previous visit occurrences in document order; focusTerm picks a term', async () => {
    setBody(PAGE);
    const a = start();
    await a.whenDone();
    const seen: string[] = [];
    for (let i = 0; i < 9; i++) {
      a.next();
      seen.push(a.debug.card.cardElement()?.getAttribute('data-term') ?? '');
    }
    expect(seen).toEqual(['igf', 'igf', 'multistakeholder', 'ixp', 'ixp', 'igf', 'igf', 'multistakeholder', 'igf']);
    a.previous();
    expect(a.debug.card.cardElement()?.getAttribute('data-term')).toBe('multistakeholder');
    expect(a.focusTerm('ixp')).toBe(true);
    expect(a.debug.card.cardElement()?.getAttribute('data-term')).toBe('ixp');
    expect(a.focusTerm('nope')).toBe(false);
  });

  it('the card renders only validated dataset data (a bad reply shows nothing from it)', async () => {
    setBody(PAGE);
    const a = start({ getCardData: async () => ({ termId: 'igf', label: '<img src=x>', definition: 42 }) as any });
    await a.whenDone();
    a.next();
    await new Promise((r) => setTimeout(r, 0));
    const card = a.debug.card.cardElement()!;
    expect(card.textContent).toContain('Details are unavailable');
    expect(card.textContent).not.toContain('<img');
    expect(card.querySelector('img')).toBeNull();
  });

  it('double-start guard lives in a Symbol slot on window, not in the DOM', () => {
    const slot = globalSlot();
    expect(globalSlot()).toBe(slot);
    expect((window as any)[Symbol.for('glens')]).toBe(slot);
    expect(document.documentElement.attributes.length).toBe(0);
  });

  it('registers at most 100 ranges of a pass before the observer has placed their blocks', async () => {
    // The first frames of a pass register ranges at once (the viewport shows sooner), which reads their
    // text nodes: capped, so a long pass whose first 100 ms hold thousands of ranges stays cheap.
    let adds = 0;
    const Base = (window as any).Highlight;
    (window as any).Highlight = class extends Base {
      add(r: unknown) {
        adds++;
        return super.add(r);
      }
    };
    setBody(Array.from({ length: 400 }, (_, i) => `<p id="p${i}">Paragraph ${i} on the IGF and multistakeholder work.</p>`).join(''));
    for (const p of document.querySelectorAll('p')) FakeIntersectionObserver.far.add(p);
    // The whole pass within the first-frames phase, the observer never reporting in between.
    const a = start({ budgetMs: 0.05, frameMs: 60_000 });
    await a.whenDone();
    expect(a.debug.painter.size()).toBe(800);
    expect(adds).toBeGreaterThan(0);
    expect(adds).toBeLessThanOrEqual(100);
    expect(a.debug.occurrences().filter((o) => o.range !== null).length).toBeLessThanOrEqual(100);
    FakeIntersectionObserver.far.clear();
  });

  it('registers only the ranges of blocks near the viewport, in few batches, and follows the reader', async () => {
    // Chromium re-marks every registered range after each change to a highlight (and after any DOM change
    // of the page): the registered set must stay the size of what can be seen. Count the bursts of add().
    const bursts: number[] = [];
    let open = false;
    const Base = (window as any).Highlight;
    class CountingHighlight extends Base {
      add(r: unknown) {
        if (!open) {
          open = true;
          bursts.push(0);
          queueMicrotask(() => (open = false));
        }
        bursts[bursts.length - 1]++;
        return super.add(r);
      }
    }
    (window as any).Highlight = CountingHighlight;
    // Enough paragraphs for many slices even at the smallest step: a batch per slice would show.
    const N = 1600;
    setBody(Array.from({ length: N }, (_, i) => `<p id="p${i}">Paragraph ${i} on the IGF and multistakeholder work.</p>`).join(''));
    const paras = [...document.querySelectorAll('p')];
    const nearAt = (from: number) => {
      FakeIntersectionObserver.far.clear();
      paras.forEach((p, i) => (i < from || i >= from + 10) && FakeIntersectionObserver.far.add(p));
    };
    nearAt(0);
    const a = start({ budgetMs: 0.05, frameMs: 0 });
    await a.whenDone();
    expect(await sizes()).toEqual({ guided: 20, term: 0 });
    expect(a.report().terms.find((t) => t.id === 'igf')!.count).toBe(N);
    expect(a.debug.painter.size()).toBe(2 * N);
    expect(a.report().timing.slices).toBeGreaterThan(20);
    // Few bursts, none of them large: the first slice's ranges at once, then only near blocks.
    expect(bursts.length).toBeLessThanOrEqual(10);
    expect(Math.max(...bursts)).toBeLessThanOrEqual(60);
    // Occurrences far from the reader were never read from the page (text nodes, offsets, hit index).
    const read = () => a.debug.occurrences().filter((o) => o.range !== null).length;
    expect(read()).toBeLessThanOrEqual(60);
    expect(a.debug.hitAt(0, 0)).toBeNull();
    // The reader scrolls: the near blocks' ranges are registered, those left behind are removed.
    nearAt(400);
    FakeIntersectionObserver.move();
    expect(await sizes()).toEqual({ guided: 20, term: 0 });
    const reg = [...hl.registry.get(HL_GUIDED)!] as AbstractRange[];
    const ids = new Set(reg.map((r) => (r.startContainer.parentNode as Element).id));
    expect([...ids].sort()).toEqual(paras.slice(400, 410).map((p) => p.id).sort());
    expect(read()).toBeLessThanOrEqual(80);
    // Removed content leaves nothing behind, registered or waiting.
    for (const p of paras.slice(400, 405)) p.remove();
    a.flushMutations();
    await a.whenDone();
    expect((await sizes()).guided).toBe(10);
    expect(a.debug.painter.size()).toBe(2 * N - 10);
  });
});

describe('annotator (DOM-wrapping fallback)', () => {
  it('wraps in glens-mark and restores the exact DOM on stop', async () => {
    setBody(PAGE + '<p>Two in one: IGF and IXP and the <b>Internet</b> Governance Forum.</p>');
    const before = document.body.innerHTML;
    const textNodes = () => {
      const w = document.createTreeWalker(document.body, 4);
      let n = 0;
      while (w.nextNode()) n++;
      return n;
    };
    const nodesBefore = textNodes();
    const a = start({ forceFallback: true });
    await a.whenDone();
    const marks = document.querySelectorAll('glens-mark');
    expect(marks.length).toBeGreaterThanOrEqual(12);
    expect(document.querySelector('[contenteditable] glens-mark, pre glens-mark')).toBeNull();
    expect(a.report().terms.find((t) => t.id === 'igf')!.count).toBe(7);
    a.stop();
    expect(document.querySelectorAll('glens-mark').length).toBe(0);
    expect(document.body.innerHTML).toBe(before);
    expect(textNodes()).toBe(nodesBefore);
  });

  it('fallback re-scan after a mutation unwraps and re-wraps cleanly', async () => {
    setBody('<p id="p">IGF here</p><p>and IXP</p>');
    const a = start({ forceFallback: true });
    await a.whenDone();
    document.getElementById('p')!.append(' plus multistakeholder');
    a.flushMutations();
    await a.whenDone();
    expect(a.report().terms.map((t) => t.id).sort()).toEqual(['igf', 'ixp', 'multistakeholder']);
    a.stop();
    expect(document.body.innerHTML).toBe('<p id="p">IGF here plus multistakeholder</p><p>and IXP</p>');
  });
});
