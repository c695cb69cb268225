/**
 * Code evaluated inside the page's main world. Kept as plain JS strings so the TS runner cannot inject
 * helpers (e.g. esbuild's `__name`) that do not exist in the page.
 */

/** Ranges registered under glens-* names (the focus highlight aside). */
export const REGISTERED = `(() => { let n = 0; try { for (const [k, h] of CSS.highlights) if (k.startsWith('glens-') && k !== 'glens-focus') n += h.size; } catch (e) {} return n; })()`;

/**
 * rAF poller installed before navigation: records the first frame in which any `glens-*` highlight holds
 * a range (and marks it in the trace with console.timeStamp), then stops.
 */
export const POLLER = `(() => {
  const st = { first: 0 };
  Object.defineProperty(window, '__glensBench', { value: st, configurable: true });
  const tick = () => {
    if (${REGISTERED} > 0) { st.first = performance.now(); console.timeStamp('glens-first-range'); return; }
    // Stop at the first range: a rAF loop makes every frame a rendering frame, and on 2 cores that
    // compositor work would take turns with the extension's slices (the bench would slow what it measures).
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

/** Sizes of every registered highlight. */
export const HIGHLIGHT_SIZES = `(() => { const o = {}; try { for (const [k, h] of CSS.highlights) o[k] = h.size; } catch (e) {} return o; })()`;

/** Elements, body text length and words (the same measures the robustness tests use). */
export const PAGE_SHAPE = `(() => {
  const t = document.body ? document.body.innerText : '';
  return { elements: document.getElementsByTagName('*').length, textLength: t.length,
    words: t.split(/\\s+/).filter(Boolean).length, hosts: document.getElementsByTagName('glens-card-host').length };
})()`;

/**
 * The floor: one bare TreeWalker(SHOW_TEXT) pass reading every text node's .data, plus one literal-alternation
 * RegExp of the glossary's forms (escaped, longest first, Unicode boundaries) over the lower-cased
 * concatenated text. The RegExp object is built before timing; its first exec (V8 compiles lazily) is inside.
 */
export function floorExpr(forms: readonly string[], runs: number, label = 'glens-floor'): string {
  return `((forms, runs, label) => {
  const esc = (s) => s.replace(/[.*+?^\${}()|[\\]\\\\]/g, '\\\\$&');
  const alt = [...new Set(forms.map((f) => f.toLowerCase()))].sort((a, b) => b.length - a.length).map(esc).join('|');
  const out = [];
  for (let r = 0; r < runs; r++) {
    const re = new RegExp('(?<![\\\\p{L}\\\\p{N}])(?:' + alt + ')(?![\\\\p{L}\\\\p{N}])', 'gu');
    console.timeStamp(label + '-start');
    const t0 = performance.now();
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const parts = [];
    let n;
    while ((n = w.nextNode())) parts.push(n.data);
    const t1 = performance.now();
    const text = parts.join('\\n').toLowerCase();
    let hits = 0;
    while (re.exec(text)) hits++;
    const t2 = performance.now();
    console.timeStamp(label + '-end');
    out.push({ walkMs: t1 - t0, matchMs: t2 - t1, totalMs: t2 - t0, hits, nodes: parts.length, chars: text.length });
  }
  return out;
})(${JSON.stringify(forms)}, ${runs}, ${JSON.stringify(label)})`;
}

/** mark.js over the body with the glossary's forms (mark.js must already be injected). */
export function markJsExpr(forms: readonly string[]): string {
  return `new Promise((resolve) => {
  const t0 = performance.now();
  new Mark(document.body).mark(${JSON.stringify(forms)}, {
    accuracy: 'exactly', separateWordSearch: false,
    done: (count) => resolve({ ms: performance.now() - t0, marks: count }),
  });
})`;
}

/**
 * Runs the bundled matcher (global `GlensMatch`) over the page's block text for each index:
 * build time, median find time, hits; plus the literal-alternation floor regex with the same forms.
 */
export function matcherSweepExpr(indexes: unknown[], runs: number): string {
  return `((indexes, runs) => {
  const blocks = [];
  for (const el of document.body.querySelectorAll('h1,h2,h3,p,li,td,th,blockquote')) blocks.push(el.textContent);
  const text = blocks.join('\\n');
  const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
  const esc = (s) => s.replace(/[.*+?^\${}()|[\\]\\\\]/g, '\\\\$&');
  const out = [];
  // Warm-up: JIT-compile the matcher and the RegExp engine on the largest index before timing anything.
  { const w = GlensMatch.createMatcher(indexes[indexes.length - 1]); w.find(text); w.find(text); }
  // Round-robin over the sizes, run after run, so machine noise spreads evenly; medians per size.
  const rows = indexes.map((idx) => ({ idx, m: null, build: [], find: [], rx: [], hits: 0, rxHits: 0 }));
  for (let r = 0; r < runs; r++) {
    for (const row of rows) {
      const b0 = performance.now();
      const m = GlensMatch.createMatcher(row.idx);
      row.build.push(performance.now() - b0);
      const t = performance.now();
      row.hits = m.find(text).length;
      row.find.push(performance.now() - t);
      const alt = [...new Set(row.idx.forms.map((f) => f.text.toLowerCase()))].sort((a, b) => b.length - a.length).map(esc).join('|');
      const re = new RegExp('(?<![\\\\p{L}\\\\p{N}])(?:' + alt + ')(?![\\\\p{L}\\\\p{N}])', 'gu');
      const t2 = performance.now();
      const low = text.toLowerCase();
      let n = 0;
      while (re.exec(low)) n++;
      row.rx.push(performance.now() - t2);
      row.rxHits = n;
    }
  }
  for (const row of rows) {
    out.push({ terms: row.idx.terms.length, forms: row.idx.forms.length, buildMs: med(row.build), findMs: med(row.find), hits: row.hits, regexMs: med(row.rx), regexHits: row.rxHits, chars: text.length });
  }
  return out;
})(${JSON.stringify(indexes)}, ${runs})`;
}
