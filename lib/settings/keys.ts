/** Storage key of the settings and of their version meta (@wxt-dev/storage's `<key>$`). */
export const SETTINGS_STORAGE_KEY = 'settings';
export const SETTINGS_META_KEY = 'settings$';

/** The settings' stored shape version (see lib/settings/schema.ts for the migration from 1). */
export const SETTINGS_VERSION = 2;
