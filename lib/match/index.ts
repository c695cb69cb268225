/**
 * Public API of the matching layer (pure: strings in, spans out; no DOM).
 */
export { createMatcher, serializeMatcher, expandForm, inIdentifier, PREBUILT_VERSION, type Matcher, type PrebuiltMatcher } from './matcher';
export { warmUpMatcher } from './warmup';
export { normalizeForMatch, normalizeForMatchCased, foldKey, SKIP_CHAR } from './normalize';
export { DEFAULT_WINDOW, STRONG_ANCHORS, EU_LAW_COUNTER } from './guards';
export type { MatchSpan, MatchContext, PageSignals } from './types';
export { createLookup, type Lookup, type LookupResult, type LookupMatch, type LookupKind } from './search';
export {
  discoverVariants,
  discoverVariantsIncremental,
  discoverInTexts,
  editDistance,
  VocabularyDiscovery,
  type DiscoveryOptions,
  type DiscoverOptions,
  type DiscoveredForm,
} from './discover';
