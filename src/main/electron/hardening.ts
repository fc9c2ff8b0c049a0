import { RENDERER_URL } from './app-origin';

/**
 * What the desktop window is allowed to do, as plain data and functions over the slices of
 * Electron's objects they touch, so every rule is tested without the Electron runtime (which
 * cannot be downloaded everywhere we test). `window.ts` applies them to the real objects.
 */

/** The page's isolation: no Node.js, its own JavaScript world, Chromium's sandbox. */
export function windowWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  } as const;
}

/** The page the window loads: our privileged scheme, never file:// (which shares one origin with every local file). */
export const WINDOW_START_URL = RENDERER_URL;

/** The slice of Electron's Session the permission rules use. */
export interface PermissionSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}

/**
 * No permission (camera, notifications, geolocation, clipboard reads…) is ever needed: deny
 * both asking (request) and the silent checks the page's APIs make first (check).
 */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

interface PreventableEvent {
  preventDefault(): void;
}

/** The slice of Electron's WebContents the navigation rules use. */
export interface NavigationContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** The page never navigates, never opens windows, never embeds a webview; links go to the system browser. */
export function lockNavigation(contents: NavigationContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
}
