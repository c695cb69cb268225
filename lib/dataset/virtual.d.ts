// Type of the build-time virtual module provided by lib/dataset/vite-plugin.ts.
declare module 'virtual:glens-index' {
  import type { CompiledIndex } from '@/lib/dataset/types';
  const index: CompiledIndex;
  export default index;
}
