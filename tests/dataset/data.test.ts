import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliasKey, quoteKey } from '../../lib/dataset/normalize';
import { termForms } from '../../lib/dataset/schema';
import { isAcronymForm } from '../../lib/dataset/compile';
import { loadDataset, DATASET_VERSION } from '../../lib/dataset';
import { DATA_DIR, dataset as ds, readData } from './helpers';

const CONTRIBUTION = readData('isoc-wgec-2016-contribution.txt');
const TUNIS = readData('tunis-agenda-69-72.txt');
const byId = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));
const entries = byId(ds.entries);
const sources = byId(ds.sources);

describe('primary sources in data/', () => {
  it('keeps a byte-identical copy of the contribution (hash recorded in data/README.md)', () => {
    const sha = createHash('sha256').update(readFileSync(path.join(DATA_DIR, 'isoc-wgec-2016-contribution.txt'))).digest('hex');
    expect(sha).toBe('6033c5b6164161545161bedc9fc7cdc2c7f87f475a64ff8c209a2280f5f97dee');
    expect(readData('README.md')).toContain(sha);
  });
  it('attributes the Tunis Agenda paragraphs', () => {
    expect(TUNIS).toContain('WSIS-05/TUNIS/DOC/6(Rev.1)-E');
    expect(TUNIS).toMatch(/^69\. We further recognize/m);
  });
});

describe('ids and references', () => {
  it('ids are unique across entries, terms and sources', () => {
    const all = [...ds.entries, ...ds.terms, ...ds.sources].map((x) => x.id);
    const dupes = all.filter((id, i) => all.indexOf(id) !== i);
    expect(dupes).toEqual([]);
  });
  it('every related / terms / sources / quote source id exists', () => {
    const termIds = new Set(ds.terms.map((t) => t.id));
    const missing: string[] = [];
    for (const e of ds.entries) {
      e.terms.forEach((t) => termIds.has(t) || missing.push(`${e.id}.terms:${t}`));
      e.sources.forEach((s) => sources.has(s) || missing.push(`${e.id}.sources:${s}`));
      e.quotes.forEach((q) => sources.has(q.source) || missing.push(`${e.id}.quote:${q.source}`));
    }
    for (const t of ds.terms) {
      t.related.forEach((r) => entries.has(r) || missing.push(`${t.id}.related:${r}`));
      (t.sources ?? []).forEach((s) => sources.has(s) || missing.push(`${t.id}.sources:${s}`));
    }
    expect(missing).toEqual([]);
  });
});

describe('guidance entries', () => {
  const TITLES: Record<string, string> = {
    P1: 'Inclusiveness and transparency',
    P2: 'Collective responsibility',
    P3: 'Effective decision-making and implementation',
    P4: 'Collaboration through distributed and interoperable governance',
    R1: 'Collaboration and collective responsibility to strengthen security',
    R2: 'Increased collaboration to expand access',
    R3: 'Strengthen participation of underrepresented stakeholders',
    R4: 'Continued implementation of the improvements to the Internet Governance Forum',
  };

  it('P1-P4 and R1-R4 exist with the exact titles, kinds and at least one quote', () => {
    for (const [id, title] of Object.entries(TITLES)) {
      const e = entries.get(id);
      expect(e, id).toBeDefined();
      expect(e!.title).toBe(title);
      expect(e!.kind).toBe(id.startsWith('P') ? 'principle' : 'recommendation');
      expect(e!.quotes.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('P/R titles appear as headings of the contribution', () => {
    for (const title of Object.values(TITLES)) expect(quoteKey(CONTRIBUTION)).toContain(title);
  });

  it('has characteristics C1… and the framing instruments', () => {
    const chars = ds.entries.filter((e) => e.kind === 'characteristic');
    expect(chars.length).toBeGreaterThanOrEqual(3);
    chars.forEach((c, i) => expect(c.id).toBe(`C${i + 1}`));
    const instruments = ds.entries.filter((e) => e.kind === 'instrument').map((e) => e.id);
    expect(instruments).toEqual(expect.arrayContaining(['tunis-69-71', 'wsis10-review', 'iana-transition-2016', 'igf-platform', 'nri-igfs']));
    const tunis = entries.get('tunis-69-71')!;
    expect(tunis.quotes.map((q) => q.section)).toEqual(['Tunis Agenda §69', 'Tunis Agenda §70', 'Tunis Agenda §71']);
    expect(tunis.quotes.every((q) => q.source === 'tunis-agenda')).toBe(true);
  });

  it('every quote appears verbatim in its source text (whitespace/typographic-quote/Markdown normalised)', () => {
    const hay: Record<string, string> = { 'isoc-wgec-2016': quoteKey(CONTRIBUTION), 'tunis-agenda': quoteKey(TUNIS) };
    const bad: string[] = [];
    for (const e of ds.entries) {
      for (const q of e.quotes) {
        expect(Object.keys(hay), `${e.id}: quotes must come from the contribution or the Tunis paragraphs`).toContain(q.source);
        if (!hay[q.source].includes(quoteKey(q.text))) bad.push(`${e.id}: ${q.text.slice(0, 60)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('a changed word in a quote is caught', () => {
    expect(quoteKey(CONTRIBUTION)).not.toContain(quoteKey('All stakeholders share a collective responsibility for the vitality of the Internet'));
  });

  it('summaries are 2-4 sentences and every entry has 1-3 quotes and ≥1 https source', () => {
    for (const e of ds.entries) {
      const sentences = e.summary.split(/(?<=[.!?])\s+(?=[A-Z])/).length;
      expect(sentences, `${e.id} summary`).toBeGreaterThanOrEqual(2);
      expect(sentences, `${e.id} summary`).toBeLessThanOrEqual(4);
      expect(e.quotes.length).toBeGreaterThanOrEqual(1);
      expect(e.quotes.length).toBeLessThanOrEqual(3);
      expect(e.sources.length).toBeGreaterThanOrEqual(1);
      for (const s of e.sources) expect(sources.get(s)!.url.startsWith('https://')).toBe(true);
    }
  });

  it('links the three ISOC documents from the entries that rely on them', () => {
    const linkedFrom = (sid: string) => ds.entries.filter((e) => e.sources.includes(sid)).map((e) => e.id);
    expect(linkedFrom('isoc-multistakeholder-2016')).toEqual(expect.arrayContaining(['P1', 'P2', 'P3', 'P4']));
    expect(linkedFrom('gir-2016')).toContain('R1');
    expect(linkedFrom('isoc-access-framework-2016')).toContain('R2');
    expect(sources.get('isoc-multistakeholder-2016')!.title).toBe('Internet Governance – Why the Multistakeholder Approach Works');
    expect(sources.get('gir-2016')!.title).toMatch(/^Global Internet Report 2016/);
    expect(sources.get('isoc-access-framework-2016')!.title).toBe('A Policy Framework for Enabling Internet Access');
  });

  it('dates the R3 figures (as of December 2016)', () => {
    expect(entries.get('R3')!.summary).toContain('more than 170 policy makers from 53 countries had taken part as of December 2016');
    expect(sources.get('isoc-ietf-policy-programme')!.description).toContain('as of December 2016');
    expect(entries.get('R3')!.quotes.find((q) => q.text.includes('53 different countries'))!.section).toContain('as of December 2016');
  });
});

describe('sources', () => {
  it('every url is https and every nearest link says so in a note', () => {
    for (const s of ds.sources) {
      expect(s.url, s.id).toMatch(/^https:\/\/[^\s]+$/);
      if (s.urlStatus === 'nearest') expect(s.note, s.id).toMatch(/nearest|section page/);
    }
  });
  it('includes the required sources', () => {
    for (const id of ['isoc-wgec-2016', 'isoc-multistakeholder-2016', 'gir-2016', 'isoc-access-framework-2016', 'isoc-ietf-policy-programme', 'tunis-agenda', 'igf-website', 'cstd-wg-igf-improvements-2012']) {
      expect(sources.has(id), id).toBe(true);
    }
    const contribution = sources.get('isoc-wgec-2016')!;
    expect(contribution.urlStatus).toBe('nearest');
    expect(contribution.url).toBe('https://unctad.org/news/working-group-enhanced-cooperation');
    expect(contribution.year).toBe(2016);
    expect(sources.get('cstd-wg-igf-improvements-2012')!.urlStatus).toBe('nearest');
    expect(sources.get('tunis-agenda')!.publisher).toMatch(/ITU/);
  });
});

describe('glossary', () => {
  it('has at least 120 terms, at least 30 with confirmed FR or ES forms', () => {
    expect(ds.terms.length).toBeGreaterThanOrEqual(120);
    expect(ds.terms.filter((t) => t.translations?.fr?.length || t.translations?.es?.length).length).toBeGreaterThanOrEqual(30);
  });

  it('no form (label, alias, translation) belongs to two terms after normalisation', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const t of ds.terms) {
      for (const k of new Set(termForms(t).map(aliasKey))) {
        const prev = owner.get(k);
        if (prev) clashes.push(`${k}: ${prev} / ${t.id}`);
        else owner.set(k, t.id);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('never matches "IG" and never translates "enhanced cooperation" into the unconfirmed French form', () => {
    const all = ds.terms.flatMap(termForms).map(aliasKey);
    expect(all).not.toContain('ig');
    expect(all).not.toContain('cooperation renforcee');
  });

  it('guards short shared acronyms and homonyms with context words', () => {
    const termWith = (form: string) => ds.terms.find((t) => termForms(t).includes(form));
    for (const acro of ['MAG', 'EC', 'DC', 'GA', 'IAB', 'TA', 'PN', 'GAC', 'PTI']) {
      const t = termWith(acro);
      expect(t, acro).toBeDefined();
      expect(t!.ambiguous?.context.length, acro).toBeGreaterThan(0);
    }
    const ec = ds.terms.find((t) => t.id === 'enhanced-cooperation')!;
    expect(ec.ambiguous!.note).toMatch(/EU/);
    expect(ec.ambiguous!.context).toEqual(expect.arrayContaining(['WSIS', 'Tunis Agenda']));
    const isoc = ds.terms.find((t) => t.id === 'internet-society')!;
    expect(isoc.caseSensitive).toContain('Internet Society');
    const infoSoc = ds.terms.find((t) => t.id === 'information-society')!;
    expect(infoSoc.ambiguous!.note).toMatch(/not the Internet Society/i);
    expect(termForms(infoSoc).map(aliasKey)).not.toContain('internet society');
  });

  it('has no flooding generic aliases; single-word everyday forms only on context-guarded terms', () => {
    const banned = ['access', 'security', 'business', 'industry', 'trust', 'routing', 'transit', 'spectrum', 'training', 'ecosystem', 'fragmentation', 'inclusion', 'inclusive', 'transparent', 'openness', 'states', 'the summit', 'connectivity', 'affordability', 'ig', 'icc', 'end to end', 'bottom up', 'multipartite', 'multisectorial', 'etats', 'ouverture', 'apertura', 'confiance'];
    const all = new Set(ds.terms.flatMap(termForms).map(aliasKey));
    expect(banned.filter((b) => all.has(b))).toEqual([]);
    // Unguarded single-word forms that are not acronyms: each must be a specific governance word.
    const SPECIFIC = new Set(['multistakeholder', 'multistakeholderism', 'multi stakeholderism', 'netmundial', 'splinternet', 'openstand', 'afrinic', 'eurodig', 'aprigf', 'ipv4', 'ipv6', 'ddos', 'iot', 'urpf', 'cnuced', 'unesco']);
    const loose: string[] = [];
    for (const t of ds.terms) {
      if (t.ambiguous) continue;
      for (const f of termForms(t)) {
        const k = aliasKey(f);
        if (!k.includes(' ') && !isAcronymForm(f) && /\p{Ll}/u.test(f) && !SPECIFIC.has(k)) loose.push(`${t.id}: ${f}`);
      }
    }
    expect(loose).toEqual([]);
  });

  it('every term has a one-sentence definition and a category', () => {
    for (const t of ds.terms) {
      expect(t.definition.split(/(?<=[a-z)])\.\s+(?=[A-Z])/).length, t.id).toBe(1);
      expect(t.definition.endsWith('.'), t.id).toBe(true);
    }
  });
});

describe('loadDataset()', () => {
  it('returns the same validated dataset as the disk reader, with its version', () => {
    const loaded = loadDataset();
    expect(loaded).toEqual(ds);
    expect(DATASET_VERSION).toBe(ds.version);
    expect(loadDataset()).toBe(loaded);
  });
});
