/**
 * The dataset contract shared by every layer. `lib/dataset/schema.ts` validates
 * data/*.json against exactly these shapes; `compile.ts` turns a Dataset into the
 * minimal CompiledIndex that the content script receives.
 */

export type GuidanceKind = 'principle' | 'recommendation' | 'characteristic' | 'instrument';

export interface Quote {
  /** Verbatim text from the source (for the contribution: appears in data/isoc-wgec-2016-contribution.txt). */
  text: string;
  /** Source id (see Source.id). */
  source: string;
  /** Where in the source, e.g. "Principles — Inclusiveness and transparency". */
  section: string;
}

export interface GuidanceEntry {
  /** P1–P4, R1–R4, C1…, and instrument ids such as "tunis-69-71". */
  id: string;
  kind: GuidanceKind;
  /** Exactly as titled in the contribution for principles and recommendations. */
  title: string;
  /** 2–4 sentences, our own words. */
  summary: string;
  quotes: Quote[];
  /** Related glossary term ids. */
  terms: string[];
  /** Source ids, at least one. */
  sources: string[];
}

export type TermCategory = 'organisation' | 'stakeholder' | 'process' | 'infrastructure' | 'concept' | 'access';

export interface Term {
  id: string;
  label: string;
  /** Surface variants in English: acronyms, expansions, hyphen/space/plural variants. */
  aliases: string[];
  /** Only forms the domain notes mark as confirmed. */
  translations?: { fr?: string[]; es?: string[] };
  /** One sentence, our own words. */
  definition: string;
  /** Related guidance entry ids (P1…R4, C*, instruments). */
  related: string[];
  category: TermCategory;
  /**
   * Present for short/shared acronyms and homonyms: the term is annotated only when
   * one of `context` (case-insensitive words/phrases) occurs near it or on the page.
   */
  ambiguous?: { context: string[]; note: string };
  /** Forms that must match case-sensitively beyond acronyms (e.g. "Internet Society"). */
  caseSensitive?: string[];
  sources?: string[];
}

export interface Source {
  id: string;
  title: string;
  publisher: string;
  year: number;
  /** https only. */
  url: string;
  /** 'confirmed' when domain-notes marks the URL as seen; 'nearest' when it links the nearest confirmed page. */
  urlStatus: 'confirmed' | 'nearest';
  /** What it is, one sentence (shown in quick links). */
  description: string;
  /** Explains a 'nearest' link or a dated figure. */
  note?: string;
}

export interface Dataset {
  version: string;
  entries: GuidanceEntry[];
  terms: Term[];
  sources: Source[];
}

/** One surface form the matcher looks for, already expanded (no regex). */
export interface CompiledForm {
  /** The form as written in the dataset, e.g. "Internet exchange points", "IXPs". */
  text: string;
  /** Index into CompiledIndex.terms. */
  term: number;
  /** Case-sensitive whole-token match (acronyms and listed caseSensitive forms). */
  cs: boolean;
}

export interface CompiledTerm {
  id: string;
  label: string;
  /** Ids of related guidance entries (empty for plain glossary terms). */
  related: string[];
  /** Context words required for ambiguous terms (absent = unguarded). */
  context?: string[];
}

/** A guidance entry reduced to what a page report needs (no summary, quotes or sources). */
export interface CompiledGuidance {
  id: string;
  kind: GuidanceKind;
  title: string;
}

/** The minimal index the content script receives (no summaries, quotes or definitions). */
export interface CompiledIndex {
  version: string;
  terms: CompiledTerm[];
  forms: CompiledForm[];
  /** Optional: id/kind/title of every guidance entry (filled by compileIndex). */
  guidance?: CompiledGuidance[];
  /**
   * Optional, opaque: the matcher's structures built at build time (lib/match `serializeMatcher`, added by
   * the Vite plugin for the content script). `createMatcher` loads it when it fits this index.
   */
  prebuilt?: unknown;
}
