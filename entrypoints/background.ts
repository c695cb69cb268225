import { startBackground } from '@/lib/scope/controller';

export default defineBackground(() => {
  startBackground();
});
