// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileIndex, loadDataset } from '@/lib/dataset';
import { createMatcher, discoverInTexts, VocabularyDiscovery } from '@/lib/match';
import { startAnnotator, type Annotator } from '@/lib/page';
import { setBody, stubHighlightApi, stubRects } from './helpers';

const index = compileIndex(loadDataset());

const IG_PAGE =
  '<h1>Internet governance</h1>' +
  '<p>The Internet Governance Forum (IGF) brings stakeholders together.</p>' +
  '<p>ICANN and the IETF take part; Internet exchange points (IXPs) keep traffic local.</p>' +
  '<p>A genuinely multistakholder process needs everyone at the table.</p>' +
  '<p>Governments, businesses and communities discussed the agenda.</p>';

let hl: ReturnType<typeof stubHighlightApi>;
let unrect: () => void;
let ann: Annotator | null = null;

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

const surfacesOf = (a: Annotator, id: string) => a.report().terms.find((t) => t.id === id)?.surfaces ?? {};

describe('fuzzy discovery on the page (idle, after the main pass)', () => {
  it('highlights a misspelt variant ("multistakholder") on a page about IG, re-scanning only its block', async () => {
    setBody(IG_PAGE);
    // The main pass alone (discovery off) does not find the misspelling.
    const plain = startAnnotator({ index, matcher: createMatcher(index), debounceMs: 5, discoveryMs: 0 });
    await plain.whenDone();
    expect(surfacesOf(plain, 'multistakeholder-model')).toEqual({});
    expect(plain.report().terms.length).toBeGreaterThanOrEqual(3);
    const countsBefore = Object.fromEntries(plain.report().terms.map((t) => [t.id, t.count]));
    plain.stop();
    ann = startAnnotator({ index, matcher: createMatcher(index), debounceMs: 5, discoverLocal: VocabularyDiscovery });
    // 'done' and whenDone() include discovery and the re-scan of its block.
    await ann.whenDone();
    expect(ann.report().state).toBe('done');
    // The word and, where the glossary has the phrase, "multistakholder process".
    expect(ann.debug.discovered()).toContain('multistakholder');
    const occ = ann.debug.occurrences().find((o) => o.surface.startsWith('multistakholder'))!;
    expect(index.terms[occ.term].id).toBe('multistakeholder-model');
    expect(Object.keys(surfacesOf(ann, 'multistakeholder-model'))).toEqual([occ.surface]);
    expect(occ.handle).not.toBeNull();
    expect(occ.seg.block.textContent).toContain('A genuinely multistakholder process');
    // Occurrences found by the main pass are still there, not doubled by the re-scan.
    const after = Object.fromEntries(ann.report().terms.map((t) => [t.id, t.count]));
    expect(after).toEqual({ ...countsBefore, 'multistakeholder-model': 1 });
  });

  it('does not run on a page with fewer than 3 IG terms', async () => {
    setBody('<p>The IGF met.</p><p>A multistakholder process, they said, was needed.</p>');
    ann = startAnnotator({ index, matcher: createMatcher(index), debounceMs: 5, discoverLocal: VocabularyDiscovery });
    await ann.whenDone();
    await ann.debug.whenDiscovered();
    await new Promise((r) => setTimeout(r, 80));
    expect(ann.debug.discovered()).toEqual([]);
    expect(surfacesOf(ann, 'multistakeholder-model')).toEqual({});
  });

  it('is off with discoveryMs: 0 and stops with the annotator', async () => {
    setBody(IG_PAGE);
    ann = startAnnotator({ index, matcher: createMatcher(index), debounceMs: 5, discoveryMs: 0, discoverLocal: VocabularyDiscovery });
    await ann.whenDone();
    await new Promise((r) => setTimeout(r, 80));
    expect(ann.debug.discovered()).toEqual([]);
    ann.stop();
    ann = startAnnotator({ index, matcher: createMatcher(index), debounceMs: 5, discoverLocal: VocabularyDiscovery });
    ann.stop();
    await ann.whenDone(); // released by stop()
    await new Promise((r) => setTimeout(r, 80));
    expect(ann.debug.discovered()).toEqual([]);
    expect(hl.registry.size).toBe(0);
  });

  it('runs in the background when offered (same result), here if that fails', async () => {
    const calls: { texts: string[]; occupied: number[][] }[] = [];
    // The background's answer, computed as the background does (lib/scope/controller.ts discoverReply).
    const background = async (texts: string[], occupied: number[][]) => {
      calls.push({ texts, occupied });
      return discoverInTexts(texts, occupied, index).map((f) => ({ text: f.text, termId: index.terms[f.term].id }));
    };
    const run = async (remote: Parameters<typeof startAnnotator>[0]['discoverRemote']) => {
      setBody(IG_PAGE);
      ann?.stop();
      ann = startAnnotator({ index, matcher: createMatcher(index), debounceMs: 5, discoverRemote: remote, discoverLocal: VocabularyDiscovery });
      await ann.whenDone();
      const occ = ann.debug.occurrences().find((o) => o.surface.startsWith('multistakholder'));
      return { discovered: ann.debug.discovered(), term: occ && index.terms[occ.term].id, painted: !!occ?.handle, where: ann.report().discoveredIn };
    };
    const want = { discovered: ['multistakholder', 'multistakholder process'], term: 'multistakeholder-model', painted: true, where: 'page' };

    expect(await run(background)).toEqual({ ...want, where: 'background' });
    // It was sent the page's texts, with the spans already matched left out ("Internet Governance Forum"…).
    expect(calls).toHaveLength(1);
    const i = calls[0].texts.findIndex((t) => t.startsWith('The Internet Governance Forum'));
    expect(calls[0].occupied[i].slice(0, 2)).toEqual([4, 29]);

    // The background does not answer in shape (null) or fails: discovery runs here, with the same result.
    expect(await run(async () => null)).toEqual(want);
    expect(await run(() => Promise.reject(new Error('Receiving end does not exist')))).toEqual(want);
    expect(
      await run(() => {
        throw new Error('Extension context invalidated');
      }),
    ).toEqual(want);
    // An answer naming a term the page's index does not have adds nothing.
    expect(await run(async () => [{ text: 'multistakholder', termId: 'no-such-term' }])).toMatchObject({ discovered: [], where: 'background' });
  });

  it('without discoverLocal (the content script), a failing background leaves the exact matches and adds nothing', async () => {
    setBody(IG_PAGE);
    const plain = startAnnotator({ index, matcher: createMatcher(index), debounceMs: 5, discoveryMs: 0 });
    await plain.whenDone();
    const counts = Object.fromEntries(plain.report().terms.map((t) => [t.id, t.count]));
    plain.stop();
    for (const remote of [undefined, async () => null, () => Promise.reject(new Error('Receiving end does not exist'))]) {
      ann?.stop();
      ann = startAnnotator({ index, matcher: createMatcher(index), debounceMs: 5, discoverRemote: remote });
      await ann.whenDone();
      expect(ann.report().state).toBe('done');
      expect(ann.debug.discovered()).toEqual([]);
      expect(ann.report().discoveredIn).toBeUndefined();
      expect(Object.fromEntries(ann.report().terms.map((t) => [t.id, t.count]))).toEqual(counts);
    }
  });
});
