import { describe, expect, it } from 'vitest';
import { checkBackgroundMessage, checkContentMessage, type SenderLike } from '@/lib/messaging/bus';
import { badgeText, discoverReply, matchReply, registrationDomains } from '@/lib/scope/controller';
import * as v from 'valibot';
import { DISCOVER_MAX_CHARS, DISCOVER_MAX_TEXTS, MATCH_MAX_CHARS, MatchReplySchema, intArray } from '@/lib/messaging/protocol';
import { compileIndex, loadDataset } from '@/lib/dataset';
import { createMatcher } from '@/lib/match';
import { defaultSettings } from '@/lib/settings';

const self = { id: 'ext-id', origin: 'chrome-extension://ext-id/' };
const contentSender: SenderLike = { id: 'ext-id', url: 'https://www.un.org/page', tab: { id: 7 }, frameId: 0 };
const popupSender: SenderLike = { id: 'ext-id', url: 'chrome-extension://ext-id/popup.html' };
const optionsInTab: SenderLike = { id: 'ext-id', url: 'chrome-extension://ext-id/options.html', tab: { id: 3 } };
const otherExtension: SenderLike = { id: 'evil-id', url: 'chrome-extension://evil-id/popup.html' };
const lookalike: SenderLike = { id: 'ext-id', url: 'chrome-extension://ext-id.evil/popup.html' };

describe('background receives', () => {
  it('glens:count only from a content script in a tab', () => {
    const msg = { type: 'glens:count', count: 4 };
    expect(checkBackgroundMessage(msg, contentSender, self)).toEqual({ ok: true, msg });
    expect(checkBackgroundMessage(msg, popupSender, self).ok).toBe(false);
    expect(checkBackgroundMessage(msg, optionsInTab, self).ok).toBe(false);
    expect(checkBackgroundMessage(msg, { ...contentSender, id: 'evil-id' }, self).ok).toBe(false);
    expect(checkBackgroundMessage(msg, { ...contentSender, tab: { id: -1 } }, self).ok).toBe(false);
  });

  it('glens:discover only from a content script, within its size limits', () => {
    const msg = { type: 'glens:discover', texts: ['A multistakholder process.'], occupied: [[]] };
    expect(checkBackgroundMessage(msg, contentSender, self)).toEqual({ ok: true, msg });
    expect(checkBackgroundMessage(msg, popupSender, self).ok).toBe(false);
    expect(checkBackgroundMessage(msg, { ...contentSender, id: 'evil-id' }, self).ok).toBe(false);
    const bad = [
      { ...msg, texts: ['x'.repeat(DISCOVER_MAX_CHARS + 1)] },
      { ...msg, texts: Array.from({ length: DISCOVER_MAX_TEXTS + 1 }, () => 'x') },
      { ...msg, occupied: [[1.5]] },
      { ...msg, occupied: [[-1, 2]] },
      { ...msg, texts: [3] },
    ];
    for (const b of bad) expect(checkBackgroundMessage(b, contentSender, self).ok).toBe(false);
  });

  it('answers glens:discover with variants by term id, leaving out spans already matched', () => {
    const texts = ['A genuinely multistakholder process.', 'Again multistakholder here.'];
    expect(discoverReply(texts, [[], []]).forms).toEqual([
      { text: 'multistakholder', termId: 'multistakeholder-model', variantOf: 'multistakeholder', distance: 1 },
      { text: 'multistakholder process', termId: 'multistakeholder-model', variantOf: 'multistakeholder process', distance: 1 },
    ]);
    // Both occurrences inside matched spans: nothing to discover.
    expect(discoverReply(texts, [[11, 26], [6, 21]]).forms).toEqual([]);
    // At most DISCOVER_MAX_CHARS of text in all: a variant past that is not read.
    expect(discoverReply(['x'.repeat(DISCOVER_MAX_CHARS), texts[0]], [[], []]).forms).toEqual([]);
  });

  it('glens:match only from a content script, within its size limits', () => {
    const msg = { type: 'glens:match', text: 'The IGF met.', signalChars: 12, head: [1], body: [], terms: 135 };
    expect(checkBackgroundMessage(msg, contentSender, self)).toEqual({ ok: true, msg });
    expect(checkBackgroundMessage(msg, popupSender, self).ok).toBe(false);
    expect(checkBackgroundMessage(msg, { ...contentSender, id: 'evil-id' }, self).ok).toBe(false);
    const bad = [
      { ...msg, text: 'x'.repeat(MATCH_MAX_CHARS + 1) },
      { ...msg, signalChars: -1 },
      { ...msg, head: [0.5] },
      { ...msg, body: 'x' },
      { ...msg, terms: undefined },
    ];
    for (const b of bad) expect(checkBackgroundMessage(b, contentSender, self).ok).toBe(false);
  });

  it('answers glens:match with the spans the page matcher finds, the dropped candidates and the signals', () => {
    const index = compileIndex(loadDataset());
    const matcher = createMatcher(index);
    const text = 'The Internet Governance Forum (IGF) met.\nThe IAB spoke.\nAn RFC of the IETF.';
    const signals = matcher.pageSignals!({ title: 'A page', url: 'https://example.org/' });
    const reply = matchReply({ text, signalChars: 0, head: [...signals.head], body: [], terms: index.terms.length }, () => index);
    const want = matcher.find(text, { signals: { head: new Set(signals.head), body: new Set() } });
    expect(reply!.spans).toEqual(want.flatMap((s) => [s.start, s.end, s.term]));
    expect(reply!.body).toEqual([]);
    // With the text fed to the signals (IETF, RFC), the page-level decisions change; the ids come back.
    const fed = matchReply({ text, signalChars: text.length, head: [...signals.head], body: [], terms: index.terms.length }, () => index)!;
    expect(fed.body.length).toBeGreaterThan(0);
    // Another glossary (another version of the extension): no answer, the page matches itself.
    expect(matchReply({ text, signalChars: 0, head: [], body: [], terms: 3 }, () => index)).toBeNull();
  });

  it('checks the number lists of a glens:match answer: integers in range, not too many', () => {
    const ok = { spans: [0, 3, 1, 10, 14, 2], rejected: [4, 20], body: [7] };
    expect(v.safeParse(MatchReplySchema, ok).success).toBe(true);
    const bad = [
      { ...ok, spans: [0, -3, 1] },
      { ...ok, spans: [0, 1.5, 1] },
      { ...ok, spans: [0, MATCH_MAX_CHARS + 1, 1] },
      { ...ok, spans: [0, '3', 1] },
      { ...ok, spans: [0, Number.NaN, 1] },
      { ...ok, spans: [0, , 1] },
      { ...ok, rejected: 'x' },
      { ...ok, body: { length: 1, 0: 1 } },
      { spans: ok.spans, rejected: ok.rejected },
    ];
    for (const b of bad) expect(v.safeParse(MatchReplySchema, b).success).toBe(false);
    expect(v.safeParse(intArray(2, 9), [1, 2]).success).toBe(true);
    expect(v.safeParse(intArray(2, 9), [1, 2, 3]).success).toBe(false);
    expect(v.safeParse(intArray(2, 9), [10]).success).toBe(false);
  });

  it('glens:annotateTab only from extension pages of this extension', () => {
    const msg = { type: 'glens:annotateTab', tabId: 12 };
    expect(checkBackgroundMessage(msg, popupSender, self)).toEqual({ ok: true, msg });
    expect(checkBackgroundMessage(msg, optionsInTab, self).ok).toBe(true);
    expect(checkBackgroundMessage(msg, contentSender, self)).toEqual({ ok: false, reason: 'glens:annotateTab only from extension pages' });
    expect(checkBackgroundMessage(msg, otherExtension, self).ok).toBe(false);
    expect(checkBackgroundMessage(msg, lookalike, self).ok).toBe(false);
    expect(checkBackgroundMessage(msg, { id: 'ext-id' }, self).ok).toBe(false);
  });

  it.each([
    ['unknown type', { type: 'glens:evil' }],
    ['no type', { count: 3 }],
    ['string count', { type: 'glens:count', count: '3' }],
    ['negative count', { type: 'glens:count', count: -1 }],
    ['fractional count', { type: 'glens:count', count: 1.5 }],
    ['huge count', { type: 'glens:count', count: 1e9 }],
    ['bad tabId', { type: 'glens:annotateTab', tabId: 'x' }],
    ['null', null],
    ['string', 'glens:count'],
  ])('rejects a malformed message (%s)', (_n, msg) => {
    expect(checkBackgroundMessage(msg, contentSender, self)).toEqual({ ok: false, reason: 'bad shape' });
    expect(checkBackgroundMessage(msg, popupSender, self)).toEqual({ ok: false, reason: 'bad shape' });
  });
});

describe('content script receives', () => {
  it('accepts valid messages only from this extension', () => {
    const msg = { type: 'glens:focusTerm', termId: 'ixp' };
    expect(checkContentMessage(msg, { id: 'ext-id' }, self)).toEqual({ ok: true, msg });
    expect(checkContentMessage(msg, { id: 'evil-id' }, self).ok).toBe(false);
    expect(checkContentMessage(msg, {}, self).ok).toBe(false);
  });
  it.each([
    [{ type: 'glens:focusTerm' }],
    [{ type: 'glens:focusTerm', termId: 'x'.repeat(201) }],
    [{ type: 'glens:navigate', direction: 'sideways' }],
    [{ type: 'glens:start', reason: 'because' }],
    [{ type: 'glens:count', count: 1 }],
  ])('rejects a malformed message %j', (msg) => {
    expect(checkContentMessage(msg, { id: 'ext-id' }, self)).toEqual({ ok: false, reason: 'bad shape' });
  });
});

describe('background helpers', () => {
  it('badge text is empty unless there are terms', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(-3)).toBe('');
    expect(badgeText(NaN)).toBe('');
    expect(badgeText(12)).toBe('12');
    expect(badgeText(12345)).toBe('999+');
  });
  it('registers scripts only for always-sites and added domains outside the manifest scope', () => {
    const s = {
      ...defaultSettings(),
      extraDomains: ['example.org', 'press.un.org'],
      siteModes: { 'news.example.com': 'always' as const, 'bad.example.com': 'never' as const, 'example.org': 'always' as const },
    };
    expect(registrationDomains(s)).toEqual(['example.org', 'news.example.com']);
  });
});
