import { h, render } from 'preact';
import * as v from 'valibot';
import type { CompiledIndex } from '@/lib/dataset/types';
import { CardDataSchema, type CardData } from '@/lib/messaging/protocol';
import { Card } from '@/lib/ui/card/Card';
import { copyFromCard } from '@/lib/ui/card/copy';
import { CARD_CSS } from '@/lib/ui/card/styles';
import { HOST_TAG } from './constants';

/**
 * The ONE element we add to a page: <glens-card-host>, appended to <html> lazily (on the first card),
 * with an open shadow root holding the Preact card. Fixed positioning relative to the term's client
 * rects, flipped at viewport edges and clamped inside it; never clipped by page overflow since the host
 * is a child of the root element. WCAG 1.4.13: Esc dismisses, the card is hoverable, and it persists
 * while the pointer is on the term or the card (hover-opened) or until dismissed (click/keyboard-opened).
 */

export interface OpenRequest {
  termId: string;
  /** Current client rects of the occurrence (re-read on scroll/resize). */
  anchor: () => DOMRect[];
  /** Pinned cards stay until Esc, the close button or a click elsewhere. */
  pinned: boolean;
  /** Move focus into the card (keyboard navigation). */
  focus: boolean;
  /** The term's text node (to match the card to a dark or light page). */
  node?: Node;
}

export interface CardHostOptions {
  doc: Document;
  index: CompiledIndex;
  getCardData?: (termId: string) => Promise<CardData | null>;
  theme: () => 'auto' | 'light' | 'dark';
  onClosed?: () => void;
}

export interface CardHost {
  open(req: OpenRequest): void;
  close(restoreFocus: boolean): void;
  isOpen(): boolean;
  isOpenFor(termId: string): boolean;
  /** The pointer is (or is no longer) over the open card's term. */
  pointerOnAnchor(on: boolean): void;
  /** Remember the focused element to return to on Esc. */
  rememberFocus(): void;
  refresh(): void;
  hostElement(): Element | null;
  /** Guidance kind/title from card data seen so far (for the report). */
  cachedGuidance(id: string): { kind: string; title: string } | null;
  /** The card element (tests). */
  cardElement(): HTMLElement | null;
  dispose(): void;
}

const GAP = 6;
const MARGIN = 8;
const MIN_HEIGHT = 160;

/**
 * Where to put a card of `size` for an anchor rect: below the term, flipped above when it does not fit
 * below; when neither side fits, the roomier side with a max height (the card scrolls) so the card
 * never covers its term. Always inside the viewport.
 */
export function computePlacement(
  anchor: { top: number; bottom: number; left: number; right: number },
  size: { w: number; h: number },
  vp: { w: number; h: number },
): { top: number; left: number; flipped: boolean; maxHeight: number } {
  const below = vp.h - MARGIN - (anchor.bottom + GAP);
  const above = anchor.top - GAP - MARGIN;
  let top: number;
  let flipped = false;
  let maxHeight = vp.h - 2 * MARGIN;
  if (size.h <= below) {
    top = anchor.bottom + GAP;
  } else if (size.h <= above) {
    top = anchor.top - GAP - size.h;
    flipped = true;
  } else if (Math.max(below, above) >= MIN_HEIGHT) {
    if (below >= above) {
      top = anchor.bottom + GAP;
      maxHeight = below;
    } else {
      maxHeight = above;
      top = MARGIN;
      flipped = true;
    }
  } else {
    // A tiny viewport: clamp inside it (may cover the term).
    top = Math.max(MARGIN, Math.min(anchor.bottom + GAP, vp.h - MARGIN - size.h));
  }
  let left = anchor.left;
  if (left + size.w > vp.w - MARGIN) left = vp.w - MARGIN - size.w;
  if (left < MARGIN) left = MARGIN;
  return { top: Math.round(top), left: Math.round(left), flipped, maxHeight: Math.floor(maxHeight) };
}

/** Relative luminance-ish of a CSS colour string ("rgb(…)"/"rgba(…)"); null when transparent/unknown. */
function lightness(color: string): number | null {
  const m = /rgba?\(([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)(?:[ ,/]+([\d.]+))?/.exec(color);
  if (!m) return null;
  if (m[4] !== undefined && Number(m[4]) < 0.5) return null;
  return (0.2126 * Number(m[1]) + 0.7152 * Number(m[2]) + 0.0722 * Number(m[3])) / 255;
}

/** Is the page dark behind `node`? Reads a few computed backgrounds, once per card open (not per node). */
export function pageLooksDark(node: Node | null, win: Window): boolean | null {
  let el: Element | null = node && node.nodeType === 1 ? (node as Element) : (node?.parentElement ?? null);
  for (let i = 0; el && i < 30; i++, el = el.parentElement) {
    const l = lightness(win.getComputedStyle(el).backgroundColor);
    if (l !== null) return l < 0.4;
  }
  const doc = win.document;
  for (const e of [doc.body, doc.documentElement]) {
    if (!e) continue;
    const l = lightness(win.getComputedStyle(e).backgroundColor);
    if (l !== null) return l < 0.4;
  }
  return null;
}

/** Create the (lazy) card host. */
export function createCardHost(o: CardHostOptions): CardHost {
  const { doc, index } = o;
  const win = doc.defaultView ?? window;
  let host: HTMLElement | null = null;
  let shadow: ShadowRoot | null = null;
  let mount: HTMLElement | null = null;
  let current: (OpenRequest & { status: 'loading' | 'ready' | 'unavailable'; data: CardData | null; dark: boolean | null }) | null = null;
  let returnTo: Element | null = null;
  let inCard = false;
  let onAnchor = false;
  let closeTimer: ReturnType<typeof setTimeout> | null = null;
  let rafId = 0;
  const cache = new Map<string, CardData | null>();
  const guidance = new Map<string, { kind: string; title: string }>();
  const listeners: Array<() => void> = [];

  const labelOf = (termId: string) => index.terms.find((t) => t.id === termId)?.label ?? termId;

  const ensureHost = (): boolean => {
    if (host && host.isConnected && shadow) return true;
    if (host && !host.isConnected) teardownHost();
    try {
      const el = doc.createElement(HOST_TAG);
      const st = el.style;
      // Inline !important beats page rules aimed at the tag; the shadow root's :host rule is weaker.
      // No inline `all`: it would pin letter/word spacing with !important (WCAG 1.4.12); the card's
      // own root sets its font and spacing inside the shadow root.
      for (const [k, val] of [
        ['position', 'fixed'],
        ['top', '0px'],
        ['left', '0px'],
        ['width', '0px'],
        ['height', '0px'],
        ['display', 'block'],
        ['z-index', '2147483647'],
        ['overflow', 'visible'],
        ['pointer-events', 'none'],
        ['contain', 'none'],
      ]) {
        st?.setProperty(k, val, 'important');
      }
      const sr = el.attachShadow({ mode: 'open' });
      let styled = false;
      try {
        const sheet = new (win as typeof globalThis).CSSStyleSheet();
        sheet.replaceSync(CARD_CSS);
        sr.adoptedStyleSheets = [sheet];
        styled = true;
      } catch {
        styled = false;
      }
      if (!styled) {
        const style = doc.createElement('style');
        style.textContent = CARD_CSS;
        sr.appendChild(style);
      }
      const m = doc.createElement('div');
      sr.appendChild(m);
      (doc.documentElement ?? doc.body)?.appendChild(el);
      host = el;
      shadow = sr;
      mount = m;
      const enter = () => {
        inCard = true;
        cancelClose();
      };
      const leave = () => {
        inCard = false;
        maybeClose();
      };
      sr.addEventListener('pointerover', enter);
      m.addEventListener('pointerleave', leave);
      return true;
    } catch {
      teardownHost();
      return false;
    }
  };

  function teardownHost() {
    try {
      if (mount) render(null, mount);
    } catch {
      /* ignore */
    }
    host?.remove();
    host = null;
    shadow = null;
    mount = null;
  }

  const cancelClose = () => {
    if (closeTimer !== null) clearTimeout(closeTimer);
    closeTimer = null;
  };
  const maybeClose = () => {
    if (!current || current.pinned || inCard || onAnchor) return;
    cancelClose();
    closeTimer = setTimeout(() => {
      closeTimer = null;
      if (current && !current.pinned && !inCard && !onAnchor) api.close(false);
    }, 400);
  };

  const cardEl = (): HTMLElement | null => (shadow?.querySelector('.card') as HTMLElement | null) ?? null;

  const position = () => {
    const el = cardEl();
    if (!el || !current) return;
    const rects = current.anchor();
    const r = rects[0];
    if (!r) {
      api.close(false);
      return;
    }
    const vw = win.innerWidth;
    const vh = win.innerHeight;
    // Measure at natural height, then place (and cap the height so the term stays visible).
    el.style.maxHeight = `${Math.max(MIN_HEIGHT, vh - 2 * MARGIN)}px`;
    const p = computePlacement(r, { w: el.offsetWidth || 380, h: el.offsetHeight || 200 }, { w: vw, h: vh });
    el.style.maxHeight = `${p.maxHeight}px`;
    el.style.top = `${p.top}px`;
    el.style.left = `${p.left}px`;
  };

  const draw = () => {
    if (!current || !mount) return;
    const req = current;
    render(
      h(Card, {
        termId: req.termId,
        label: labelOf(req.termId),
        data: req.data,
        status: req.status,
        datasetVersion: req.data?.datasetVersion ?? index.version,
        theme: o.theme() === 'auto' && req.dark !== null ? (req.dark ? 'dark' : 'light') : o.theme(),
        onClose: () => api.close(true),
        onCopy: (text: string) => copyFromCard(text, shadow),
      }),
      mount,
    );
    position();
  };

  const onViewportChange = () => {
    if (!current || rafId) return;
    rafId = win.requestAnimationFrame(() => {
      rafId = 0;
      position();
    });
  };
  win.addEventListener('scroll', onViewportChange, { passive: true, capture: true });
  win.addEventListener('resize', onViewportChange, { passive: true });
  listeners.push(() => {
    win.removeEventListener('scroll', onViewportChange, { capture: true });
    win.removeEventListener('resize', onViewportChange);
    if (rafId) win.cancelAnimationFrame(rafId);
  });

  const load = (req: NonNullable<typeof current>) => {
    if (cache.has(req.termId)) {
      req.data = cache.get(req.termId) ?? null;
      req.status = req.data ? 'ready' : 'unavailable';
      return;
    }
    if (!o.getCardData) {
      req.status = 'unavailable';
      return;
    }
    req.status = 'loading';
    o.getCardData(req.termId)
      .then((raw) => {
        // Validate: render only well-formed dataset data for the id we asked about.
        const r = v.safeParse(CardDataSchema, raw);
        const data = r.success && r.output.termId === req.termId ? r.output : null;
        cache.set(req.termId, data);
        if (data) for (const g of data.related) guidance.set(g.id, { kind: g.kind, title: g.title });
        if (current === req) {
          req.data = data;
          req.status = data ? 'ready' : 'unavailable';
          draw();
          if (req.focus) cardEl()?.focus({ preventScroll: true });
        }
      })
      .catch(() => {
        if (current === req) {
          req.status = 'unavailable';
          draw();
        }
      });
  };

  const api: CardHost = {
    open(req) {
      cancelClose();
      if (!ensureHost()) return;
      let dark: boolean | null = null;
      if (o.theme() === 'auto') {
        try {
          dark = pageLooksDark(req.node ?? null, win);
        } catch {
          dark = null;
        }
      }
      const next = { ...req, status: 'loading' as const, data: null, dark } as NonNullable<typeof current>;
      current = next;
      onAnchor = !req.pinned;
      load(next);
      draw();
      if (req.focus) cardEl()?.focus({ preventScroll: true });
    },
    close(restoreFocus) {
      cancelClose();
      if (!current) return;
      const hadFocus = !!shadow?.activeElement || doc.activeElement === host;
      current = null;
      inCard = false;
      if (mount) render(null, mount);
      if (restoreFocus && hadFocus && returnTo && (returnTo as HTMLElement).focus && returnTo.isConnected) {
        (returnTo as HTMLElement).focus({ preventScroll: true });
      } else if (hadFocus) {
        (doc.activeElement as HTMLElement | null)?.blur?.();
      }
      if (restoreFocus) returnTo = null;
      o.onClosed?.();
    },
    isOpen: () => current !== null,
    isOpenFor: (id) => current?.termId === id,
    pointerOnAnchor(on) {
      onAnchor = on;
      if (on) cancelClose();
      else maybeClose();
    },
    rememberFocus() {
      const a = doc.activeElement;
      if (a !== host) returnTo = a;
    },
    refresh() {
      if (current) draw();
    },
    hostElement: () => host,
    cachedGuidance: (id) => guidance.get(id) ?? null,
    cardElement: cardEl,
    dispose() {
      cancelClose();
      current = null;
      for (const l of listeners) l();
      teardownHost();
    },
  };
  return api;
}
