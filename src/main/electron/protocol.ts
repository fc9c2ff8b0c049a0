import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { APP_SCHEME } from './app-origin';
import { resolveAppRequest } from './app-request';

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
    const answer = await resolveAppRequest(root, request.url);
    if (answer.status === 404) return new Response('Not found', answer);
    const file = await net.fetch(pathToFileURL(answer.file).href);
    return new Response(file.body, answer);
  });
}
