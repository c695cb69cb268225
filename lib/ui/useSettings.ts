import { useCallback, useEffect, useState } from 'preact/hooks';
import {
  defaultSettings,
  describeNotice,
  readSettings,
  saveSettings,
  settingsNoticeItem,
  watchSettings,
  type Settings,
  type SettingsNotice,
} from '@/lib/settings';

export interface SettingsState {
  settings: Settings;
  loaded: boolean;
  /** A sentence to show visibly when stored settings were repaired or storage failed. */
  notice?: string;
  dismissNotice: () => void;
  save: (change: Partial<Settings> | ((s: Settings) => Settings)) => Promise<string | undefined>;
}

/** Live, validated settings for extension pages; applies the theme to <html data-theme>. */
export function useSettings(): SettingsState {
  const [settings, setSettings] = useState<Settings>(defaultSettings);
  const [loaded, setLoaded] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();

  useEffect(() => {
    let alive = true;
    void (async () => {
      const r = await readSettings();
      if (!alive) return;
      setSettings(r.settings);
      setLoaded(true);
      if (!r.storageOk) {
        setNotice(describeNotice({ keys: [], cause: 'unavailable' }));
        return;
      }
      try {
        const n: SettingsNotice | null = await settingsNoticeItem.getValue();
        if (alive && n && Array.isArray(n.keys)) setNotice(describeNotice(n));
      } catch {
        // no notice available
      }
    })();
    let unwatch = () => {};
    try {
      unwatch = watchSettings((s) => alive && setSettings(s));
    } catch {
      // storage unavailable: no live updates
    }
    return () => {
      alive = false;
      unwatch();
    };
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = settings.theme;
  }, [settings.theme]);

  const dismissNotice = useCallback(() => {
    setNotice(undefined);
    void settingsNoticeItem.setValue(null).catch(() => undefined);
  }, []);

  const save = useCallback(async (change: Partial<Settings> | ((s: Settings) => Settings)) => {
    try {
      setSettings(await saveSettings(change));
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }, []);

  return { settings, loaded, notice, dismissNotice, save };
}
