/**
 * Valibot schemas mirroring lib/dataset/types.ts, plus the cross-reference checks a schema cannot express
 * (`validateDataset`). `parseDataset` runs both and throws a `DatasetError` whose message lists every
 * problem with its path and the id of the offending item.
 */
import * as v from 'valibot';
import type { Dataset } from './types';
import { aliasKey, quoteKey } from './normalize';

const text = (what: string) => v.pipe(v.string(`${what} must be a string`), v.trim(), v.nonEmpty(`${what} must not be empty`));
const idOf = (what: string) =>
  v.pipe(v.string(`${what} must be a string`), v.regex(/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/, `${what} must be a kebab-case id (letters, digits, single hyphens)`));
const idList = (what: string) => v.array(idOf(what), `${what} must be an array of ids`);
const httpsUrl = v.pipe(
  v.string('url must be a string'),
  v.url('url must be a valid URL'),
  v.startsWith('https://', 'url must be an https:// URL'),
);

export const QuoteSchema = v.strictObject({
  text: text('quote text'),
  source: idOf('quote source'),
  section: text('quote section'),
});

export const GuidanceEntrySchema = v.strictObject({
  id: idOf('entry id'),
  kind: v.picklist(['principle', 'recommendation', 'characteristic', 'instrument'], 'kind must be principle, recommendation, characteristic or instrument'),
  title: text('title'),
  summary: text('summary'),
  quotes: v.pipe(v.array(QuoteSchema), v.minLength(1, 'an entry needs at least one quote'), v.maxLength(3, 'an entry has at most three quotes')),
  terms: idList('entry terms'),
  sources: v.pipe(idList('entry sources'), v.minLength(1, 'an entry needs at least one source')),
});

const formList = (what: string) => v.array(text(what), `${what} must be an array of strings`);

export const TermSchema = v.strictObject({
  id: v.pipe(v.string('term id must be a string'), v.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'term id must be lower-case kebab-case')),
  label: text('label'),
  aliases: formList('aliases'),
  translations: v.optional(
    v.strictObject({
      fr: v.optional(v.pipe(formList('French forms'), v.minLength(1, 'omit fr rather than leaving it empty'))),
      es: v.optional(v.pipe(formList('Spanish forms'), v.minLength(1, 'omit es rather than leaving it empty'))),
    }),
  ),
  definition: text('definition'),
  related: idList('related'),
  category: v.picklist(['organisation', 'stakeholder', 'process', 'infrastructure', 'concept', 'access'], 'unknown category'),
  ambiguous: v.optional(
    v.strictObject({
      context: v.pipe(formList('context words'), v.minLength(1, 'an ambiguous term needs context words')),
      note: text('ambiguity note'),
    }),
  ),
  caseSensitive: v.optional(formList('caseSensitive forms')),
  sources: v.optional(idList('term sources')),
});

export const SourceSchema = v.pipe(
  v.strictObject({
    id: idOf('source id'),
    title: text('source title'),
    publisher: text('publisher'),
    year: v.pipe(v.number('year must be a number'), v.integer('year must be an integer'), v.minValue(1990, 'year looks wrong'), v.maxValue(2100, 'year looks wrong')),
    url: httpsUrl,
    urlStatus: v.picklist(['confirmed', 'nearest'], "urlStatus must be 'confirmed' or 'nearest'"),
    description: text('description'),
    note: v.optional(text('note')),
  }),
  v.check((s) => s.urlStatus !== 'nearest' || !!s.note, "a 'nearest' link needs a note saying what it links instead"),
);

export const DatasetSchema = v.strictObject({
  version: v.pipe(v.string('version must be a string'), v.regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, 'version must look like 1.2.3')),
  entries: v.pipe(v.array(GuidanceEntrySchema), v.minLength(1, 'no guidance entries')),
  terms: v.pipe(v.array(TermSchema), v.minLength(1, 'no terms')),
  sources: v.pipe(v.array(SourceSchema), v.minLength(1, 'no sources')),
});

// Compile-time guard: the schema's output must stay assignable to the contract.
type SchemaOutput = v.InferOutput<typeof DatasetSchema>;
const _contract: (d: SchemaOutput) => Dataset = (d) => d;
void _contract;

/** Thrown by parseDataset/loadDataset; `problems` holds one readable line per problem. */
export class DatasetError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid Governance Lens dataset (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.join('\n- ')}`);
    this.name = 'DatasetError';
  }
}

/** Options for validateDataset/parseDataset. */
export interface ValidateOptions {
  /** Source id → full source text; when given, every quote of that source must occur in it verbatim (see quoteKey). */
  sourceTexts?: Record<string, string>;
}

function describePath(issue: v.BaseIssue<unknown>, input: unknown): string {
  const parts: string[] = [];
  let node: unknown = input;
  for (const item of issue.path ?? []) {
    const key = item.key as string | number;
    node = (node as Record<string | number, unknown> | undefined)?.[key];
    if (typeof key === 'number') {
      const id = node && typeof node === 'object' && 'id' in node ? (node as { id: unknown }).id : undefined;
      parts.push(`[${key}]${typeof id === 'string' ? ` (id "${id}")` : ''}`);
    } else {
      parts.push(parts.length ? `.${key}` : String(key));
    }
  }
  return parts.join('') || '(root)';
}

/**
 * Cross-reference checks on a schema-valid dataset: unique ids (across entries, terms and sources), known
 * ids in related/terms/sources/quote sources, no form (label, alias or translation, folded by aliasKey)
 * shared by two terms, caseSensitive forms present among the term's forms, and, with `sourceTexts`,
 * verbatim quotes. Returns the problems (empty = valid).
 */
export function validateDataset(ds: Dataset, opts: ValidateOptions = {}): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const claim = (id: string, where: string) => {
    const prev = seen.get(id);
    if (prev) problems.push(`duplicate id "${id}" (${where} and ${prev})`);
    else seen.set(id, where);
  };
  ds.entries.forEach((e) => claim(e.id, `entry`));
  ds.terms.forEach((t) => claim(t.id, `term`));
  ds.sources.forEach((s) => claim(s.id, `source`));

  const entryIds = new Set(ds.entries.map((e) => e.id));
  const termIds = new Set(ds.terms.map((t) => t.id));
  const sourceIds = new Set(ds.sources.map((s) => s.id));
  const texts = opts.sourceTexts ?? {};
  const textKeys = new Map(Object.entries(texts).map(([k, t]) => [k, quoteKey(t)]));

  for (const e of ds.entries) {
    for (const t of e.terms) if (!termIds.has(t)) problems.push(`entry "${e.id}": unknown term "${t}"`);
    for (const s of e.sources) if (!sourceIds.has(s)) problems.push(`entry "${e.id}": unknown source "${s}"`);
    e.quotes.forEach((q, i) => {
      if (!sourceIds.has(q.source)) problems.push(`entry "${e.id}" quote ${i + 1}: unknown source "${q.source}"`);
      const hay = textKeys.get(q.source);
      if (hay !== undefined && !hay.includes(quoteKey(q.text))) {
        problems.push(`entry "${e.id}" quote ${i + 1} is not verbatim in source "${q.source}": "${q.text.slice(0, 80)}…"`);
      }
    });
  }

  const owner = new Map<string, string>();
  for (const t of ds.terms) {
    for (const r of t.related) if (!entryIds.has(r)) problems.push(`term "${t.id}": unknown related entry "${r}"`);
    for (const s of t.sources ?? []) if (!sourceIds.has(s)) problems.push(`term "${t.id}": unknown source "${s}"`);
    const forms = termForms(t);
    const keys = new Set(forms.map(aliasKey));
    for (const cs of t.caseSensitive ?? []) {
      if (!keys.has(aliasKey(cs))) problems.push(`term "${t.id}": caseSensitive form "${cs}" is not its label, an alias or a translation`);
    }
    for (const k of keys) {
      const prev = owner.get(k);
      if (prev && prev !== t.id) problems.push(`form "${k}" belongs to two terms: "${prev}" and "${t.id}"`);
      else owner.set(k, t.id);
    }
  }
  return problems;
}

/** Every surface form written in the dataset for a term: label, aliases, FR and ES translations. */
export function termForms(t: Dataset['terms'][number]): string[] {
  return [t.label, ...t.aliases, ...(t.translations?.fr ?? []), ...(t.translations?.es ?? [])];
}

/**
 * Validate unknown input against the schema and the cross-reference checks.
 * @throws DatasetError listing every problem (path, item id, message).
 */
export function parseDataset(input: unknown, opts: ValidateOptions = {}): Dataset {
  const res = v.safeParse(DatasetSchema, input, { abortPipeEarly: false });
  if (!res.success) {
    throw new DatasetError(
      res.issues.map((i) => {
        // valibot reports a missing key as "Invalid key: Expected "title" but received undefined".
        const msg = i.message.startsWith('Invalid key') && i.received === 'undefined' ? `missing required field ${i.expected}` : i.message;
        return `${describePath(i, input)}: ${msg}`;
      }),
    );
  }
  const problems = validateDataset(res.output, opts);
  if (problems.length) throw new DatasetError(problems);
  return res.output;
}
