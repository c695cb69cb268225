// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { BLOCK_TAGS, blockOf, collectSegments, lastLE, makeChunk, resolveSegment, segmentPoints, SIMPLE_INLINE_TAGS, SKIP_TAGS, spanStillReads, TextWalker, type Segment } from '@/lib/page/walk';
import { setBody } from './helpers';

const texts = () => collectSegments(document.body).map((s) => s.text.trim());

/** The walker's raw output over the body (lazy segments left unread). */
function rawSegments(): Segment[] {
  const out: Segment[] = [];
  const w = new TextWalker(document.body);
  while (!w.run(1e9, out));
  return out;
}

describe('walk', () => {
  it('joins inline text within a block and separates blocks', () => {
    setBody('<p><em>Internet</em> Governance <a href="#">Forum</a> met.</p><p>Second <b>para</b></p><div>a<p>b</p>c</div>');
    expect(texts()).toEqual(['Internet Governance Forum met.', 'Second para', 'a', 'b', 'c']);
  });

  it('skips script, style, code, pre, textarea, editable, hidden, aria-hidden and our host', () => {
    setBody(
      '<p>keep1</p><script>x IGF</script><style>.a{}</style><pre>IGF</pre><p>in <code>IGF</code> p</p>' +
        '<textarea>IGF</textarea><div contenteditable="true"><p>IGF</p></div><div contenteditable="false">keep2</div>' +
        '<div hidden>IGF</div><div aria-hidden="true">IGF</div><div style="display: none">IGF</div>' +
        '<svg><text>IGF</text></svg><glens-card-host>IGF</glens-card-host><noscript>IGF</noscript><template>IGF</template>',
    );
    const all = texts().join('|');
    expect(all).toContain('keep1');
    expect(all).toContain('keep2');
    expect(all).toContain('in  p');
    expect(all).not.toContain('IGF');
  });

  it('skips site navigation: nav, and the navigation, menu and menubar roles', () => {
    setBody(
      '<header><nav><ul><li>IGF 2025</li><li>MAG</li></ul></nav><h1>keep1 IGF</h1></header>' +
        '<div role="navigation"><a href="/">IGF</a></div><ul role="menu"><li>IGF</li></ul><div role="menubar">IGF</div>' +
        '<div role="main"><p>keep2 IGF</p></div><aside role="complementary">keep3</aside><menu><li>keep4</li></menu>',
    );
    const all = texts();
    expect(all).toEqual(['keep1 IGF', 'keep2 IGF', 'keep3', 'keep4']);
    // A block holding a navigation zone is walked node by node (not read as one simple block).
    setBody('<p>keep5 <span role="navigation">IGF</span> end</p>');
    expect(texts()).toEqual(['keep5  end']);
  });

  it('replaces newlines inside text with spaces (1:1 length) so only block breaks are \\n', () => {
    setBody('<p>Internet\nGovernance\r\nForum</p>');
    const [seg] = collectSegments(document.body);
    expect(seg.text).toBe('Internet Governance  Forum');
    expect(seg.text.length).toBe((document.querySelector('p')!.firstChild as Text).data.length);
  });

  it('walks open shadow roots', () => {
    setBody('<p>light</p><div id="h"></div><p>after</p>');
    const host = document.getElementById('h')!;
    const sr = host.attachShadow({ mode: 'open' });
    const p = document.createElement('p');
    p.textContent = 'shadow IGF text';
    sr.appendChild(p);
    const seen: ShadowRoot[] = [];
    const segs = collectSegments(document.body, { onShadowRoot: (r) => seen.push(r) });
    expect(segs.map((s) => s.text)).toEqual(['light', 'shadow IGF text', 'after']);
    expect(seen).toEqual([sr]);
  });

  it('reads simple blocks with one textContent and resolves their text nodes lazily, like the node walk', () => {
    setBody('<p>The <em>Internet</em> Governance <a href="#">Forum</a>.</p><p>a<br>b</p><div>x<p>y</p></div><p>in <code>c</code> d</p>');
    const raw: Segment[] = [];
    const w = new TextWalker(document.body);
    while (!w.run(1e9, raw));
    const first = raw[0];
    expect(first.lazy).toBe(document.querySelector('p'));
    expect(first.nodes).toEqual([]);
    const slow = collectSegments(document.body, { fast: false });
    // Blocks with a <br>, nested blocks or skip zones are walked node by node (the nested <p>y</p> is simple).
    expect(raw.filter((s) => s.lazy).map((s) => s.text)).toEqual(['The Internet Governance Forum.', 'y']);
    expect(resolveSegment(first)).toBe(true);
    expect(first.lazy).toBeNull();
    for (const s of raw) expect(resolveSegment(s)).toBe(true);
    expect(raw.map((s) => [s.text, s.nodes.map((n) => n.data), s.starts])).toEqual(slow.map((s) => [s.text, s.nodes.map((n) => n.data), s.starts]));
  });

  it('reads a block as simple only when every element inside is a plain inline tag without hiding attributes', () => {
    // No skip zone or block tag in the inline list (a tag put there by mistake would be read as plain text).
    expect(SIMPLE_INLINE_TAGS.filter((t) => SKIP_TAGS.has(t) || BLOCK_TAGS.has(t))).toEqual([]);
    expect(SIMPLE_INLINE_TAGS).toEqual(expect.arrayContaining(['a', 'span', 'sup', 'cite', 'link', 'bdi']));
    setBody(
      '<p>a <a href="#">b</a> <sup><span>1</span></sup><link rel="x"> <cite>c</cite> <bdi>d</bdi></p>' +
        '<p>unknown <blink>tag</blink></p><p>custom <x-note>el</x-note></p><p>in <span hidden>hidden</span> p</p>' +
        '<p>in <span style="display:none">none</span> p</p><p>in <kbd>k</kbd> p</p><p>a<img alt="">b</p>',
    );
    const raw = rawSegments();
    // (A custom element is a block of its own, its inside simple: 'el'.)
    expect(raw.filter((s) => s.lazy).map((s) => s.text)).toEqual(['a b 1 c d', 'el']);
    // The others are walked node by node, with the same result as the slow walk.
    for (const s of raw) expect(resolveSegment(s)).toBe(true);
    const slow = collectSegments(document.body, { fast: false });
    expect(raw.map((s) => s.text)).toEqual(slow.map((s) => s.text));
    expect(raw.map((s) => s.text).join('|')).not.toMatch(/hidden|none|\bk\b/);
  });

  it('walks node by node in a DOM that answers the simple-block selector wrongly (asked once)', async () => {
    vi.resetModules();
    const fresh = await import('@/lib/page/walk');
    const orig = Element.prototype.matches;
    Element.prototype.matches = function () {
      return false;
    } as typeof orig;
    try {
      setBody('<p>The <a href="#">Internet</a> Governance Forum.</p><p>plain</p>');
      const out: Segment[] = [];
      const w = new fresh.TextWalker(document.body);
      while (!w.run(1e9, out));
      expect(out.map((s) => [s.text, !!s.lazy])).toEqual([
        ['The Internet Governance Forum.', false],
        ['plain', false],
      ]);
      // The same text as the node walk of a browser, with its nodes read.
      expect(out[0].nodes.map((n) => n.data)).toEqual(['The ', 'Internet', ' Governance Forum.']);
    } finally {
      Element.prototype.matches = orig;
    }
  });

  it('decides simple blocks without the selector list when the first element inside settles it', () => {
    setBody('<div><p>plain text</p><p>with <b>bold</b></p><table><tr><td>cell</td></tr></table></div>');
    const calls: Element[] = [];
    const orig = Element.prototype.querySelector;
    Element.prototype.querySelector = function (this: Element, sel: string) {
      calls.push(this);
      return orig.call(this, sel);
    } as typeof orig;
    try {
      expect(rawSegments().map((s) => [s.text, s.lazy?.localName])).toEqual([
        ['plain text', 'p'],
        ['with bold', 'p'],
        ['cell', 'td'],
      ]);
    } finally {
      Element.prototype.querySelector = orig;
    }
    // Only the second p asks the selector: the first p and the td hold no element, and the div, table,
    // tbody and tr start with a block (not simple, known without the query).
    expect(calls.map((e) => e.localName)).toEqual(['p']);
  });

  it('reads a lazy segment only as far as asked, then on demand to the end', () => {
    setBody('<p>The <em>Internet</em> Governance <a href="#">Forum</a> met in <b>Paris</b> today.</p>');
    const seg = rawSegments()[0];
    expect(seg.text).toBe('The Internet Governance Forum met in Paris today.');
    // [4, 12) is "Internet": the first two text nodes cover it.
    expect(resolveSegment(seg, 12)).toBe(true);
    expect(seg.nodes.map((n) => n.data)).toEqual(['The ', 'Internet']);
    expect(resolveSegment(seg, 29)).toBe(true);
    expect(seg.nodes.map((n) => n.data)).toEqual(['The ', 'Internet', ' Governance ', 'Forum']);
    expect(resolveSegment(seg)).toBe(true);
    expect(seg.nodes.map((n) => n.data)).toEqual(['The ', 'Internet', ' Governance ', 'Forum', ' met in ', 'Paris', ' today.']);
    expect(seg.starts).toEqual([0, 4, 12, 24, 29, 37, 42]);
    expect(seg.rest).toBeNull();
  });

  it('stops reading a partly read segment whose block changed: earlier nodes stay, no further occurrence', () => {
    setBody('<p>The <em>Internet</em> Governance <a href="#">Forum</a> met in <b>Paris</b> today.</p>');
    const seg = rawSegments()[0];
    expect(resolveSegment(seg, 12)).toBe(true);
    document.querySelector('b')!.textContent = 'Geneva, Switzerland,';
    expect(resolveSegment(seg, 45)).toBe(false);
    expect(seg.nodes.slice(0, 2).map((n) => n.data)).toEqual(['The ', 'Internet']);
    expect(resolveSegment(seg, 12)).toBe(false);
  });

  it('tells whether the nodes under an occurrence still read as the walk read them', () => {
    setBody('<p>The <em>Internet</em>\nGovernance <a href="#">Forum</a> met in <b>Paris</b> today.</p>');
    const seg = rawSegments()[0];
    expect(resolveSegment(seg, 29)).toBe(true);
    // "Internet Governance Forum" spans three nodes and a newline that the walk read as a space.
    expect(seg.text.slice(4, 29)).toBe('Internet Governance Forum');
    expect(spanStillReads(seg, 1, 0, 3, 5, 4, 29)).toBe(true);
    // A same-length change before the occurrence leaves it where it was; a longer one moves it.
    (seg.nodes[0] as Text).data = 'Our ';
    expect(spanStillReads(seg, 1, 0, 3, 5, 4, 29)).toBe(true);
    (seg.nodes[1] as Text).data = 'Web';
    expect(spanStillReads(seg, 1, 0, 3, 5, 4, 29)).toBe(false);
  });

  it('refuses to resolve a lazy segment whose block changed since it was read', () => {
    setBody('<p>The <em>Internet</em> Governance Forum</p>');
    const out: Segment[] = [];
    const w = new TextWalker(document.body);
    while (!w.run(1e9, out));
    document.querySelector('em')!.textContent = 'Web';
    expect(resolveSegment(out[0])).toBe(false);
    expect(out[0].nodes).toEqual([]);
  });

  it('is resumable: tiny budgets give the same segments', () => {
    setBody('<div>' + Array.from({ length: 50 }, (_, i) => `<p>para <i>${i}</i> end</p>`).join('') + '</div>');
    const whole = collectSegments(document.body).map((s) => s.text);
    for (const fast of [false, true]) {
      const w = new TextWalker(document.body, { fast });
      const out: Segment[] = [];
      let steps = 0;
      while (!w.run(3, out)) steps++;
      expect(out.map((s) => s.text)).toEqual(whole);
      expect(steps).toBeGreaterThan(fast ? 10 : 20);
    }
  });

  it('maps chunk offsets back to (Text, offset) with binary search', () => {
    setBody('<p>The <em>Internet</em> Governance Forum</p>');
    const [seg] = collectSegments(document.body);
    const start = seg.text.indexOf('Internet');
    const end = start + 'Internet Governance Forum'.length;
    const [a, b] = segmentPoints(seg, start, end);
    expect(a.node.data).toBe('Internet');
    expect(a.offset).toBe(0);
    expect(b.node.data).toBe(' Governance Forum');
    expect(b.offset).toBe(' Governance Forum'.length);
    const chunk = makeChunk([seg, seg]);
    expect(chunk.text.split('\n')).toHaveLength(2);
    expect(chunk.offsets).toEqual([0, seg.text.length + 1]);
    expect(lastLE([0, 5, 9], 4)).toBe(0);
    expect(lastLE([0, 5, 9], 9)).toBe(2);
    expect(lastLE([3], 1)).toBe(-1);
  });

  it('finds the block of a node and refuses skip zones', () => {
    setBody('<div><p id="p">a <b id="b">x</b></p><pre><span id="s">y</span></pre></div>');
    expect(blockOf(document.getElementById('b')!.firstChild!, document.body)!.id).toBe('p');
    expect(blockOf(document.getElementById('s')!, document.body)).toBeNull();
    // Text added later inside site navigation is not re-scanned either.
    setBody('<nav><ul><li id="n">IGF</li></ul></nav><div role="navigation"><p id="r">IGF</p></div>');
    expect(blockOf(document.getElementById('n')!.firstChild!, document.body)).toBeNull();
    expect(blockOf(document.getElementById('r')!.firstChild!, document.body)).toBeNull();
  });
});
