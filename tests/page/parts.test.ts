// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { computePlacement } from '@/lib/page/card-host';
import { HitIndex, pointInRects } from '@/lib/page/hittest';
import { runSliced, newStats } from '@/lib/page/scheduler';
import { observePage } from '@/lib/page/observe';
import { buildCardData } from '@/lib/page/card-data';
import { adoptSheet, HIGHLIGHT_CSS } from '@/lib/page/paint';
import type { Dataset } from '@/lib/dataset/types';

describe('card placement', () => {
  const vp = { w: 1000, h: 800 };
  it('goes below the term, flips above at the bottom edge, clamps horizontally', () => {
    expect(computePlacement({ top: 100, bottom: 120, left: 50, right: 90 }, { w: 380, h: 300 }, vp)).toEqual({ top: 126, left: 50, flipped: false, maxHeight: 784 });
    const up = computePlacement({ top: 700, bottom: 720, left: 900, right: 950 }, { w: 380, h: 300 }, vp);
    expect(up.flipped).toBe(true);
    expect(up.top).toBe(700 - 6 - 300);
    expect(up.left).toBe(1000 - 8 - 380);
    // Too tall for either side: the roomier side, with a max height, never covering the term.
    const tall = computePlacement({ top: 300, bottom: 320, left: -40, right: 0 }, { w: 380, h: 790 }, vp);
    expect(tall.top).toBe(326);
    expect(tall.maxHeight).toBe(800 - 8 - 326);
    expect(tall.left).toBe(8);
    const tallLow = computePlacement({ top: 600, bottom: 620, left: 10, right: 50 }, { w: 380, h: 790 }, vp);
    expect(tallLow).toMatchObject({ top: 8, flipped: true, maxHeight: 600 - 6 - 8 });
  });
});

describe('hit index', () => {
  it('finds the occurrence covering a caret offset', () => {
    const t = document.createTextNode('the IGF and IXP');
    const idx = new HitIndex<string>();
    idx.add(t, 12, 15, 'ixp');
    idx.add(t, 4, 7, 'igf');
    expect(idx.at(t, 5)).toBe('igf');
    expect(idx.at(t, 7)).toBe('igf');
    expect(idx.at(t, 9)).toBeNull();
    expect(idx.at(t, 13)).toBe('ixp');
    idx.remove(t, 'igf');
    expect(idx.at(t, 5)).toBeNull();
    expect(pointInRects([{ left: 0, top: 0, right: 10, bottom: 10 } as DOMRect], 5, 5)).toBe(true);
    expect(pointInRects([{ left: 0, top: 0, right: 10, bottom: 10 } as DOMRect], 5, 30)).toBe(false);
  });
});

describe('scheduler', () => {
  it('runs steps in slices bounded by the budget and records stats', async () => {
    let clock = 0;
    let left = 100;
    const stats = newStats();
    let yields = 0;
    let done = 0;
    await runSliced(
      () => {
        clock += 1;
        return --left > 0;
      },
      { budgetMs: 8, stats, now: () => clock, schedule: (fn) => void (yields++, setTimeout(fn, 0)), onDone: () => done++ },
    );
    expect(left).toBe(0);
    expect(stats.longestSliceMs).toBeLessThanOrEqual(8);
    expect(stats.slices).toBe(13);
    expect(yields).toBe(12);
    expect(done).toBe(1);
  });

  it('times each slice with its end-of-slice work (onSlice)', async () => {
    let clock = 0;
    let left = 20;
    const stats = newStats();
    await runSliced(
      () => {
        clock += 1;
        return --left > 0;
      },
      { budgetMs: 5, stats, now: () => clock, schedule: (fn) => void setTimeout(fn, 0), onSlice: () => void (clock += 3) },
    );
    // 5 steps of 1 ms, then 3 ms of painting in the same task.
    expect(stats.longestSliceMs).toBe(8);
    expect(stats.busyMs).toBe(20 + 3 * stats.slices);
  });

  it('extends only the first slice, up to firstMaxMs, until firstDone()', async () => {
    const run = async (paintAt: number) => {
      let clock = 0;
      let steps = 0;
      const stats = newStats();
      const slices: number[] = [];
      let last = 0;
      await runSliced(
        () => {
          clock += 1;
          steps++;
          return steps < 40;
        },
        {
          budgetMs: 6,
          firstBudgetMs: 3,
          firstMaxMs: 8,
          firstDone: () => steps >= paintAt,
          stats,
          now: () => clock,
          schedule: (fn) => {
            slices.push(steps - last);
            last = steps;
            setTimeout(fn, 0);
          },
        },
      );
      return slices;
    };
    expect((await run(1))[0]).toBe(3); // painted at once: the usual 3 ms first slice
    expect((await run(5))[0]).toBe(5); // goes on until something is painted
    const never = await run(1000);
    expect(never[0]).toBe(8); // capped at firstMaxMs
    expect(never[1]).toBe(6); // later slices keep the normal budget
  });

  it('runs onDone in a task of its own when the last slice has used more than half the budget', async () => {
    const run = async (lastStepMs: number) => {
      let clock = 0;
      let n = 0;
      const order: string[] = [];
      await runSliced(
        () => {
          n++;
          clock += n < 5 ? 1 : lastStepMs;
          return n < 5;
        },
        {
          budgetMs: 4,
          now: () => clock,
          schedule: (fn) => void (order.push('yield'), setTimeout(fn, 0)),
          onDone: () => void order.push('done'),
        },
      );
      return order.join(' ');
    };
    // Slice 1: four 1 ms steps (4 ms); slice 2: the last step.
    expect(await run(1)).toBe('yield done'); // 1 ms used: onDone in the same task
    expect(await run(3)).toBe('yield yield done'); // 3 ms used: a task of its own
  });

  it('ends the slice at a step that returns a promise and goes on once it settles (rejected too)', async () => {
    for (const settle of ['resolve', 'reject'] as const) {
      let release!: () => void;
      const gate = new Promise<void>((res, rej) => (release = settle === 'resolve' ? res : () => rej(new Error('no answer'))));
      const order: string[] = [];
      let n = 0;
      const done = runSliced(
        () => {
          n++;
          order.push(`step${n}`);
          if (n === 2) return gate; // waiting for an answer: nothing else to do
          return n < 4;
        },
        { budgetMs: 8, now: () => 0, schedule: (fn) => void (order.push('yield'), setTimeout(fn, 0)), onDone: () => void order.push('done') },
      );
      await new Promise((r) => setTimeout(r, 20));
      // It waits: no busy slices while the promise is pending.
      expect(order).toEqual(['step1', 'step2']);
      release();
      await done;
      expect(order).toEqual(['step1', 'step2', 'yield', 'step3', 'step4', 'done']);
    }
  });

  it('does not call onDone when cancelled', async () => {
    let done = 0;
    let n = 0;
    await runSliced(() => ++n < 1000, { budgetMs: 1, cancelled: () => n > 5, onDone: () => done++ });
    expect(done).toBe(0);
  });
});

describe('observer', () => {
  it('coalesces a flood of records into one full re-scan and ignores our own host', async () => {
    document.body.replaceChildren();
    const batches: any[] = [];
    const host = document.createElement('glens-card-host');
    const o = observePage({ root: document.body, isOwn: (n) => n === host, onBatch: (b) => batches.push(b), debounceMs: 1, floodLimit: 20 });
    document.body.append(host);
    o.flush();
    expect(batches).toHaveLength(0);
    for (let i = 0; i < 50; i++) {
      const p = document.createElement('p');
      p.textContent = 'x' + i;
      document.body.append(p);
    }
    o.flush();
    expect(batches).toHaveLength(1);
    expect(batches[0].full).toBe(true);
    o.stop();
  });
});

describe('stylesheet', () => {
  it('adopts one sheet and removes exactly it', () => {
    const mine = new CSSStyleSheet();
    const page = new CSSStyleSheet();
    document.adoptedStyleSheets = [page];
    const undo = adoptSheet(document, mine);
    expect(document.adoptedStyleSheets).toEqual([page, mine]);
    undo();
    expect(document.adoptedStyleSheets).toEqual([page]);
    expect(HIGHLIGHT_CSS).toContain(':root::highlight(glens-guided)');
    // A bare ::highlight() in the document would restyle every element of the page when adopted.
    expect(HIGHLIGHT_CSS).not.toMatch(/(^|[\s{}])::highlight/);
    expect(HIGHLIGHT_CSS).toContain('forced-colors');
    expect(HIGHLIGHT_CSS).toContain('prefers-color-scheme');
  });
});

describe('card data', () => {
  it('builds the card from the dataset by term id', () => {
    const ds: Dataset = {
      version: 'v1',
      sources: [{ id: 's1', title: 'Src', publisher: 'Internet Society', year: 2016, url: 'https://example.org/s', urlStatus: 'confirmed', description: 'd' }],
      entries: [{ id: 'P1', kind: 'principle', title: 'Open', summary: 'Sum.', quotes: [{ text: 'Q', source: 's1', section: 'Sec' }], terms: ['t'], sources: ['s1'] }],
      terms: [{ id: 't', label: 'T', aliases: [], definition: 'Def.', related: ['P1'], category: 'concept' }],
    };
    const c = buildCardData(ds, 't')!;
    expect(c.related[0].quote!.source.url).toBe('https://example.org/s');
    expect(c.datasetVersion).toBe('v1');
    expect(buildCardData(ds, 'zzz')).toBeNull();
  });
});
