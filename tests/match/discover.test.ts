import { describe, expect, it } from 'vitest';
import { compileIndex, loadDataset } from '../../lib/dataset';
import { createMatcher, discoverVariants, discoverVariantsIncremental } from '../../lib/match';
import { candidateKey, isTypoOf } from '../../lib/match/discover';
import { foldKey } from '../../lib/match/normalize';
import { loadFixture } from './fixture-text';
import { vocabularyOf } from './vocab';

const index = compileIndex(loadDataset());
const id = (i: number) => index.terms[i].id;

describe('discoverVariants', () => {
  it('finds misspelt variants of glossary forms', () => {
    const found = discoverVariants(
      ['multistakholder', 'Internet Governence Forum', 'developping countries', 'cybersecurty', 'ordinary'],
      index,
    );
    expect(found.map((f) => [f.text, id(f.term)])).toEqual([
      ['multistakholder', 'multistakeholder-model'],
      ['Internet Governence Forum', 'internet-governance-forum'],
      ['developping countries', 'developing-countries'],
      ['cybersecurty', 'cybersecurity'],
    ]);
    expect(found.every((f) => !f.cs && f.distance >= 1)).toBe(true);
  });

  it('keys candidates exactly as foldKey does (a cheaper path for plain words)', () => {
    const words = new Set<string>();
    for (const n of ['contribution-tunis.txt', 'wikipedia-2.html', 'lemonde-1.html', 'bbc-1.html', 'qq.html']) {
      for (const w of vocabularyOf(loadFixture(n).text, 1e9)) words.add(w);
    }
    for (const w of ['Multistakeholder', 'IGF\u2019s work', 'government\'s', 'Coop\u00e9ration', 'e-commerce', 'A  B', 'x\u00ADy', 'ABC DEF']) words.add(w);
    expect(words.size).toBeGreaterThan(5000);
    let plain = 0;
    for (const w of words) {
      expect(candidateKey(w), w).toBe(foldKey(w).replace(/'s\b/g, ''));
      if (/^[A-Za-z]+(?: [A-Za-z]+)*$/.test(w)) plain++;
    }
    expect(plain).toBeGreaterThan(words.size / 2);
  });

  it.each(['bbc-1.html', 'nytimes-1.html', 'wikipedia-2.html', 'yahoo-2.html', 'iab-1.html', 'contribution-tunis.txt'])(
    'finds no false variants in the vocabulary of %s',
    (name) => {
      const { text } = loadFixture(name);
      const vocab = vocabularyOf(text);
      expect(vocab.length).toBeGreaterThan(100);
      expect(discoverVariants(vocab, index)).toEqual([]);
    },
  );

  it('rejects inflections, derivations and other languages as typos', () => {
    expect(isTypoOf('governments', 'government')).toBe(false);
    expect(isTypoOf('enhance cooperation', 'enhanced cooperation')).toBe(false);
    expect(isTypoOf('transparent', 'transparency')).toBe(false);
    expect(isTypoOf('sector private', 'sector privado')).toBe(false);
    expect(isTypoOf('stakeholdres', 'stakeholders')).toBe(true);
  });

  it('runs in bounded batches and honours caps', () => {
    const letters = (i: number) => String.fromCharCode(97 + (i % 26)) + String.fromCharCode(97 + Math.floor(i / 26));
    const vocab = Array.from({ length: 300 }, (_, i) => `fillerword${letters(i)}`).concat(['multistakholder']);
    const it = discoverVariantsIncremental(vocab, index, { batchSize: 50 });
    let steps = 0;
    const all = [];
    for (const batch of it) {
      steps++;
      all.push(...batch);
    }
    expect(steps).toBe(Math.ceil(301 / 50));
    expect(all.map((f) => f.text)).toEqual(['multistakholder']);
    expect(discoverVariants(vocab, index, { maxCandidates: 100 })).toEqual([]);
    expect(discoverVariants(['multistakholder'], index, { minLength: 20 })).toEqual([]);
  });

  it('feeds the matcher through addForms', () => {
    const m = createMatcher(index);
    const text = 'The multistakholder approach and multistakholder model.';
    expect(m.find(text)).toEqual([]);
    m.addForms(discoverVariants(['multistakholder'], index));
    expect(m.find(text).map((s) => text.slice(s.start, s.end))).toEqual(['multistakholder', 'multistakholder']);
  });
});
