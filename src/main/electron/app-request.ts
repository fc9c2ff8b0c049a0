import { SECURITY_HEADERS } from '../security/content-policy';
import { findStaticFile } from '../security/static-files';
import { APP_HOST, APP_SCHEME } from './app-origin';

export type AppResponse = { status: 404; headers: Record<string, string> } | { status: 200; headers: Record<string, string>; file: string };

/**
 * What `app://simple-db/<path>` answers: a file of the built renderer with the one CSP and the
 * security headers, or 404 for anything else (another host under our scheme, a path that
 * climbs out of the folder, a file that is not there).
 */
export async function resolveAppRequest(rendererRoot: string, requestUrl: string): Promise<AppResponse> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 404, headers: { ...SECURITY_HEADERS } };
  }
  // Not `url.origin`: to Node's URL a scheme of our own has an opaque origin ("null").
  const ours = url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  const found = ours ? await findStaticFile(rendererRoot, url.pathname) : null;
  if (!found) return { status: 404, headers: { ...SECURITY_HEADERS } };
  return { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': found.type }, file: found.file };
}
