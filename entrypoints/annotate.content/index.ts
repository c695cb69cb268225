import { defaultMatchPatterns } from '@/lib/scope/domains';

export default defineContentScript({
  matches: defaultMatchPatterns(),
  runAt: 'document_idle',
  main() {
    // wiring only; see lib/page
  },
});
