import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { CONTENT_SCRIPT_FILE, defaultMatchPatterns, SHEET_SCRIPT_FILE } from './lib/scope/domains';
import { glensDataset } from './lib/dataset/vite-plugin';
import { noPreactInnerHtml } from './scripts/vite/no-preact-innerhtml';

// Firefox keeps MV2 (WXT's default): host permissions of declared content scripts
// are granted at install there, as in Chrome MV3.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  hooks: {
    // public/screenshots/ holds the README's pictures: not part of the extension (160 kB saved).
    'build:publicAssets': (_wxt, files) => {
      for (let i = files.length - 1; i >= 0; i--) if (files[i].relativeDest.startsWith('screenshots/')) files.splice(i, 1);
    },
  },
  vite: () => ({
    plugins: [preact(), glensDataset(), noPreactInnerHtml()],
    // ASCII-only bundles: a single non-Latin-1 character (one "–" in one string) makes V8 hold and
    // scan the whole script as two-byte text. Measured on the content script: 16.4 → 10.9 ms to compile
    // (Node, same V8 family). Non-ASCII characters are emitted as escapes instead.
    esbuild: { charset: 'ascii' },
  }),
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
        ? {
            gecko: {
              id: 'governance-lens@example.org',
              // 140: the CSS Custom Highlight API and data_collection_permissions.
              strict_min_version: '140.0',
              // Nothing is collected: the extension makes no network request.
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          }
        : undefined,
    // The content script is an unlisted script (entrypoints/annotate), declared here: see lib/page/lifecycle.ts.
    // The highlight sheet goes in at document_start: adopted later it restyles the whole page (lib/page/early-sheet.ts).
    content_scripts: [
      { matches: defaultMatchPatterns(), js: [SHEET_SCRIPT_FILE], run_at: 'document_start' },
      { matches: defaultMatchPatterns(), js: [CONTENT_SCRIPT_FILE], run_at: 'document_idle' },
    ],
    commands: {
      'next-term': { suggested_key: { default: 'Alt+Shift+J' }, description: 'Go to the next highlighted term' },
      'previous-term': { suggested_key: { default: 'Alt+Shift+K' }, description: 'Go to the previous highlighted term' },
    },
  }),
});
