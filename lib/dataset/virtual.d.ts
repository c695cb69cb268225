// Type of the build-time virtual module provided by lib/dataset/vite-plugin.ts.
declare module 'virtual:glens-index' {
  import type { CompiledIndex } from '@/lib/dataset/types';
  const index: CompiledIndex;
  export default index;
  /** The same index, unpacked on each call (the content script parses it only when a page is in scope). */
  export function loadIndex(): CompiledIndex;
  export const DATASET_VERSION: string;
}
