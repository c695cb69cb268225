import type { Dataset, GuidanceEntry } from '@/lib/dataset/types';
import type { PageReport, PageReportTerm } from '@/lib/messaging/protocol';

/**
 * Page briefing as Markdown (pure; the popup and side panel download and copy it).
 * Text-fragment links (`#:~:text=`) point at each term's first occurrence.
 */

/** Escape Markdown control characters in inline text from a page or the dataset. */
export function mdEscape(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/([\\`*_{}[\]()<>#+!|~])/g, '\\$1').trim();
}

/** Keep a URL inside Markdown's <…> link form. */
export function safeUrl(url: string): string {
  return url.replace(/[<>\s]/g, (c) => encodeURIComponent(c));
}

/** Percent-encode a text-fragment component, including its own syntax characters (- , &). */
export function encodeFragmentPart(text: string): string {
  return encodeURIComponent(text.replace(/\s+/g, ' ').trim()).replace(/-/g, '%2D').replace(/,/g, '%2C').replace(/&/g, '%26');
}

/**
 * Build a text-fragment URL to `surface`. When `context` (text around the first
 * occurrence) contains the surface, up to three whole words before/after become the
 * fragment's prefix-/-suffix so the browser picks that occurrence.
 */
export function textFragmentUrl(url: string, surface: string, context?: string): string {
  url = safeUrl(url);
  const base = url.includes('#') ? `${url}:~:text=` : `${url}#:~:text=`;
  const s = surface.replace(/\s+/g, ' ').trim();
  if (!s) return url;
  let prefix = '';
  let suffix = '';
  if (context) {
    const ctx = context.replace(/\s+/g, ' ');
    const at = ctx.toLowerCase().indexOf(s.toLowerCase());
    if (at >= 0) {
      const before = ctx.slice(0, at);
      const after = ctx.slice(at + s.length);
      // Text fragments match whole words: use context only when the match sits between spaces;
      // the prefix/suffix are the neighbouring raw words (punctuation kept, as on the page).
      if (/\s$/.test(before)) prefix = before.trim().split(' ').slice(-3).join(' ');
      if (/^\s/.test(after)) suffix = after.trim().split(' ').slice(0, 3).join(' ');
    }
  }
  return (
    base +
    (prefix ? `${encodeFragmentPart(prefix)}-,` : '') +
    encodeFragmentPart(s) +
    (suffix ? `,-${encodeFragmentPart(suffix)}` : '')
  );
}

/** The surface text to link for a term: one found in its first-occurrence context, else the most frequent. */
export function firstSurface(term: PageReportTerm, context?: string): string {
  const surfaces = Object.entries(term.surfaces).sort((a, b) => b[1] - a[1] || b[0].length - a[0].length);
  if (context) {
    const lc = context.toLowerCase();
    const inCtx = surfaces.filter(([s]) => lc.includes(s.toLowerCase())).sort((a, b) => b[0].length - a[0].length);
    if (inCtx.length) return inCtx[0][0];
  }
  return surfaces[0]?.[0] ?? term.label;
}

const KIND_ORDER: Record<string, number> = { principle: 0, recommendation: 1, characteristic: 2, instrument: 3 };

/** Guidance entries the page touches, in P1–P4, R1–R4, then other order, with page counts. */
export function touchedGuidance(report: PageReport, ds: Dataset): { entry: GuidanceEntry; count: number; terms: PageReportTerm[] }[] {
  const out: { entry: GuidanceEntry; count: number; terms: PageReportTerm[] }[] = [];
  const ids = new Set<string>([...report.guidance.map((g) => g.id), ...report.terms.flatMap((t) => t.related)]);
  for (const id of ids) {
    const entry = ds.entries.find((e) => e.id === id);
    if (!entry) continue;
    const terms = report.terms.filter((t) => t.related.includes(id));
    const fromReport = report.guidance.find((g) => g.id === id)?.count;
    out.push({ entry, count: fromReport ?? terms.reduce((n, t) => n + t.count, 0), terms });
  }
  return out.sort(
    (a, b) => (KIND_ORDER[a.entry.kind] ?? 9) - (KIND_ORDER[b.entry.kind] ?? 9) || a.entry.id.localeCompare(b.entry.id, 'en', { numeric: true }),
  );
}

export interface BriefingInput {
  report: PageReport;
  dataset: Dataset;
  /** When the briefing was made (injected for tests). */
  date: Date;
}

/** Markdown briefing for a page report. */
export function buildBriefing({ report, dataset, date }: BriefingInput): string {
  const lines: string[] = [];
  const title = report.title.trim() || report.url;
  const day = date.toISOString().slice(0, 10);
  lines.push(`# Governance Lens briefing: ${mdEscape(title)}`, '');
  lines.push(`- Page: [${mdEscape(title)}](<${safeUrl(report.url)}>)`);
  lines.push(`- URL: <${safeUrl(report.url)}>`);
  lines.push(`- Date: ${day}`);
  lines.push(`- Dataset: Governance Lens dataset version ${mdEscape(dataset.version)} (Internet Society guidance)`);
  lines.push('');

  const touched = touchedGuidance(report, dataset);
  lines.push('## ISOC principles and recommendations this page touches', '');
  if (!touched.length) lines.push('None of the page’s terms is tied to an ISOC principle or recommendation.', '');
  for (const { entry, count, terms } of touched) {
    lines.push(`### ${mdEscape(entry.id)} — ${mdEscape(entry.title)} (${count} mention${count === 1 ? '' : 's'})`, '');
    lines.push(mdEscape(entry.summary), '');
    for (const q of entry.quotes) {
      const src = dataset.sources.find((s) => s.id === q.source);
      lines.push(`> ${mdEscape(q.text)}`);
      lines.push(`>`);
      lines.push(`> — ${src ? `[${mdEscape(src.title)}](<${safeUrl(src.url)}>)` : mdEscape(q.source)}${q.section ? `, ${mdEscape(q.section)}` : ''}`);
      lines.push('');
    }
    if (terms.length) lines.push(`Terms on the page: ${terms.map((t) => `${mdEscape(t.label)} (${t.count})`).join(', ')}`, '');
    const srcs = entry.sources.map((id) => dataset.sources.find((s) => s.id === id)).filter(Boolean);
    if (srcs.length) lines.push(`Sources: ${srcs.map((s) => `[${mdEscape(s!.title)}](<${safeUrl(s!.url)}>)`).join('; ')}`, '');
  }

  lines.push('## Terms found', '');
  if (!report.terms.length) lines.push('No terms were found on this page.', '');
  const terms = [...report.terms].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  for (const t of terms) {
    const ctx = report.firstContext?.[t.id];
    const link = textFragmentUrl(report.url, firstSurface(t, ctx), ctx);
    lines.push(`- **${mdEscape(t.label)}** — ${t.count} occurrence${t.count === 1 ? '' : 's'} — [first occurrence](<${link}>)`);
  }
  lines.push('');
  lines.push(`_Generated by Governance Lens on ${day}. Made offline; nothing was sent anywhere._`, '');
  return lines.join('\n');
}

/** A safe file name for the briefing of a page. */
export function briefingFileName(url: string, date: Date): string {
  let host = 'page';
  try {
    host = new URL(url).hostname || 'page';
  } catch {
    // keep 'page'
  }
  return `governance-lens-${host.replace(/[^a-z0-9.-]/gi, '_')}-${date.toISOString().slice(0, 10)}.md`;
}
