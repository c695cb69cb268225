import { loadIndex } from 'virtual:glens-index';
import { matchStats, startBackground } from '@/lib/scope/controller';

export default defineBackground(() => {
  // The content script's compiled index: glens:match answers with term indices into it.
  startBackground({ loadIndex });
  // For `npm run bench`, which reports the background's share of the work next to the page's.
  (globalThis as { glensMatchStats?: typeof matchStats }).glensMatchStats = matchStats;
});
