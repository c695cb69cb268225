import { useState } from 'preact/hooks';
import type { Source } from '@/lib/dataset/types';
import { formatCitation } from './citation';
import { copyText } from './clipboard';

/**
 * "Copy citation" button: copies formatCitation(source, entryTitle) and announces the
 * result in a polite live region. Stable props — the in-page card imports this component.
 */
export function CopyCitation({ source, entryTitle }: { source: Source; entryTitle?: string }) {
  const [status, setStatus] = useState('');
  const onClick = async (ev: Event) => {
    const doc = (ev.currentTarget as Element | null)?.ownerDocument ?? document;
    const ok = await copyText(formatCitation(source, entryTitle), doc);
    setStatus(ok ? 'Citation copied.' : 'Could not copy; select the citation text instead.');
  };
  return (
    <span class="gl-copy-citation">
      <button type="button" class="gl-button" onClick={onClick}>
        Copy citation
      </button>
      <span class="gl-status" role="status" aria-live="polite">
        {status}
      </span>
    </span>
  );
}
