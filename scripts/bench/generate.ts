/**
 * Deterministic synthetic pages and glossaries for `npm run bench`.
 *
 * Page shape (performance-notes §1/§6): paragraphs of ~80 words, an inline <a>/<em> every ~25 words,
 * ~1% of words are term mentions drawn from the glossary's forms, some terms split across inline tags,
 * and skip zones (script, pre/code, textarea, contenteditable, hidden) that hold terms which must NOT be
 * painted. The page runs no script of its own (the one <script> skip zone is a no-op), so every script
 * event in a trace of it belongs to the extension or the harness.
 */

/** Small seeded PRNG (mulberry32) so every run sees the same page. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Ordinary prose vocabulary with no glossary words in it, so filler never forms a term by accident.
const FILLER = (
  'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they ' +
  'you were her she there been one all we their has would when if so no what up out about who them some could him ' +
  'into its then two more these time other than first may way like over such our even most made after also did ' +
  'many before must through back years where much your well down should because each just those people how too ' +
  'little state good very make world still own see men work long get here between both life being under never day ' +
  'same another know while last might us great old year off come since against go came right used take three ' +
  'himself few house use during without again place american around however home small found thought went say ' +
  'part once general high upon school every does got united left number course war until always away something ' +
  'fact though water less public put think almost hand enough far took head yet government system better set told ' +
  'nothing night end why called didn eyes find going look asked later knew point next city business give group ' +
  'toward young days let room president side social given present several order national possible rather second ' +
  'face per among form important often things looked early white case john become large big need four within felt ' +
  'along children saw best church ever least power development light thing seemed family interest want members ' +
  'mind country area others done turned although open god service certain kind problem began different door thus ' +
  'help means sense whole matter perhaps itself york times law human line above name example action company hands ' +
  'local show whether five history gave today either act feet across taken past quite anything seen having death ' +
  'experience body word half really field am car words already themselves information tell college shall money ' +
  'period held keep sure free seems real behind cannot miss political air question making office brought whose ' +
  'special heard major problems ago became federal moment study available known result street economic boy'
).split(/\s+/);

export interface GeneratedPage {
  html: string;
  /** Words in readable (non-skipped) text. */
  words: number;
  /** Term mentions planted in readable text. */
  mentions: number;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A page of about `totalWords` readable words with ~1% term mentions taken from `forms`.
 * Multi-word forms are sometimes split across an inline tag ("<em>Internet</em> Governance Forum").
 */
export function generatePage(totalWords: number, forms: readonly string[], seed = 42): GeneratedPage {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const multi = forms.filter((f) => /\s/.test(f));
  const parts: string[] = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench page ' + totalWords + ' words</title>',
    '<style>.hid{display:none}</style></head><body><main>',
  ];
  let words = 0;
  let mentions = 0;
  let para = 0;
  while (words < totalWords) {
    if (para % 20 === 0) {
      parts.push(`<h2>Section ${para / 20 + 1}: ${esc(pick(FILLER))} ${esc(pick(FILLER))}</h2>`);
      words += 3;
    }
    const out: string[] = [];
    const n = Math.min(80, totalWords - words);
    for (let i = 0; i < n; i++) {
      let w: string;
      if (r() < 0.01) {
        mentions++;
        // Every ~40th mention of a multi-word form is split across an inline element.
        if (multi.length && r() < 0.025) {
          const f = pick(multi);
          const sp = f.indexOf(' ');
          w = `<em>${esc(f.slice(0, sp))}</em>${esc(f.slice(sp))}`;
        } else {
          w = esc(pick(forms));
        }
      } else {
        w = pick(FILLER);
      }
      if (i % 25 === 12) w = r() < 0.5 ? `<a href="#p${para}">${w}</a>` : `<em>${w}</em>`;
      out.push(w);
    }
    words += n;
    parts.push(`<p id="p${para}">${out.join(' ')}.</p>`);
    // Skip zones every 50 paragraphs: terms in them must not be painted.
    if (para % 50 === 25) {
      const f = esc(pick(forms));
      parts.push(
        `<script>/* ${f} */ void 0;</script>`,
        `<pre><code>// ${f} in code\nconst x = "${f}";</code></pre>`,
        `<textarea>${f} typed by a reader</textarea>`,
        `<div contenteditable="true">Editable ${f} text</div>`,
        `<div hidden>Hidden ${f}</div><div class="hid">Not displayed ${f}</div>`,
      );
    }
    para++;
  }
  parts.push('</main></body></html>');
  return { html: parts.join('\n'), words, mentions };
}

/** Pseudo-words that never occur in real text ("zorvak", "Bleminth"), for synthetic glossaries. */
export function syntheticForms(count: number, seed = 7): string[] {
  const r = rng(seed);
  const syl = ['zor', 'vak', 'ble', 'min', 'th', 'qua', 'rix', 'dol', 'pex', 'ung', 'sar', 'wet', 'kli', 'mon', 'tra', 'fyx'];
  const word = () => {
    let s = '';
    const k = 2 + Math.floor(r() * 2);
    for (let i = 0; i < k; i++) s += syl[Math.floor(r() * syl.length)];
    return s;
  };
  const out = new Set<string>();
  while (out.size < count) {
    const kind = r();
    if (kind < 0.2) out.add(word().slice(0, 4).toUpperCase()); // acronym
    else if (kind < 0.6) out.add(word());
    else out.add(`${word()} ${word()}${r() < 0.5 ? ' ' + word() : ''}`);
  }
  return [...out];
}
