/** A match in a text: [start, end) offsets into the string given to the matcher. */
export interface MatchSpan {
  start: number;
  end: number;
  /** Index into CompiledIndex.terms. */
  term: number;
}
