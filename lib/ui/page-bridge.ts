import { browser } from 'wxt/browser';
import { requestAnnotateTab, requestPageReport, sendToTab } from '@/lib/messaging/bus';
import type { AnnotateTabResult, PageReport } from '@/lib/messaging/protocol';
import { originPatternFor } from '@/lib/settings';

/** The active tab as the popup/side panel sees it. `url` is absent when the browser hides it. */
export interface TabInfo {
  id: number;
  url?: string;
  title?: string;
}

/**
 * Everything the popup and side panel ask of the browser about the current page. An
 * interface so components can be tested with a stub.
 */
export interface PageBridge {
  activeTab(): Promise<TabInfo | undefined>;
  getReport(tabId: number): Promise<PageReport | null>;
  focusTerm(tabId: number, termId: string): Promise<boolean>;
  annotate(tabId: number): Promise<AnnotateTabResult>;
  /**
   * Ask for host permission for a domain and its subdomains. Must be called from a
   * click handler BEFORE any await (browsers require a user gesture).
   */
  requestSite(domain: string): Promise<boolean>;
  /** Subscribe to "the active tab changed or reloaded"; returns unsubscribe. */
  onTabChange(cb: () => void): () => void;
}

/**
 * A tab id pinned by the page URL (`popup.html?tab=123`): tests open the popup as a tab,
 * where "the active tab" would be the popup itself.
 */
export function pinnedTabId(search: string = typeof location === 'undefined' ? '' : location.search): number | undefined {
  const raw = new URLSearchParams(search).get('tab');
  if (!raw || !/^\d{1,10}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id > 0 ? id : undefined;
}

/** The real bridge over browser.tabs / runtime messaging. */
export const browserBridge: PageBridge = {
  async activeTab() {
    const pinned = pinnedTabId();
    if (pinned !== undefined) {
      try {
        const t = await browser.tabs.get(pinned);
        return { id: pinned, url: t.url, title: t.title };
      } catch {
        return undefined;
      }
    }
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (!tab || tab.id === undefined) return undefined;
    return { id: tab.id, url: tab.url, title: tab.title };
  },
  getReport: (tabId) => requestPageReport(tabId),
  async focusTerm(tabId, termId) {
    try {
      await sendToTab(tabId, { type: 'glens:focusTerm', termId });
      return true;
    } catch {
      return false;
    }
  },
  annotate: (tabId) => requestAnnotateTab(tabId),
  requestSite(domain) {
    try {
      return browser.permissions.request({ origins: [originPatternFor(domain)] }).catch(() => false);
    } catch {
      return Promise.resolve(false);
    }
  },
  onTabChange(cb) {
    const onActivated = () => cb();
    const onUpdated = (_id: number, info: { status?: string; url?: string }) => {
      if (info.status === 'complete' || info.url) cb();
    };
    browser.tabs.onActivated.addListener(onActivated);
    browser.tabs.onUpdated.addListener(onUpdated as any);
    browser.windows?.onFocusChanged?.addListener(onActivated as any);
    return () => {
      browser.tabs.onActivated.removeListener(onActivated);
      browser.tabs.onUpdated.removeListener(onUpdated as any);
      browser.windows?.onFocusChanged?.removeListener(onActivated as any);
    };
  },
};

/** Host name of a URL, or undefined for non-web pages. */
export function webHost(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** Download text as a file via a blob URL and a temporary <a download>. */
export function downloadText(text: string, fileName: string, type = 'text/markdown', doc: Document = document): void {
  const blob = new Blob([text], { type: `${type};charset=utf-8` });
  const href = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = href;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
