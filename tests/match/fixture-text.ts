import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Test helper: turn a saved HTML page into the text the page layer would hand to the matcher — visible
 * text only (script/style/noscript/template/svg/pre/code/textarea/select and nav dropped), inline elements
 * concatenated, block elements separated by '\n'. Regex-based: good enough for fixtures.
 */
const SKIP_TAGS = ['script', 'style', 'noscript', 'template', 'svg', 'math', 'pre', 'code', 'textarea', 'select', 'iframe', 'head', 'nav'];
const BLOCK = new Set(
  'address article aside blockquote br dd div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p section table tbody td tfoot th thead tr ul option button label'.split(' '),
);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0', shy: '\u00AD', mdash: '—', ndash: '–', rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', hellip: '…', copy: '©', eacute: 'é', egrave: 'è', aacute: 'á', oacute: 'ó', uuml: 'ü', ouml: 'ö', auml: 'ä', szlig: 'ß', middot: '·', bull: '•', trade: '™', reg: '®' };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp > 0 && cp < 0x110000 ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** `keep`: skip-zone tags to read anyway (e.g. 'nav', to test the matcher on a page's menus too). */
export function htmlToText(html: string, keep: readonly string[] = []): { title: string; text: string } {
  const title = decode((/<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? '').trim());
  let h = html.replace(/<!--[\s\S]*?-->/g, ' ');
  for (const t of SKIP_TAGS.filter((x) => !keep.includes(x))) h = h.replace(new RegExp(`<${t}\\b[\\s\\S]*?<\\/${t}\\s*>`, 'gi'), '<br>');
  // Source newlines inside a block are just whitespace; '\n' is reserved for block breaks.
  h = h.replace(/[\r\n\t]+/g, ' ');
  h = h.replace(/<\/?([a-z0-9]+)\b[^>]*>/gi, (_m, tag: string) => (BLOCK.has(tag.toLowerCase()) ? '\n' : ''));
  const text = decode(h)
    .split('\n')
    .map((l) => l.replace(/ {2,}/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
  return { title, text };
}


/** Labelled texts and their expected JSON live in fixtures/match; saved real pages in fixtures/real-pages. */
export const MATCH_DIR = join(__dirname, '../fixtures/match');
const PAGES_DIR = join(__dirname, '../fixtures/real-pages');

/** The labelled fixtures: every `<name>.expected.json`, as `<name>.txt` or (a saved real page) `<name>.html`. */
export function matchFixtures(): string[] {
  return readdirSync(MATCH_DIR)
    .filter((f) => f.endsWith('.expected.json'))
    .map((f) => f.replace(/\.expected\.json$/, ''))
    .map((base) => (existsSync(join(MATCH_DIR, `${base}.txt`)) ? `${base}.txt` : `${base}.html`))
    .sort();
}

/** A fixture as the text the page layer would hand to the matcher. */
export function loadFixture(name: string, keep: readonly string[] = []): { title: string; text: string } {
  if (name.endsWith('.html')) return htmlToText(readFileSync(join(PAGES_DIR, name), 'utf8'), keep);
  return { title: '', text: readFileSync(join(MATCH_DIR, name), 'utf8') };
}
