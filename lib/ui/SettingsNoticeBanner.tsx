/** Visible notice when stored settings were invalid (and reset) or storage failed. */
export function SettingsNoticeBanner({ notice, onDismiss }: { notice?: string; onDismiss: () => void }) {
  if (!notice) return null;
  return (
    <div class="gl-notice" role="status">
      <p>{notice}</p>
      <button type="button" class="gl-button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
