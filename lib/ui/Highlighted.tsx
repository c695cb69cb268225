/**
 * Text with matched character ranges wrapped in <mark>. Ranges are [start, end) offsets;
 * overlapping or out-of-range ranges are merged/clipped. Renders text nodes only (no HTML).
 */
export function Highlighted({ text, ranges }: { text: string; ranges?: ReadonlyArray<readonly [number, number]> }) {
  // Do not paint the spaces at either end of a fuzzy range.
  const trimmed = (ranges ?? []).map(([s, e]) => {
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    return [s, e] as const;
  });
  const merged = mergeRanges(trimmed, text.length);
  if (!merged.length) return <>{text}</>;
  const out: preact.ComponentChild[] = [];
  let pos = 0;
  merged.forEach(([s, e], i) => {
    if (s > pos) out.push(text.slice(pos, s));
    out.push(<mark key={i}>{text.slice(s, e)}</mark>);
    pos = e;
  });
  if (pos < text.length) out.push(text.slice(pos));
  return <>{out}</>;
}

/** Sort, clip to [0, length) and merge touching ranges. */
export function mergeRanges(ranges: ReadonlyArray<readonly [number, number]>, length: number): [number, number][] {
  const sorted = ranges
    .map(([s, e]) => [Math.max(0, s), Math.min(length, e)] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}
