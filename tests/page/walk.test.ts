// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { blockOf, collectSegments, lastLE, makeChunk, segmentPoints, TextWalker, type Segment } from '@/lib/page/walk';
import { setBody } from './helpers';

const texts = () => collectSegments(document.body).map((s) => s.text.trim());

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

  it('is resumable: tiny budgets give the same segments', () => {
    setBody('<div>' + Array.from({ length: 50 }, (_, i) => `<p>para <i>${i}</i> end</p>`).join('') + '</div>');
    const whole = collectSegments(document.body).map((s) => s.text);
    const w = new TextWalker(document.body);
    const out: Segment[] = [];
    let steps = 0;
    while (!w.run(3, out)) steps++;
    expect(out.map((s) => s.text)).toEqual(whole);
    expect(steps).toBeGreaterThan(20);
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
  });
});
