import * as v from 'valibot';

/**
 * Typed, validated messages between the extension's contexts. Every message has a
 * `glens:` type; receivers validate the shape with valibot before acting, and
 * background handlers also check the sender (see lib/messaging/bus.ts).
 */

const ReportTerm = v.object({
  id: v.string(),
  label: v.string(),
  count: v.number(),
  /** Exact page text of each occurrence → how often. */
  surfaces: v.record(v.string(), v.number()),
  /** Related guidance ids. */
  related: v.array(v.string()),
});

const ReportGuidance = v.object({
  id: v.string(),
  kind: v.string(),
  title: v.string(),
  count: v.number(),
  /** Term ids on the page that point to this entry. */
  terms: v.array(v.string()),
});

export const PageReportSchema = v.object({
  url: v.string(),
  title: v.string(),
  /** idle: not started; running; done; off: not annotated on this page. */
  state: v.picklist(['idle', 'running', 'done', 'off']),
  /** How the page came to be annotated. */
  reason: v.optional(v.picklist(['default-scope', 'on-demand', 'site-always'])),
  datasetVersion: v.string(),
  timing: v.object({
    annotateMs: v.number(),
    longestSliceMs: v.number(),
    firstPaintMs: v.number(),
    slices: v.number(),
    /**
     * The content script's longest start-up task, measured in it (ms): its evaluation (after compiling),
     * the task that reads the settings and loads the matcher, and the one that starts the annotator with
     * its first slice. With longestSliceMs, the longest task of the extension's own work on the page.
     */
    startupMs: v.optional(v.number()),
  }),
  terms: v.array(ReportTerm),
  guidance: v.array(ReportGuidance),
  /** First occurrence's surrounding text per term id, for text-fragment links. */
  firstContext: v.optional(v.record(v.string(), v.string())),
  /** Characters of page text the last full pass matched in the extension's background and on the page. */
  matchedChars: v.optional(v.object({ background: v.number(), page: v.number() })),
  /** Where fuzzy discovery last ran: the extension's background, or the page (absent: it did not run). */
  discoveredIn: v.optional(v.picklist(['background', 'page'])),
});
export type PageReport = v.InferOutput<typeof PageReportSchema>;
export type PageReportTerm = v.InferOutput<typeof ReportTerm>;
export type PageReportGuidance = v.InferOutput<typeof ReportGuidance>;

/** Messages a content script accepts (sent with tabs.sendMessage). */
export const ToContentSchema = v.variant('type', [
  v.object({ type: v.literal('glens:getReport') }),
  /** Scroll to the next occurrence of a term and open its card. */
  v.object({ type: v.literal('glens:focusTerm'), termId: v.pipe(v.string(), v.maxLength(200)) }),
  /** Move to the next/previous highlighted term (keyboard commands). */
  v.object({ type: v.literal('glens:navigate'), direction: v.picklist(['next', 'previous']) }),
  /** Start annotating if not already (on-demand). */
  v.object({ type: v.literal('glens:start'), reason: v.picklist(['on-demand', 'site-always', 'default-scope']) }),
]);
export type ToContent = v.InferOutput<typeof ToContentSchema>;

/** `glens:discover`: at most this much page text in all, in at most DISCOVER_MAX_TEXTS texts. */
export const DISCOVER_MAX_CHARS = 150_000;
export const DISCOVER_MAX_TEXTS = 20_000;

/** `glens:match`: the most page text one request may carry (a longer chunk is matched on the page). */
export const MATCH_MAX_CHARS = 400_000;
/**
 * An array of at most `maxLength` integers in [0, max]: the shape of the long number lists a page and the
 * background exchange (spans, offsets, ids). One `v.custom` check with a plain loop instead of a pipe per
 * element: valibot runs four actions and allocates per element, which for a 100k-word page's replies cost
 * the page's main thread ~10× more (a 3,144-number reply, first parse in a fresh world: 4.7 → 1.0 ms;
 * warm 0.5 → 0.05 ms, in Node).
 */
export function intArray(maxLength: number, max: number) {
  return v.custom<number[]>((x) => {
    if (!Array.isArray(x) || x.length > maxLength) return false;
    for (let i = 0; i < x.length; i++) {
      const n: unknown = x[i];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) return false;
    }
    return true;
  }, `Invalid type: expected at most ${maxLength} integers in [0, ${max}]`);
}

/** Page-level signal ids in a `glens:match` request or reply (the signal table has a few hundred). */
const SIGNAL_IDS = intArray(10_000, 1_000_000);

/** Messages the background accepts (sent with runtime.sendMessage). */
export const ToBackgroundSchema = v.variant('type', [
  /** From the popup: annotate this tab now (activeTab). */
  v.object({ type: v.literal('glens:annotateTab'), tabId: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  /** From a content script: the number of distinct terms on its page, for the badge. */
  v.object({ type: v.literal('glens:count'), count: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000)) }),
  /** From a content script: the card's data for one term id (answered with CardData or null). */
  v.object({ type: v.literal('glens:cardData'), termId: v.pipe(v.string(), v.maxLength(200)) }),
  /**
   * From a content script: match this page text (segments joined by block separators) in the background,
   * off the page's main thread. `signalChars` leading chars of `text` feed the page-level guard signals,
   * which so far are `head` (title and address) and `body` (text fed before); `terms` is the sender's
   * glossary size (a copy from another version gets no answer).
   */
  v.object({
    type: v.literal('glens:match'),
    text: v.pipe(v.string(), v.maxLength(MATCH_MAX_CHARS)),
    signalChars: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MATCH_MAX_CHARS)),
    head: SIGNAL_IDS,
    body: SIGNAL_IDS,
    terms: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000)),
  }),
  /**
   * From a content script: fuzzy discovery over the text its pass read (segment texts, and per text the
   * [start, end, …] spans already matched). Answered with a DiscoverReply. The background examines the
   * words and forgets them: nothing is stored or sent anywhere.
   */
  v.object({
    type: v.literal('glens:discover'),
    texts: v.pipe(v.array(v.pipe(v.string(), v.maxLength(DISCOVER_MAX_CHARS))), v.maxLength(DISCOVER_MAX_TEXTS)),
    occupied: v.pipe(v.array(intArray(DISCOVER_MAX_CHARS, Number.MAX_SAFE_INTEGER)), v.maxLength(DISCOVER_MAX_TEXTS)),
  }),
]);
export type ToBackground = v.InferOutput<typeof ToBackgroundSchema>;

const HttpsUrl = v.pipe(v.string(), v.maxLength(2000), v.url(), v.startsWith('https://'));
const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** A source link as the card shows it (also what "Copy citation" needs). */
const CardSource = v.object({
  id: Text(200),
  title: Text(500),
  publisher: Text(200),
  year: v.number(),
  url: HttpsUrl,
});

/**
 * Everything the in-page card shows for one term: dataset text only, looked up by term id
 * in the extension's own data (the page cannot supply any of it). Answer to `glens:cardData`.
 */
export const CardDataSchema = v.object({
  termId: Text(200),
  label: Text(500),
  definition: Text(4000),
  datasetVersion: Text(100),
  related: v.array(
    v.object({
      id: Text(200),
      kind: Text(50),
      title: Text(500),
      summary: Text(4000),
      /** One verbatim quote with its source. */
      quote: v.optional(v.object({ text: Text(4000), section: Text(500), source: CardSource })),
      sources: v.array(CardSource),
    }),
  ),
  /** The term's own sources (may be empty). */
  sources: v.array(CardSource),
});
export type CardData = v.InferOutput<typeof CardDataSchema>;
export type CardSource = v.InferOutput<typeof CardSource>;

/** Answer to `glens:discover`: variants of glossary forms found in the page's words, by term id. */
export const DiscoverReplySchema = v.object({
  forms: v.pipe(
    v.array(
      v.object({
        /** The page's spelling (a word or two from the texts sent). */
        text: Text(200),
        termId: Text(200),
        /** The glossary form it is a variant of. */
        variantOf: Text(500),
        distance: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10)),
      }),
    ),
    v.maxLength(2_000),
  ),
});
export type DiscoverReply = v.InferOutput<typeof DiscoverReplySchema>;

const Offsets = (max: number) => intArray(max, MATCH_MAX_CHARS);

/**
 * Answer to `glens:match`: the spans found, flat (start, end, term index) triples in text order; the
 * guarded candidates dropped only on the page-level decision, flat (term index, start) pairs (the page
 * re-checks them once it has read more); and the page-level signal ids after this text (`body`).
 */
export const MatchReplySchema = v.object({
  spans: Offsets(3 * (MATCH_MAX_CHARS / 2)),
  rejected: Offsets(MATCH_MAX_CHARS),
  body: SIGNAL_IDS,
});
export type MatchReply = v.InferOutput<typeof MatchReplySchema>;
export type MatchRequest = Extract<ToBackground, { type: 'glens:match' }>;

export interface AnnotateTabResult {
  ok: boolean;
  error?: string;
}
