import { browser } from 'wxt/browser';
import { CONTENT_SCRIPT_FILE, DEFAULT_DOMAINS, hostInDomain, SHEET_SCRIPT_FILE } from './domains';
import { compileIndex, loadDataset } from '@/lib/dataset';
import type { CompiledIndex } from '@/lib/dataset/types';
import { createMatcher, discoverInTexts, warmUpMatcher, type Matcher } from '@/lib/match';
import type { PageSignals } from '@/lib/match/types';
import { listenInBackground, sendToTab } from '@/lib/messaging/bus';
import { buildCardData } from '@/lib/page/card-data';
import { DISCOVER_MAX_CHARS, type AnnotateTabResult, type DiscoverReply, type MatchReply, type MatchRequest } from '@/lib/messaging/protocol';
import { getSettings, originPatternFor, settingsItem, type Settings } from '@/lib/settings';

/**
 * Background logic (entrypoints/background.ts only calls startBackground()).
 * Holds no essential state in memory: the service worker may stop at any time; badge
 * text lives in the browser, site registrations are rebuilt from settings on every start.
 */

const CONTENT_SCRIPT = CONTENT_SCRIPT_FILE;
const REGISTRATION_ID = 'glens-sites';
/** The document_start stylesheet script registered with it (lib/page/early-sheet.ts). */
const SHEET_REGISTRATION_ID = 'glens-sites-sheet';

/** Domains needing a registered content script: "always" sites and added domains not already in the manifest scope. */
export function registrationDomains(s: Settings): string[] {
  const out = new Set<string>();
  const candidates = [...s.extraDomains, ...Object.entries(s.siteModes).filter(([, m]) => m === 'always').map(([d]) => d)];
  for (const d of candidates) {
    if (DEFAULT_DOMAINS.some((def) => hostInDomain(d, def))) continue;
    out.add(d);
  }
  return [...out].sort();
}

/** Badge text for a distinct-term count: empty unless > 0; capped to fit the badge. */
export function badgeText(count: number): string {
  if (!(count > 0)) return '';
  return count > 999 ? '999+' : String(Math.floor(count));
}

function action(): any {
  const b = browser as any;
  return b.action ?? b.browserAction;
}

async function setBadge(tabId: number, count: number): Promise<void> {
  const a = action();
  if (!a) return;
  const text = badgeText(count);
  try {
    await a.setBadgeText({ tabId, text });
    if (text) {
      await a.setBadgeBackgroundColor?.({ tabId, color: '#1b4f8a' });
      await a.setTitle?.({ tabId, title: `Governance Lens — ${count} term${count === 1 ? '' : 's'} on this page` });
    } else {
      await a.setTitle?.({ tabId, title: 'Governance Lens' });
    }
  } catch {
    // The tab closed meanwhile.
  }
}

/**
 * Annotate a tab on demand: if a content script is already there, tell it to start;
 * otherwise inject it (activeTab grants access after the popup was opened) and start it.
 */
export async function annotateTab(tabId: number): Promise<AnnotateTabResult> {
  try {
    await sendToTab(tabId, { type: 'glens:start', reason: 'on-demand' });
    return { ok: true };
  } catch {
    // No content script yet.
  }
  try {
    await browser.scripting.executeScript({ target: { tabId }, files: [`/${CONTENT_SCRIPT}`] as any });
  } catch (e) {
    return { ok: false, error: `This page cannot be annotated (${(e as Error).message || 'access denied'}).` };
  }
  // The injected script installs its listener synchronously in main(); retry briefly anyway.
  for (let i = 0; i < 5; i++) {
    try {
      await sendToTab(tabId, { type: 'glens:start', reason: 'on-demand' });
      return { ok: true };
    } catch {
      await new Promise((r) => setTimeout(r, 50 * (i + 1)));
    }
  }
  return { ok: false, error: 'The page did not answer after the script was injected.' };
}

let firefoxRegistrations: { unregister(): Promise<void> }[] = [];

/**
 * Make the registered content scripts match the settings (and the host permissions the
 * person granted). Idempotent; called on every background start and on changes.
 */
export async function syncRegistrations(): Promise<string[]> {
  const settings = await getSettings();
  const wanted: string[] = [];
  for (const d of registrationDomains(settings)) {
    const pattern = originPatternFor(d);
    try {
      if (await browser.permissions.contains({ origins: [pattern] })) wanted.push(pattern);
    } catch {
      // Malformed pattern or API missing: skip that domain.
    }
  }
  const scripting = (browser as any).scripting;
  if (scripting?.registerContentScripts) {
    try {
      const ids = [REGISTRATION_ID, SHEET_REGISTRATION_ID];
      const existing: { id: string }[] = (await scripting.getRegisteredContentScripts?.({ ids })) ?? [];
      if (existing.length) await scripting.unregisterContentScripts({ ids: existing.map((e) => e.id) });
      if (wanted.length) {
        const scripts = [
          { id: SHEET_REGISTRATION_ID, matches: wanted, js: [SHEET_SCRIPT_FILE], runAt: 'document_start' },
          { id: REGISTRATION_ID, matches: wanted, js: [CONTENT_SCRIPT], runAt: 'document_idle' },
        ];
        try {
          await scripting.registerContentScripts(scripts.map((s) => ({ ...s, persistAcrossSessions: true })));
        } catch {
          await scripting.registerContentScripts(scripts);
        }
      }
      return wanted;
    } catch {
      // Fall through to the Firefox MV2 API.
    }
  }
  const cs = (browser as any).contentScripts;
  if (cs?.register) {
    for (const r of firefoxRegistrations) await r.unregister().catch(() => undefined);
    firefoxRegistrations = [];
    if (wanted.length) {
      firefoxRegistrations.push(await cs.register({ matches: wanted, js: [{ file: SHEET_SCRIPT_FILE }], runAt: 'document_start' }));
      firefoxRegistrations.push(await cs.register({ matches: wanted, js: [{ file: CONTENT_SCRIPT }], runAt: 'document_idle' }));
    }
  }
  return wanted;
}

let discoveryIndex: CompiledIndex | null = null;

/**
 * The background's side of `glens:discover`: fuzzy discovery over a page's words, here rather than on the
 * page's main thread (where it was the largest fixed cost of an annotated page, and ran with cold code
 * on every page). At most DISCOVER_MAX_CHARS of text in all and 300 ms; variants are named by term id.
 */
export function discoverReply(texts: readonly string[], occupied: readonly (readonly number[])[]): DiscoverReply {
  const index = (discoveryIndex ??= compileIndex(loadDataset()));
  const cut: string[] = [];
  let left = DISCOVER_MAX_CHARS;
  for (const t of texts) {
    if (left <= 0) break;
    const piece = t.length > left ? t.slice(0, left) : t;
    cut.push(piece);
    left -= piece.length;
  }
  const found = discoverInTexts(cut, occupied, index, 300);
  return {
    forms: found
      .filter((f) => f.text.length <= 200)
      .slice(0, 2_000)
      .map((f) => ({ text: f.text, termId: index.terms[f.term].id, variantOf: f.variantOf, distance: f.distance })),
  };
}

let pageMatcher: { index: CompiledIndex; matcher: Matcher } | null = null;
/**
 * Token buffers are grown at warm-up for texts this long: a page's requests are up to ~100,000 chars
 * (REMOTE_CHUNK_CHARS in lib/page) and grow from a few thousand; each growth met in optimised code threw
 * `tokenize` away (1 MB here, once).
 */
const WARM_RESERVE_CHARS = 131_072;

/** What answering `glens:match` has cost the background so far (the benchmark reads it: background CPU). */
export const matchStats = { requests: 0, chars: 0, ms: 0 };

/**
 * The background's side of `glens:match`: the exact matcher over one chunk of a page's text, here rather
 * than on the page's main thread, where it stays warm from page to page. Stateless: the page sends the
 * guard signals it has so far and keeps the ones this answer returns, so answers do not depend on which
 * background instance gives them. Null when the sender's glossary is not this one (another version).
 * @param loadIndex the compiled index the content script uses too (same terms, same order)
 */
export function matchReply(msg: Omit<MatchRequest, 'type'>, loadIndex: () => CompiledIndex): MatchReply | null {
  const t0 = performance.now();
  try {
    return matchNow(msg, loadIndex);
  } finally {
    matchStats.requests++;
    matchStats.chars += msg.text.length;
    matchStats.ms += performance.now() - t0;
  }
}

function matchNow(msg: Omit<MatchRequest, 'type'>, loadIndex: () => CompiledIndex): MatchReply | null {
  if (!pageMatcher) {
    const index = loadIndex();
    pageMatcher = { index, matcher: createMatcher(index) };
    // Before the page's text: see lib/match/warmup.ts (fewer deoptimisations and recompiles of the scanner).
    // Here, at the first request, not when an in-scope tab starts loading: tried, it put this work inside the
    // page's own start-up (2-core bench, loopback: first range on a 10k page 45 → 67 ms, median of 3).
    warmUpMatcher(pageMatcher.matcher, WARM_RESERVE_CHARS);
  }
  const { index, matcher } = pageMatcher;
  if (msg.terms !== index.terms.length) return null;
  const signals: PageSignals = { head: new Set(msg.head), body: new Set(msg.body) };
  if (msg.signalChars > 0 && matcher.addPageText) matcher.addPageText(signals, msg.text.slice(0, msg.signalChars));
  const rejected: number[] = [];
  const found = matcher.find(msg.text, { signals, onPageRejected: (term, start) => void rejected.push(term, start) });
  const spans = new Array<number>(found.length * 3);
  for (let i = 0; i < found.length; i++) {
    spans[3 * i] = found[i].start;
    spans[3 * i + 1] = found[i].end;
    spans[3 * i + 2] = found[i].term;
  }
  return { spans, rejected, body: [...signals.body] };
}

async function activeTabId(): Promise<number | undefined> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

/** Wire every background listener. Call once from defineBackground's main(). */
export function startBackground(opts: { loadIndex?: () => CompiledIndex } = {}): void {
  const loadIndex = opts.loadIndex ?? (() => compileIndex(loadDataset()));
  listenInBackground({
    'glens:count': (msg, { tabId }) => (tabId === undefined ? undefined : setBadge(tabId, msg.count)),
    'glens:annotateTab': (msg) => annotateTab(msg.tabId),
    // Card text comes only from our dataset, looked up by id (the page cannot supply any).
    'glens:cardData': (msg) => buildCardData(loadDataset(), msg.termId),
    'glens:discover': (msg) => discoverReply(msg.texts, msg.occupied),
    'glens:match': (msg) => matchReply(msg, loadIndex),
  });

  browser.tabs.onUpdated.addListener((tabId, changeInfo) => {
    // A new document: its content script reports a fresh count after annotating.
    if (changeInfo.status === 'loading') void setBadge(tabId, 0);
  });

  browser.commands?.onCommand.addListener(async (command) => {
    if (command !== 'next-term' && command !== 'previous-term') return;
    const tabId = await activeTabId();
    if (tabId === undefined) return;
    try {
      await sendToTab(tabId, { type: 'glens:navigate', direction: command === 'next-term' ? 'next' : 'previous' });
    } catch {
      // No content script on that tab.
    }
  });

  const resync = () => void syncRegistrations().catch(() => undefined);
  settingsItem.watch(resync);
  browser.permissions?.onAdded?.addListener(resync);
  browser.permissions?.onRemoved?.addListener(resync);
  browser.runtime.onStartup?.addListener(resync);
  browser.runtime.onInstalled?.addListener(resync);
  resync();
}
