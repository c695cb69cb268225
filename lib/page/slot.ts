import type { Undo } from './paint';

/** The highlight stylesheet adopted at document_start (lib/page/early-sheet.ts), until the annotator claims it. */
export interface EarlySheet {
  doc: Document;
  sheet: CSSStyleSheet;
  undo: Undo;
}

/**
 * State shared by the extension's scripts in one window (they run in the same isolated world, or the same
 * Firefox sandbox): the running copy's liveness and stop, and what the document_start script prepared.
 */
export interface GlobalSlot {
  stop?: () => void;
  alive?: () => boolean;
  sheet?: EarlySheet;
  /** The settings read the document_start script started (lib/settings/prefetch.ts), until taken. */
  settings?: Promise<Record<string, unknown>>;
  /** That read's reply once it is in (null when it failed), so the content script can use it at once. */
  settingsValue?: Record<string, unknown> | null;
}

const GLOBAL_KEY = Symbol.for('glens');

/** The per-window slot used as the double-start guard (a Symbol property, not a DOM attribute). */
export function globalSlot(win: Window = window): GlobalSlot {
  const w = win as unknown as Record<symbol, GlobalSlot | undefined>;
  let slot = w[GLOBAL_KEY];
  if (!slot) {
    slot = {};
    try {
      Object.defineProperty(win, GLOBAL_KEY, { value: slot, configurable: true, enumerable: false, writable: false });
    } catch {
      w[GLOBAL_KEY] = slot;
    }
  }
  return slot;
}
