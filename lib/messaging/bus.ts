import * as v from 'valibot';
import { browser } from 'wxt/browser';
import {
  DiscoverReplySchema,
  MatchReplySchema,
  PageReportSchema,
  ToBackgroundSchema,
  ToContentSchema,
  type AnnotateTabResult,
  type DiscoverReply,
  type MatchReply,
  type MatchRequest,
  type PageReport,
  type ToBackground,
  type ToContent,
} from './protocol';

/**
 * Typed, validated send/receive helpers over browser.runtime / browser.tabs.
 * Receivers check the message shape (valibot) AND the sender:
 * - background: glens:count only from one of our content scripts (sender.tab present),
 *   glens:annotateTab only from our extension pages (sender.url on our own origin);
 * - content scripts: only messages sent by this extension (sender.id === runtime.id).
 * The checks are pure functions so they can be tested without a browser.
 */

/** The minimum we read from a runtime.MessageSender. */
export interface SenderLike {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number } | undefined;
  frameId?: number;
}

/** Who "we" are: the extension id and its page origin (runtime.getURL('/')). */
export interface SelfIdentity {
  id: string;
  /** e.g. "chrome-extension://abc/" or "moz-extension://uuid/" (with trailing slash). */
  origin: string;
}

export type Checked<T> = { ok: true; msg: T } | { ok: false; reason: string };

/** The running extension's identity. */
export function selfIdentity(): SelfIdentity {
  return { id: browser.runtime.id, origin: browser.runtime.getURL('/') };
}

function fromExtensionPage(sender: SenderLike, self: SelfIdentity): boolean {
  if (sender.id !== self.id) return false;
  const origin = self.origin.endsWith('/') ? self.origin : self.origin + '/';
  return typeof sender.url === 'string' && sender.url.startsWith(origin);
}

/**
 * Who may send each background message: 'content' = one of our content scripts in a tab
 * (sender.tab present, not an extension page); 'extension-page' = our popup, side panel or
 * options page (sender.url on our own origin). A type missing here is rejected.
 */
export const BACKGROUND_SENDER_RULES: Record<string, 'content' | 'extension-page'> = {
  'glens:count': 'content',
  'glens:annotateTab': 'extension-page',
  'glens:cardData': 'content',
  'glens:discover': 'content',
  'glens:match': 'content',
};

/** Shape + sender check for a message arriving at the background. */
export function checkBackgroundMessage(raw: unknown, sender: SenderLike, self: SelfIdentity): Checked<ToBackground> {
  const parsed = v.safeParse(ToBackgroundSchema, raw);
  if (!parsed.success) return { ok: false, reason: 'bad shape' };
  const msg = parsed.output;
  if (!sender || sender.id !== self.id) return { ok: false, reason: 'foreign sender' };
  const rule = BACKGROUND_SENDER_RULES[msg.type];
  if (rule === 'content') {
    if (!sender.tab || typeof sender.tab.id !== 'number' || sender.tab.id < 0) return { ok: false, reason: `${msg.type} needs a content-script sender in a tab` };
    if (fromExtensionPage(sender, self)) return { ok: false, reason: `${msg.type} from an extension page` };
    return { ok: true, msg };
  }
  if (rule === 'extension-page') {
    if (!fromExtensionPage(sender, self)) return { ok: false, reason: `${msg.type} only from extension pages` };
    return { ok: true, msg };
  }
  return { ok: false, reason: 'unknown message type' };
}

/** Shape + sender check for a message arriving at a content script. */
export function checkContentMessage(raw: unknown, sender: SenderLike, self: Pick<SelfIdentity, 'id'>): Checked<ToContent> {
  if (!sender || sender.id !== self.id) return { ok: false, reason: 'foreign sender' };
  const parsed = v.safeParse(ToContentSchema, raw);
  if (!parsed.success) return { ok: false, reason: 'bad shape' };
  return { ok: true, msg: parsed.output };
}

/** Validate then send a message to the background. */
export async function sendToBackground(msg: ToBackground): Promise<unknown> {
  return browser.runtime.sendMessage(v.parse(ToBackgroundSchema, msg));
}

/** Validate then send a message to a tab's content script (top frame). */
export async function sendToTab(tabId: number, msg: ToContent): Promise<unknown> {
  return browser.tabs.sendMessage(tabId, v.parse(ToContentSchema, msg), { frameId: 0 });
}

/**
 * Ask a tab's content script for its PageReport. Resolves to null when no content
 * script answers (not annotated, restricted page) or the answer is malformed.
 */
export async function requestPageReport(tabId: number): Promise<PageReport | null> {
  try {
    const res = await sendToTab(tabId, { type: 'glens:getReport' });
    const parsed = v.safeParse(PageReportSchema, res);
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}

/** Ask the background to annotate a tab now (activeTab). */
export async function requestAnnotateTab(tabId: number): Promise<AnnotateTabResult> {
  try {
    const res = (await sendToBackground({ type: 'glens:annotateTab', tabId })) as AnnotateTabResult | undefined;
    if (res && typeof res === 'object' && typeof res.ok === 'boolean') return res;
    return { ok: false, error: 'No answer from the extension background.' };
  } catch (e) {
    return { ok: false, error: (e as Error).message || String(e) };
  }
}

/** Report the page's distinct-term count to the background (content script side). */
export async function reportCount(count: number): Promise<void> {
  try {
    await sendToBackground({ type: 'glens:count', count: Math.max(0, Math.min(1_000_000, Math.floor(count))) });
  } catch {
    // Background asleep or extension reloaded; the badge is cosmetic.
  }
}

/**
 * Ask the background for fuzzy discovery over the page's words (content script side). Null when it does
 * not answer or answers out of shape: the caller then runs discovery itself.
 */
export async function requestDiscovery(texts: string[], occupied: number[][]): Promise<DiscoverReply['forms'] | null> {
  try {
    const res = await sendPageData({ type: 'glens:discover', texts, occupied });
    const parsed = v.safeParse(DiscoverReplySchema, res);
    return parsed.success ? parsed.output.forms : null;
  } catch {
    return null;
  }
}

/**
 * Ask the background to match page text (content script side). Null when it does not answer in time or
 * answers out of shape: the caller then matches the text itself.
 */
export async function requestMatch(req: Omit<MatchRequest, 'type'>, timeoutMs = 3_000): Promise<MatchReply | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
    const res = await Promise.race([sendPageData({ type: 'glens:match', ...req }), late]);
    if (res === null) return null;
    const parsed = v.safeParse(MatchReplySchema, res);
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Send a message that carries page data (words, text) to the background. Unlike sendToBackground it does
 * not run the schema on the way out: the message is built by our own typed code, the background checks it
 * on arrival, and on the page's main thread the check cost ~4 ms per discovery message (20,000 texts).
 */
function sendPageData(msg: Extract<ToBackground, { type: 'glens:discover' | 'glens:match' }>): Promise<unknown> {
  return browser.runtime.sendMessage(msg);
}

type BgMsg<K extends ToBackground['type']> = Extract<ToBackground, { type: K }>;

/** One handler per background message type; `tabId` is the sender's tab for content messages. */
export type BackgroundHandlers = {
  [K in ToBackground['type']]?: (msg: BgMsg<K>, ctx: { tabId?: number }) => unknown;
};

/** Install the background listener; returns a function that removes it. */
export function listenInBackground(handlers: BackgroundHandlers, self: SelfIdentity = selfIdentity()): () => void {
  const listener = (raw: unknown, sender: SenderLike): Promise<unknown> | undefined => {
    const c = checkBackgroundMessage(raw, sender, self);
    if (!c.ok) return undefined;
    const handler = handlers[c.msg.type] as ((m: ToBackground, ctx: { tabId?: number }) => unknown) | undefined;
    if (!handler) return undefined;
    // Resolve to null rather than undefined so the sender always gets an answer.
    return Promise.resolve(handler(c.msg, { tabId: sender.tab?.id })).then((r) => (r === undefined ? null : r));
  };
  browser.runtime.onMessage.addListener(listener as any);
  return () => browser.runtime.onMessage.removeListener(listener as any);
}

/**
 * Install a content-script listener. The handler's return value (or promise) is the
 * reply; messages from anyone but this extension, or of the wrong shape, are ignored.
 */
export function listenInContent(handler: (msg: ToContent) => unknown, self: Pick<SelfIdentity, 'id'> = { id: browser.runtime.id }): () => void {
  const listener = (raw: unknown, sender: SenderLike): Promise<unknown> | undefined => {
    const c = checkContentMessage(raw, sender, self);
    if (!c.ok) return undefined;
    return Promise.resolve(handler(c.msg));
  };
  browser.runtime.onMessage.addListener(listener as any);
  return () => browser.runtime.onMessage.removeListener(listener as any);
}
