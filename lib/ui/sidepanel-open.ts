import { browser } from 'wxt/browser';

/**
 * A function that opens the side panel (Chrome sidePanel.open) or sidebar (Firefox
 * sidebarAction.open) from a click, or undefined when the browser offers neither.
 * The window id is fetched ahead of time so the open call stays inside the user gesture.
 */
export function openSidePanel(): (() => void) | undefined {
  const b = browser as any;
  if (b.sidePanel?.open) {
    let windowId: number | undefined;
    b.windows?.getCurrent?.().then((w: { id?: number }) => (windowId = w.id)).catch(() => undefined);
    return () => {
      if (windowId === undefined) return;
      b.sidePanel.open({ windowId }).then(() => window.close()).catch(() => undefined);
    };
  }
  if (b.sidebarAction?.open) {
    return () => {
      b.sidebarAction.open().then(() => window.close()).catch(() => undefined);
    };
  }
  return undefined;
}
