/**
 * Card CSS, adopted into the card host's shadow root. `:host { all: initial }` cuts page inheritance;
 * px units only (rem would follow the page's root font size).
 */
export const CARD_CSS = `
:host { all: initial; }
.card {
  --bg: #ffffff; --fg: #1f2328; --muted: #57606a; --border: #d0d7de; --accent: #0b57d0; --quote-bg: #f6f8fa;
  --badge-bg: #fff4d6; --badge-fg: #7a4b00; --focus: #0b57d0;
  position: fixed; box-sizing: border-box; width: 380px; max-width: calc(100vw - 16px);
  overflow: auto; overscroll-behavior: contain;
  margin: 0; padding: 14px 16px 12px; border: 1px solid var(--border); border-radius: 10px;
  background: var(--bg); color: var(--fg); box-shadow: 0 8px 28px rgba(0, 0, 0, 0.22);
  font: 400 14px/20px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  text-align: left; direction: ltr; pointer-events: auto; z-index: 2147483647; letter-spacing: normal;
  word-break: normal; overflow-wrap: anywhere; white-space: normal;
}
.card[data-theme="dark"] {
  --bg: #1c2128; --fg: #e6edf3; --muted: #9ea7b3; --border: #444c56; --accent: #8ab4f8; --quote-bg: #22272e;
  --badge-bg: #4d3800; --badge-fg: #ffdf8a; --focus: #8ab4f8;
}
@media (prefers-color-scheme: dark) {
  .card[data-theme="auto"] {
    --bg: #1c2128; --fg: #e6edf3; --muted: #9ea7b3; --border: #444c56; --accent: #8ab4f8; --quote-bg: #22272e;
    --badge-bg: #4d3800; --badge-fg: #ffdf8a; --focus: #8ab4f8;
  }
}
.card:focus { outline: none; }
.card:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
* { box-sizing: border-box; }
h2, h3, p, ul, li, blockquote, figure { margin: 0; padding: 0; }
.top { display: flex; align-items: flex-start; gap: 8px; }
.brand { font-size: 11px; line-height: 16px; text-transform: uppercase; letter-spacing: 0.6px; color: var(--muted); }
h2 { font-size: 17px; line-height: 22px; font-weight: 650; color: var(--fg); }
.grow { flex: 1 1 auto; min-width: 0; }
button {
  font: inherit; font-size: 13px; line-height: 18px; color: var(--accent); background: transparent;
  border: 1px solid var(--border); border-radius: 6px; padding: 4px 8px; cursor: pointer; margin: 0;
}
button:hover { background: var(--quote-bg); }
button:focus-visible, a:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.close { border: none; font-size: 20px; line-height: 20px; padding: 2px 6px; color: var(--muted); }
.def { margin-top: 8px; }
.section-title { margin-top: 12px; font-size: 12px; line-height: 16px; font-weight: 650; color: var(--muted); text-transform: uppercase; letter-spacing: 0.5px; }
ul { list-style: none; }
.entry { margin-top: 8px; padding-top: 8px; border-top: 1px solid var(--border); }
.entry:first-child { border-top: none; padding-top: 0; }
.etitle { font-weight: 650; }
.badge {
  display: inline-block; font-size: 11px; line-height: 16px; font-weight: 700; padding: 0 6px; margin-right: 6px;
  border-radius: 4px; background: var(--badge-bg); color: var(--badge-fg);
}
.summary { margin-top: 4px; }
blockquote { margin-top: 6px; padding: 6px 10px; border-left: 3px solid var(--accent); background: var(--quote-bg); border-radius: 0 6px 6px 0; }
.cite { display: block; margin-top: 4px; font-size: 12px; line-height: 16px; color: var(--muted); font-style: normal; }
a { color: var(--accent); text-decoration: underline; }
.row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 6px; }
.muted { color: var(--muted); }
.foot { margin-top: 12px; padding-top: 8px; border-top: 1px solid var(--border); display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.version { margin-left: auto; font-size: 11px; line-height: 16px; color: var(--muted); }
.help { margin-top: 8px; font-size: 13px; }
.status { font-size: 12px; color: var(--muted); min-height: 0; }
.sources { margin-top: 10px; font-size: 13px; }
.sources li { margin-top: 2px; }
@media (forced-colors: active) {
  .card { border: 2px solid CanvasText; background: Canvas; color: CanvasText; forced-color-adjust: auto; }
  .badge { border: 1px solid CanvasText; }
  blockquote { border-left-color: CanvasText; }
}
`;
