import path from 'node:path';
import { BrowserWindow, session, shell } from 'electron';
import { isSafeExternalUrl } from './external-url';
import { denyAllPermissions, lockNavigation, WINDOW_START_URL, windowWebPreferences } from './hardening';

/** Links leave the app only through here, and only as http(s). */
export function safeOpenExternal(url: string): void {
  if (isSafeExternalUrl(url)) void shell.openExternal(url);
}

export function rendererDir(): string {
  return path.join(__dirname, '../renderer');
}

export function createMainWindow(): BrowserWindow {
  denyAllPermissions(session.defaultSession);
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Simple DB',
    show: false,
    webPreferences: windowWebPreferences(path.join(__dirname, '../preload/index.js')),
  });
  window.once('ready-to-show', () => window.show());
  lockNavigation(window.webContents, safeOpenExternal);
  void window.loadURL(WINDOW_START_URL);
  return window;
}
