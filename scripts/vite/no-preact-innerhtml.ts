import type { Plugin } from 'vite';

/**
 * Removes Preact's `dangerouslySetInnerHTML` branch from the bundle. We never use it (eslint bans it),
 * and `web-ext lint` rightly flags any innerHTML assignment in extension code, so the dead branch
 * becomes a no-op and clearing uses textContent. The build fails if Preact's code changes shape.
 */
export function noPreactInnerHtml(): Plugin {
  return {
    name: 'glens:no-preact-innerhtml',
    enforce: 'pre',
    transform(code, id) {
      if (!/preact[\\/]dist[\\/]preact\.module\.js$/.test(id.split('?')[0])) return null;
      let hits = 0;
      const out = code
        .replace(/(\w+)\.innerHTML=(\w+)\.__html/g, () => (hits++, 'void 0'))
        .replace(/(\w+)\.innerHTML=""/g, (_m, el: string) => (hits++, `${el}.textContent=""`));
      if (hits === 0 || /\.innerHTML=/.test(out)) {
        throw new Error('glens:no-preact-innerhtml: Preact changed; update scripts/vite/no-preact-innerhtml.ts');
      }
      return { code: out, map: null };
    },
  };
}
