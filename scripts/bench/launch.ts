import http from 'node:http';
import type { BrowserContext } from 'playwright-core';
import { SCOPE_HOST, launchChromium as launchShared } from '../lib/browsers';

/** Host inside the default scope; mapped to 127.0.0.1 so the content script runs by itself. */
export { SCOPE_HOST };

export interface Route {
  body: string | Buffer;
  type?: string;
  headers?: Record<string, string>;
}

export interface BenchServer {
  port: number;
  set(path: string, route: Route): void;
  close(): Promise<void>;
}

/** A loopback HTTP server serving in-memory routes (pages are generated, never read from the network). */
export async function startServer(): Promise<BenchServer> {
  const routes = new Map<string, Route>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const r = routes.get(path);
    if (!r) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': r.type ?? 'text/html; charset=utf-8', 'cache-control': 'no-store', ...r.headers });
    res.end(r.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    set: (p, r) => routes.set(p, r),
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export interface ChromiumWithExtension {
  context: BrowserContext;
  extensionId: string;
  close(): Promise<void>;
}

/**
 * Headless Chromium with the built extension (scripts/lib/browsers.ts). Only the scope host resolves
 * (to loopback) and every other name fails at once, so offline pages do not wait on DNS.
 */
export async function launchChromium(extensionDir: string): Promise<ChromiumWithExtension> {
  const s = await launchShared({
    extensionDir,
    args: [`--host-resolver-rules=MAP ${SCOPE_HOST} 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost`],
  });
  return { context: s.context, extensionId: s.extensionId, close: s.close };
}
