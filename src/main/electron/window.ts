import path from 'node:path';
import { BrowserWindow, session, shell } from 'electron';
import { RENDERER_URL } from './app-origin';
import { isSafeExternalUrl } from './external-url';

/** Links leave the app only through here, and only as http(s). */
export function safeOpenExternal(url: string): void {
  if (isSafeExternalUrl(url)) void shell.openExternal(url);
}

export function rendererDir(): string {
  return path.join(__dirname, '../renderer');
}

/** No permission (camera, notifications, geolocation, clipboard reads…) is ever needed: deny asking and checking. */
function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export function createMainWindow(): BrowserWindow {
  denyAllPermissions();
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Simple DB',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());

  // The page never navigates and never opens windows; links go to the system browser.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-redirect', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    safeOpenExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());

  void window.loadURL(RENDERER_URL);
  return window;
}
