import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { SECURITY_HEADERS } from '../security/content-policy';
import { findStaticFile } from '../security/static-files';
import { APP_ORIGIN, APP_SCHEME } from './app-origin';

/**
 * The page is served from `app://simple-db/` rather than file://: a file: page could read any
 * file the user can, and every file: page shares one origin. Must run before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer under `app://simple-db/`, with the one CSP, and nothing outside that folder. */
export function serveRenderer(rendererDir: string): void {
  const root = path.resolve(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const found = url.origin === APP_ORIGIN ? await findStaticFile(root, url.pathname) : null;
    if (!found) return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
    const response = await net.fetch(pathToFileURL(found.file).href);
    return new Response(response.body, { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': found.type } });
  });
}
