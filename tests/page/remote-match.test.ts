// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { compileIndex, loadDataset } from '@/lib/dataset';
import { createMatcher } from '@/lib/match';
import { matchReply } from '@/lib/scope/controller';
import type { MatchReply, MatchRequest } from '@/lib/messaging/protocol';
import { startAnnotator, type Annotator } from '@/lib/page';
import { setBody, usePageStubs } from './helpers';

const index = compileIndex(loadDataset());

/**
 * A page long enough for the background to be asked (the first 3,000 chars are matched on the page): IG
 * terms throughout, and "IAB" (guarded: the Internet Architecture Board only near IETF/RFC context) in the
 * first block and again after ~6,000 chars (in a request to the background), with its context words only
 * much further down, so its page-level decision changes during the pass and the early candidates must be
 * re-checked.
 */
function longPage(lead = 0): string {
  const filler = 'Delegates met in the morning and again after lunch to go over the agenda and its many items. ';
  const parts: string[] = ['<h1>Notes from the week</h1>'];
  // `lead` paragraphs without a term first: the first highlights come only after several requests.
  for (let i = 0; i < lead; i++) parts.push(`<p>${filler.repeat(2)}Note ${i}.</p>`);
  parts.push('<p>The IAB published a statement early in the week.</p>');
  for (let i = 0; i < 150; i++) {
    const term = ['the Internet Governance Forum (IGF)', 'ICANN', 'Internet exchange points (IXPs)', 'multi-stakeholder processes'][i % 4];
    parts.push(`<p>${filler.repeat(2)}Paragraph ${i} mentions ${term} once.</p>`);
    if (i === 30) parts.push('<p>Midweek, the IAB published another statement.</p>');
    if (i === 100) parts.push('<p>The IETF and its RFC series, with the IAB, keep the Internet architecture open.</p>');
  }
  parts.push('<p>An RFC from the IETF closed the week; the IAB agreed.</p>');
  return parts.join('');
}

const page = usePageStubs();

type Remote = (req: Omit<MatchRequest, 'type'>) => Promise<MatchReply | null>;

/** The background as it answers (lib/scope/controller.ts), after `delay` ms (a function of the call number). */
const background = (calls: Omit<MatchRequest, 'type'>[], delay: (n: number) => number = () => 1): Remote => async (req) => {
  const n = calls.push(req);
  await new Promise((r) => setTimeout(r, delay(n)));
  return matchReply(JSON.parse(JSON.stringify(req)), () => index);
};

/** A remote that counts the requests in flight at once. */
const counted = (inner: Remote): { remote: Remote; most: () => number } => {
  let live = 0;
  let most = 0;
  const remote: Remote = async (req) => {
    most = Math.max(most, ++live);
    try {
      return await inner(req);
    } finally {
      live--;
    }
  };
  return { remote, most: () => most };
};

const run = async (remote?: Remote, body = longPage(), firstLocalChars?: number) => {
  setBody(body);
  const ann: Annotator = page.track(
    startAnnotator({ index, matcher: createMatcher(index), debounceMs: 5, discoveryMs: 0, matchRemote: remote, firstLocalChars }),
  );
  await ann.whenDone();
  const occs = ann.debug.occurrences().map((o) => `${index.terms[o.term].id}:${o.surface}:${o.seg.block.textContent!.slice(0, 30)}`);
  const result = { occs, matched: ann.report().matchedChars!, painted: page.registry().size > 0 };
  ann.stop();
  return result;
};

describe('exact matching in the background (glens:match)', () => {
  it('finds the same occurrences as matching on the page, with most of the text matched in the background', async () => {
    const local = await run();
    expect(local.matched.background).toBe(0);
    expect(local.occs.length).toBeGreaterThan(150);
    // The early "IAB" is judged on the whole page's context (IETF, RFC further down), not on the text before it.
    expect(local.occs.filter((o) => o.startsWith('iab:')).length).toBe(4);

    const calls: Omit<MatchRequest, 'type'>[] = [];
    const remote = await run(background(calls));
    expect(remote.occs).toEqual(local.occs);
    expect(remote.painted).toBe(true);
    expect(calls.length).toBeGreaterThan(1);
    // The page matches its first chunks (the first highlights do not wait for an answer), then asks.
    expect(remote.matched.background).toBeGreaterThan(3 * remote.matched.page);
    // All of the text, give or take the '\n' that joins two segments inside a chunk: the two runs cut the
    // text into chunks at different places (each request is a chunk; the page's first chunks are small).
    expect(remote.matched.background + remote.matched.page).toBeGreaterThanOrEqual(local.matched.page - (calls.length + 20));
    // Each request carries the signals known when it went out, and the first ones feed theirs.
    expect(calls[0].signalChars).toBeGreaterThan(0);
    expect(calls.every((c) => c.terms === index.terms.length)).toBe(true);
  });

  it('after the first highlights, asks one request at a time: the walk waits for each answer', async () => {
    const local = await run();
    const calls: Omit<MatchRequest, 'type'>[] = [];
    const c = counted(background(calls, () => 10));
    const remote = await run(c.remote);
    expect(remote.occs).toEqual(local.occs);
    expect(calls.length).toBeGreaterThan(2);
    expect(c.most()).toBe(1);
  });

  it('matches on the page until the first highlight (up to firstLocalChars), then asks the background', async () => {
    // No term in the first ~25,000 chars.
    const body = longPage(130);
    const lead = document.createElement('div');
    lead.innerHTML = body.split('<p>The IAB')[0];
    const leadChars = lead.textContent!.length;
    expect(leadChars).toBeGreaterThan(25_000);
    const local = await run(undefined, body);
    const calls: Omit<MatchRequest, 'type'>[] = [];
    const remote = await run(background(calls), body);
    expect(remote.occs).toEqual(local.occs);
    expect(remote.matched.page).toBeGreaterThan(leadChars);
    expect(remote.matched.background).toBeGreaterThan(10_000);
    // Asked after 3,000 chars instead: the lead goes to the background.
    const early = await run(background([]), body, 3_000);
    expect(early.matched.page).toBeLessThan(10_000);
  });

  it('gives the same occurrences when answers come late and out of order', async () => {
    // No term in the first ~25,000 chars, and the page asks after 3,000 of them: until the first paint,
    // requests go out while others are in flight.
    const body = longPage(130);
    const local = await run(undefined, body);
    const calls: Omit<MatchRequest, 'type'>[] = [];
    // Every other answer is slow: later requests are answered before earlier ones.
    const c = counted(background(calls, (n) => (n % 2 ? 30 : 1)));
    const remote = await run(c.remote, body, 3_000);
    expect(remote.occs).toEqual(local.occs);
    expect(c.most()).toBeGreaterThan(1);
  });

  it('matches on the page, with the same result, when the background fails, answers null or throws', async () => {
    const local = await run();
    const failing: Remote[] = [
      async () => null,
      () => Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')),
      () => {
        throw new Error('Extension context invalidated');
      },
    ];
    for (const f of failing) {
      const r = await run(f);
      expect(r.occs).toEqual(local.occs);
      expect(r.matched.background).toBe(0);
    }
    // It fails after a first answer: the rest is matched here.
    let n = 0;
    const calls: Omit<MatchRequest, 'type'>[] = [];
    const ok = background(calls);
    const r = await run((req) => (++n === 1 ? ok(req) : Promise.resolve(null)));
    expect(r.occs).toEqual(local.occs);
    expect(r.matched.background).toBeGreaterThan(0);
  });

  it('adds nothing from an answer outside its text or naming unknown terms', async () => {
    const local = await run();
    const bogus: Remote = async (req) => ({ spans: [0, req.text.length + 50, 0, 5, 3, 0, 0, 4, index.terms.length + 9], rejected: [], body: [] });
    const r = await run(bogus);
    // Only the text before the first highlight (matched here) has occurrences; nothing from the bogus spans.
    expect(r.occs.length).toBeLessThan(local.occs.length);
    expect(r.occs.every((o) => local.occs.includes(o))).toBe(true);
  });

  it('ignores answers that arrive after stop()', async () => {
    setBody(longPage());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const calls: Omit<MatchRequest, 'type'>[] = [];
    const ok = background(calls);
    const ann = page.track(
      startAnnotator({ index, matcher: createMatcher(index), debounceMs: 5, discoveryMs: 0, matchRemote: async (req) => (await gate, ok(req)) }),
    );
    await new Promise((r) => setTimeout(r, 30));
    expect(calls.length).toBe(0);
    const before = page.registry().size;
    ann.stop();
    release();
    await new Promise((r) => setTimeout(r, 30));
    expect(page.registry().size).toBe(0);
    expect(before).toBeGreaterThan(0); // the first chunks, matched here, were painted
  });
});
