import { describe, expect, it } from 'vitest';
import { SKIP_CHAR, charClass, foldKey, normalizeForMatch, normalizeForMatchCased } from '../../lib/match/normalize';

describe('normalizeForMatch', () => {
  const samples = [
    'İstanbul İİ',
    'multi\u00ADstakeholder',
    'Internet\u00A0Governance\u202FForum\u2009x\tz',
    'Túnez Información ÉCOLE',
    'co‐operation co–operation co—operation 5−3',
    'ICANN’s ‘quoted’ ʼx `y',
    'a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf',
    'line one\nline two\r\n',
    'emoji 😀 and 𝐀 math',
    'ß ﬁ ǅ Σς',
  ];
  it.each(samples)('keeps the length of %j', (s) => {
    expect(normalizeForMatch(s).length).toBe(s.length);
    expect(normalizeForMatchCased(s).length).toBe(s.length);
  });

  it('folds case and strips diacritics char by char', () => {
    expect(normalizeForMatch('Túnez ÉCOLE')).toBe('tunez ecole');
    expect(normalizeForMatchCased('Túnez ÉCOLE')).toBe('Tunez ECOLE');
  });

  it("maps 'İ' to 'i' without growing (toLowerCase would give 2 chars)", () => {
    expect('İ'.toLowerCase().length).toBe(2);
    expect(normalizeForMatch('İ')).toBe('i');
  });

  it('maps soft hyphen and zero-width chars to the skip marker', () => {
    expect(normalizeForMatch('multi\u00ADstake\u200Bholder')).toBe(`multi${SKIP_CHAR}stake${SKIP_CHAR}holder`);
    expect(normalizeForMatch('e\u0301')).toBe(`e${SKIP_CHAR}`);
  });

  it('maps NBSP, narrow NBSP, thin space, tab, CR and dashes to a space but keeps \\n', () => {
    expect(normalizeForMatch('a\u00A0b\u202Fc\u2009d\te\rf‐g–h—i\nj')).toBe('a b c d e f g h i\nj');
  });

  it('maps typographic apostrophes to a straight one', () => {
    expect(normalizeForMatch('ICANN’s ‘x ʼy')).toBe("icann's 'x 'y");
  });

  it('foldKey collapses gaps and removes skip chars', () => {
    expect(foldKey('  Multi\u00AD-Stake  holder ')).toBe('multi stake holder');
  });
});

describe('character classes (regex-free fast paths)', () => {
  it('classify every UTF-16 code unit exactly as the Unicode-property rules do', async () => {
    const { charClassByRegex } = await import('../../lib/match/normalize');
    const wrong: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (charClass(c) !== charClassByRegex(c)) wrong.push(c.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('CJK ideographs and Hangul syllables (a fast path) fold and keep case as the general rule does', async () => {
    const { baseCode, foldCode } = await import('../../lib/match/normalize');
    const wrong: string[] = [];
    const ranges: Array<[number, number]> = [
      [0x3400, 0x4dbf],
      [0x4e00, 0x9fff],
      [0xac00, 0xd7a3],
    ];
    for (const [a, b] of ranges) {
      for (let c = a; c <= b; c++) {
        const ch = String.fromCharCode(c);
        // The general rule: NFD, keep the base only when the rest is combining diacritics; then lower-case.
        const d = ch.normalize('NFD');
        const base = d.length > 1 && [...d.slice(1)].every((x) => /\p{Mn}/u.test(x) && x.charCodeAt(0) < 0x3000) ? d.charCodeAt(0) : c;
        const lower = String.fromCharCode(base).toLowerCase();
        const fold = lower.length === 1 ? lower.charCodeAt(0) : base;
        if (baseCode(c) !== base || foldCode(c) !== fold) wrong.push(c.toString(16));
      }
    }
    expect(wrong).toEqual([]);
  });

  it('folds ASCII case without changing other ASCII', () => {
    expect(normalizeForMatch('ABC xyz-09`\t')).toBe('abc xyz 09\' ');
  });
});
