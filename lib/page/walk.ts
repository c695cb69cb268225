import { HOST_TAG, WRAP_TAG } from './constants';

/**
 * Text collection for the page scanner. A manual firstChild/nextSibling walk (a NodeFilter callback is
 * 10× slower, performance-notes §4) that skips zones where annotation must never happen and groups
 * consecutive inline text inside the same block into one *segment*. Segments are joined with '\n' into
 * chunks for the matcher, so a phrase can span inline tags ("<em>Internet</em> Governance Forum") but
 * never a block boundary. The walk is resumable: `run(budget)` visits at most `budget` nodes.
 */

/**
 * Elements whose subtree is never annotated (tag names, lower case). `nav` (and the navigation roles in
 * ATTR_SKIP): a site's menus, breadcrumbs and tables of contents repeat on every page of the site ("IGF",
 * "MAG", "Dynamic Coalitions" in intgovforum.org's menu), so they would paint the same terms everywhere,
 * swell the page's term count and take the "first per section" occurrence from the text itself.
 */
export const SKIP_TAGS: ReadonlySet<string> = new Set([
  'script', 'style', 'noscript', 'template', 'textarea', 'input', 'select', 'option', 'optgroup', 'pre',
  'code', 'kbd', 'samp', 'svg', 'math', 'canvas', 'iframe', 'frame', 'frameset', 'object', 'embed', 'video',
  'audio', 'head', 'title', 'datalist', 'noframes', 'nav', HOST_TAG,
]);

/**
 * Tags treated as block boundaries. Decided by tag name (a static set) rather than computed style:
 * getComputedStyle per node would multiply the walk cost.
 */
export const BLOCK_TAGS: ReadonlySet<string> = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'dir',
  'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'main', 'menu', 'ol', 'p', 'section', 'summary',
  'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'br', 'img', 'button', 'label', 'option', 'listing',
  'blockquote', 'search', 'noframes', 'colgroup',
]);

/** Block tags that usually hold other blocks (where the first-element check in isSimpleBlock pays). */
const CONTAINER_TAGS: ReadonlySet<string> = new Set([
  'html', 'body', 'main', 'div', 'section', 'article', 'aside', 'header', 'footer', 'form', 'fieldset',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'ul', 'ol', 'dl', 'menu', 'dir', 'figure', 'details', 'dialog',
  'center', 'search', 'hgroup', 'blockquote',
]);

const HEADING_TAGS: ReadonlySet<string> = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** One run of inline text inside one block: the unit of matching, re-scanning and removal. */
/** Every field is set when a segment is made (none added later): one object shape for the annotator's code. */
export interface Segment {
  /** Nearest block ancestor (or the walk root): the key used to re-scan and drop ranges. */
  block: Element;
  /** Text nodes in order. */
  nodes: Text[];
  /** Offset in `text` where each node starts (sorted, same length as nodes). */
  starts: number[];
  /** Concatenated node data with '\n'/'\r' replaced by spaces (same length). */
  text: string;
  /** Heading-delimited section counter at the segment (walker-local; the annotator may renumber). */
  section: number;
  /** Document-order key assigned by the annotator. */
  seq: number;
  /**
   * Set when the segment is a whole simple block read with one `textContent` (no skip zone, nested block,
   * hidden part or custom element inside): `nodes`/`starts` stay empty until `resolveSegment()` reads them,
   * which the annotator does only for segments that have occurrences.
   */
  lazy: Element | null;
  /**
   * A lazy segment read only as far as its occurrences so far need (see `resolveSegment`): the walker
   * over its block and the text length read (`tw` null: the block changed after a first read, so nothing
   * more is read). Null once every node is read.
   */
  rest: { tw: TreeWalker | null; pos: number } | null;
}

export interface WalkOptions {
  /** Subtrees already scanned (e.g. the viewport pass): skipped, reported through onDone. */
  done?: ReadonlySet<Element>;
  onDone?: (el: Element) => void;
  /** Every open shadow root entered (to observe it and adopt our stylesheet). */
  onShadowRoot?: (root: ShadowRoot) => void;
  /** Starting section number. */
  section?: number;
  /** Read simple blocks with one textContent and lazy node lists (default true). */
  fast?: boolean;
}

const FRAME_INLINE = 0;
const FRAME_BLOCK = 1;
const FRAME_SHADOW = 2;

/** ARIA roles of site navigation (see SKIP_TAGS). */
const NAV_ROLES: ReadonlySet<string> = new Set(['navigation', 'menu', 'menubar']);
/** True if `el` starts a subtree that must not be annotated. Cheap: tag set + a few attributes. */
const ATTR_SKIP = `[hidden],[aria-hidden="true" i],[contenteditable],[style*="none"],${[...NAV_ROLES].map((r) => `[role="${r}" i]`).join(',')}`;

/**
 * Inline tags a simple block may hold (the ones found inside paragraphs of the 65 corpus pages, and the
 * other plain text-level tags). Never a skip zone or a block tag (filtered below).
 */
export const SIMPLE_INLINE_TAGS: readonly string[] = [
  'a', 'span', 'i', 'b', 'em', 'strong', 'sup', 'sub', 'cite', 'small', 'abbr', 'time', 'u', 's', 'q', 'bdi', 'bdo',
  'font', 'big', 'tt', 'nobr', 'dfn', 'mark', 'var', 'wbr', 'data', 'ins', 'del', 'strike', 'acronym', 'ruby',
  'rt', 'rp', 'link', 'meta', 'col',
].filter((t) => !SKIP_TAGS.has(t) && !BLOCK_TAGS.has(t));

/**
 * Anything inside a block that needs the node-by-node walk: any element that is not a plain inline tag
 * (skip zones, nested blocks and boundaries such as br or img, custom elements, which may host a shadow
 * root, and tags we do not know), and attributes that may hide or make editable. One native
 * querySelector per block decides; a block without any of these is read with one textContent, so none
 * of its text nodes gets a JS wrapper unless it has an occurrence (wrapper creation dominates the cost
 * of walking from a content script's isolated world).
 *
 * Asked as "not one of the inline tags" rather than "one of the ~90 skip or block tags": the browser
 * tests every element inside against every selector of the list, and a short list is what makes the
 * query cheap (Chromium, each block of wikipedia-2 once: 10.5 → 1.8 ms; 3–10× on the other fixtures).
 */
const NOT_SIMPLE = `:not(${SIMPLE_INLINE_TAGS.join(',')}),${ATTR_SKIP}`;
/** Whether the DOM was asked once if it answers the selector as a browser does (else never fast). */
let probed = false;
let fastOk = true;

/** True when `el`'s whole subtree is plain inline text (see NOT_SIMPLE). */
function isSimpleBlock(el: Element): boolean {
  if (!fastOk) return false;
  // No element inside (text and comments only): nothing the selector looks for can be there. Most table
  // cells, list items and short paragraphs of real pages; skips the selector list's per-block cost.
  // A count, not firstElementChild: that would create a JS wrapper for the child in the isolated world.
  if (el.childElementCount === 0) return true;
  // A container whose first element is a block or a skip zone is not simple: known without the query
  // (on wikipedia-2 that settles 615 of the 2,253 blocks that have elements inside). Only for container
  // tags: their first element's wrapper is no extra cost, since the walk goes into them; a paragraph's
  // inline child would be an extra wrapper in the isolated world.
  if (CONTAINER_TAGS.has(el.localName)) {
    const first = el.firstElementChild;
    if (first !== null && (BLOCK_TAGS.has(first.localName) || SKIP_TAGS.has(first.localName))) return false;
  }
  try {
    if (!probed) {
      // A DOM that gets `:not(list)` wrong would read hidden or nested text as plain: ask it once.
      probed = true;
      const d = el.ownerDocument ?? document;
      fastOk = !d.createElement('span').matches(NOT_SIMPLE) && d.createElement('div').matches(NOT_SIMPLE) && d.createElement('x-y').matches(NOT_SIMPLE);
      if (!fastOk) return false;
    }
    return el.querySelector(NOT_SIMPLE) === null;
  } catch {
    fastOk = false; // a DOM without these selectors: always walk node by node
    return false;
  }
}

/**
 * Read the text nodes of a lazy segment (see Segment.lazy) far enough to cover `[0, upTo)` of its text
 * (default: all of it), so an occurrence early in a long paragraph does not read the nodes after it.
 * Returns false when what is read does not fit the text read by the walk (the block changed since; the
 * MutationObserver re-scans it): on a first read `nodes` is then left empty, as if nothing was read.
 */
export function resolveSegment(seg: Segment, upTo = Infinity): boolean {
  const el = seg.lazy;
  if (el) {
    seg.lazy = null;
    // The common paragraph: one text node (no walker needed).
    const only = el.firstChild;
    if (only !== null && only === el.lastChild && only.nodeType === 3) {
      if ((only as Text).length !== seg.text.length) return false;
      seg.nodes = [only as Text];
      seg.starts = [0];
      return true;
    }
    seg.nodes = [];
    seg.starts = [];
    seg.rest = { tw: (el.ownerDocument ?? document).createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */), pos: 0 };
  }
  const rest = seg.rest;
  if (!rest) return seg.nodes.length > 0;
  const tw = rest.tw;
  if (tw === null) return false;
  const len = seg.text.length;
  const want = upTo < len ? upTo : len;
  const { nodes, starts } = seg;
  let pos = rest.pos;
  while (pos < want) {
    const n = tw.nextNode();
    if (n === null) break;
    const l = (n as Text).length;
    if (l === 0) continue;
    nodes.push(n as Text);
    starts.push(pos);
    pos += l;
  }
  rest.pos = pos;
  // Fewer characters than the walk read, or more: the block changed.
  let ok = pos >= want && pos <= len;
  if (ok && pos === len) {
    // Everything read: only empty text nodes may follow.
    for (let n = tw.nextNode(); n !== null; n = tw.nextNode()) if ((n as Text).length > 0) ok = false;
    seg.rest = null;
  }
  if (!ok) {
    if (el) {
      // A first read: as if nothing was read (the segment gets no occurrence).
      seg.rest = null;
      seg.nodes = [];
      seg.starts = [];
    } else {
      // Occurrences already recorded keep their nodes; no further one is added.
      seg.rest = { tw: null, pos };
    }
  }
  return ok;
}

/**
 * True when nodes `i0..i1` of `seg` (from offset `ao` in the first to `bo` in the last) still read as
 * `seg.text` does over [start, end), newlines aside. A range must not land on other characters when the
 * page changed the block after the walk read it (a partial read checks lengths only as far as it reads).
 */
export function spanStillReads(seg: Segment, i0: number, ao: number, i1: number, bo: number, start: number, end: number): boolean {
  const want = seg.text.slice(start, end);
  const nodes = seg.nodes;
  let got: string;
  // substringData, not data: reading `data` copies the whole node each time in Firefox (a 5 MB text
  // node with many occurrences never settled).
  try {
    if (i0 === i1) got = nodes[i0].substringData(ao, bo - ao);
    else {
      got = nodes[i0].substringData(ao, nodes[i0].length - ao);
      for (let i = i0 + 1; i < i1; i++) got += nodes[i].substringData(0, nodes[i].length);
      got += nodes[i1].substringData(0, bo);
    }
  } catch {
    return false; // an offset past a node that got shorter
  }
  if (got === want) return true;
  return got.length === want.length && got.replace(/[\n\r]/g, ' ') === want;
}

export function isSkipElement(el: Element): boolean {
  if (SKIP_TAGS.has(el.localName)) return true;
  // One native selector match filters the common case (attributes, none of them relevant).
  if (!el.hasAttributes() || !el.matches(ATTR_SKIP)) return false;
  if (el.hasAttribute('hidden')) return true;
  if (el.getAttribute('aria-hidden') === 'true') return true;
  const ce = el.getAttribute('contenteditable');
  if (ce !== null && ce !== 'false') return true;
  const st = el.getAttribute('style');
  if (st !== null && st.includes('none')) {
    const d = (el as HTMLElement).style?.display;
    if (d === 'none') return true;
  }
  const role = el.getAttribute('role');
  return role !== null && NAV_ROLES.has(role.toLowerCase());
}

/** True when an element is a block boundary for text grouping. */
export function isBlockElement(el: Element): boolean {
  const tag = el.localName;
  if (BLOCK_TAGS.has(tag)) return true;
  // Custom elements and shadow hosts are usually block-like; never join text across them.
  if (tag !== WRAP_TAG && tag.includes('-')) return true;
  return el.shadowRoot !== null && el.shadowRoot !== undefined;
}

/** Nearest block ancestor of a node (crossing open shadow roots to their host), or null when inside a skip zone. */
export function blockOf(node: Node, root: Node): Element | null {
  let n: Node | null = node.nodeType === 1 ? node : node.parentNode;
  let block: Element | null = null;
  while (n) {
    if (n.nodeType === 11) {
      const host = (n as ShadowRoot).host;
      if (!host) return null;
      if (!block) block = host;
      n = host;
      continue;
    }
    if (n.nodeType !== 1) break;
    const el = n as Element;
    if (isSkipElement(el)) return null;
    if (!block && (isBlockElement(el) || el === root)) block = el;
    if (el === root) return block;
    n = el.parentNode;
  }
  return block;
}

/** A resumable walk over `root`'s descendants (not `root` itself, which the caller has vetted). */
export class TextWalker {
  private cur: Node | null;
  private readonly frames: Node[] = [];
  private readonly kinds: number[] = [];
  private readonly blocks: Element[];
  private nodes: Text[] = [];
  private starts: number[] = [];
  private parts: string[] = [];
  private len = 0;
  private section: number;
  private finished = false;
  private readonly fast: boolean;

  constructor(
    private readonly root: Element | ShadowRoot,
    private readonly opts: WalkOptions = {},
  ) {
    this.section = opts.section ?? 0;
    this.fast = opts.fast !== false;
    const rootBlock = root.nodeType === 11 ? (root as ShadowRoot).host : (root as Element);
    this.blocks = [rootBlock];
    const sr = root.nodeType === 1 ? (root as Element).shadowRoot : null;
    if (sr) {
      // Walk the root's shadow tree first, then its light children.
      opts.onShadowRoot?.(sr);
      this.frames.push(sr);
      this.kinds.push(FRAME_SHADOW);
      this.cur = sr.firstChild;
    } else {
      this.cur = root.firstChild;
    }
  }

  get done(): boolean {
    return this.finished;
  }

  /** True when `el` lies entirely ahead of the walk position (not yet visited, not being visited). */
  isAhead(el: Element): boolean {
    const cur = this.cur;
    if (this.finished || !cur) return false;
    if (el.contains(cur)) return false;
    for (const f of this.frames) if (f === el) return false;
    const pos = cur.compareDocumentPosition(el);
    return (pos & 4) !== 0 && (pos & 1) === 0; // FOLLOWING and not DISCONNECTED
  }

  /** Section counter at the current position (headings seen so far). */
  get currentSection(): number {
    return this.section;
  }

  /**
   * Visit up to `budget` nodes, appending finished segments to `out`.
   * @returns true when the walk is complete.
   */
  run(budget: number, out: Segment[]): boolean {
    if (this.finished) return true;
    const { done, onDone, onShadowRoot } = this.opts;
    const checkDone = done !== undefined && done.size > 0;
    let cur = this.cur;
    let n = 0;
    while (n++ < budget) {
      while (cur === null) {
        const top = this.frames.length - 1;
        if (top < 0) {
          this.flush(out);
          this.finished = true;
          this.cur = null;
          return true;
        }
        const frame = this.frames.pop()!;
        const kind = this.kinds.pop()!;
        if (kind === FRAME_SHADOW) {
          this.flush(out);
          // Continue with the host's light children (slots are not resolved: all light text is read).
          cur = (frame as ShadowRoot).host.firstChild;
          continue;
        }
        if (kind === FRAME_BLOCK) {
          this.flush(out);
          this.blocks.pop();
        }
        cur = frame.nextSibling;
      }
      const type = cur.nodeType;
      if (type === 3) {
        const data = (cur as Text).data;
        if (data.length > 0) {
          this.nodes.push(cur as Text);
          this.starts.push(this.len);
          this.parts.push(data);
          this.len += data.length;
        }
        cur = cur.nextSibling;
        continue;
      }
      if (type !== 1) {
        cur = cur.nextSibling;
        continue;
      }
      const el = cur as Element;
      const tag = el.localName;
      if (SKIP_TAGS.has(tag) || (el.hasAttributes() && isSkipElement(el))) {
        if (isBlockElement(el)) this.flush(out);
        cur = el.nextSibling;
        continue;
      }
      if (checkDone && done!.has(el)) {
        this.flush(out);
        onDone?.(el);
        cur = el.nextSibling;
        continue;
      }
      if (HEADING_TAGS.has(tag)) this.section++;
      const sr = el.shadowRoot;
      const block = BLOCK_TAGS.has(tag) || (tag !== WRAP_TAG && tag.includes('-')) || !!sr;
      if (block && !sr && this.fast && el.hasChildNodes() && isSimpleBlock(el)) {
        this.flush(out);
        let text = el.textContent ?? '';
        if (/\S/.test(text)) {
          if (text.includes('\n') || text.includes('\r')) text = text.replace(/[\n\r]/g, ' ');
          // Every segment gets the same fields in the same order (lazy, rest): one object shape, so the
          // annotator's optimised code never meets a new one mid-pass and is thrown away.
          out.push({ block: el, nodes: [], starts: [], text, section: this.section, seq: 0, lazy: el, rest: null });
        }
        cur = el.nextSibling;
        continue;
      }
      if (block) {
        this.flush(out);
        this.blocks.push(el);
      }
      this.frames.push(el);
      this.kinds.push(block ? FRAME_BLOCK : FRAME_INLINE);
      if (sr) {
        onShadowRoot?.(sr);
        this.frames.push(sr);
        this.kinds.push(FRAME_SHADOW);
        cur = sr.firstChild;
      } else {
        cur = el.firstChild;
      }
    }
    this.cur = cur;
    return false;
  }

  private flush(out: Segment[]): void {
    if (this.nodes.length === 0) return;
    let text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    if (/\S/.test(text)) {
      if (text.includes('\n') || text.includes('\r')) text = text.replace(/[\n\r]/g, ' ');
      out.push({
        block: this.blocks[this.blocks.length - 1],
        nodes: this.nodes,
        starts: this.starts,
        text,
        section: this.section,
        seq: 0,
        lazy: null,
        rest: null,
      });
      this.nodes = [];
      this.starts = [];
    } else {
      this.nodes.length = 0;
      this.starts.length = 0;
    }
    this.parts.length = 0;
    this.len = 0;
  }
}

/** Walk a whole subtree at once (tests, small re-scans). */
export function collectSegments(root: Element | ShadowRoot, opts?: WalkOptions): Segment[] {
  const out: Segment[] = [];
  const w = new TextWalker(root, opts);
  while (!w.run(1e9, out));
  for (const s of out) if (s.lazy) resolveSegment(s);
  return out;
}

/** Index of the last element of sorted `arr` that is ≤ x (−1 if none). */
export function lastLE(arr: readonly number[], x: number): number {
  let lo = 0;
  let hi = arr.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] <= x) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** A group of segments matched together: text = segment texts joined by '\n'. */
export interface Chunk {
  segments: Segment[];
  /** Offset of each segment in `text`. */
  offsets: number[];
  text: string;
}

/** Join segments into one matcher input. */
export function makeChunk(segments: Segment[]): Chunk {
  const offsets: number[] = [];
  let pos = 0;
  for (const s of segments) {
    offsets.push(pos);
    pos += s.text.length + 1;
  }
  return { segments, offsets, text: segments.map((s) => s.text).join('\n') };
}

/** A DOM position for a chunk offset. */
export interface TextPoint {
  node: Text;
  offset: number;
}

/**
 * Map a [start, end) span of a segment's text to DOM boundary points (binary search over node starts).
 * `end` lands at the end of the node containing the last character, never at the start of the next node.
 */
export function segmentPoints(seg: Segment, start: number, end: number): [TextPoint, TextPoint] {
  const i = lastLE(seg.starts, start);
  let j = lastLE(seg.starts, end - 1);
  if (j < i) j = i;
  return [
    { node: seg.nodes[i], offset: start - seg.starts[i] },
    { node: seg.nodes[j], offset: end - seg.starts[j] },
  ];
}
