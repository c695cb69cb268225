import type { Source } from '@/lib/dataset/types';
import { SourceLinks } from './SourceLinks';

/** The ISOC sources with what each one is. */
export function QuickLinks({ sources }: { sources: Source[] }) {
  return <SourceLinks sources={sources} showDescription />;
}
