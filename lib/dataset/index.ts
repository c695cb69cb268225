/**
 * Public API of the dataset layer: the validated bundled dataset, its version, the compiler to the
 * content script's minimal index, and the schema tools.
 */
export { loadDataset, DATASET_VERSION, rawDataset } from './load';
export { compileIndex, isAcronymForm, pluralOf } from './compile';
export { parseDataset, validateDataset, termForms, DatasetError, DatasetSchema, GuidanceEntrySchema, TermSchema, SourceSchema, QuoteSchema } from './schema';
export type { ValidateOptions } from './schema';
export { aliasKey, quoteKey } from './normalize';
export type * from './types';
