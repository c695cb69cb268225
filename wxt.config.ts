import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { defaultMatchPatterns } from './lib/scope/domains';

// Firefox keeps MV2 (WXT's default): host permissions of declared content scripts
// are granted at install there, as in Chrome MV3.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: 'Governance Lens',
    description:
      'Recognises Internet-governance terms on UN, IGF, ITU, ICANN and UNCTAD pages and shows what the Internet Society recommends. Works offline; sends nothing.',
    permissions: ['storage', 'activeTab', 'scripting', ...(browser === 'firefox' ? [] : ['sidePanel'])],
    optional_host_permissions: browser === 'firefox' ? undefined : ['*://*/*'],
    optional_permissions: browser === 'firefox' ? ['*://*/*'] : undefined,
    host_permissions: browser === 'firefox' ? undefined : defaultMatchPatterns(),
    content_security_policy:
      browser === 'firefox'
        ? "script-src 'self'; object-src 'none'; connect-src 'none'"
        : { extension_pages: "script-src 'self'; object-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'" },
    browser_specific_settings:
      browser === 'firefox'
        ? { gecko: { id: 'governance-lens@example.org', strict_min_version: '128.0' } }
        : undefined,
    commands: {
      'next-term': { suggested_key: { default: 'Alt+Shift+J' }, description: 'Go to the next highlighted term' },
      'previous-term': { suggested_key: { default: 'Alt+Shift+K' }, description: 'Go to the previous highlighted term' },
    },
  }),
});
