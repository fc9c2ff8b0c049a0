import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAppRequest } from '../../src/main/electron/app-request';
import { denyAllPermissions, lockNavigation, WINDOW_START_URL, windowWebPreferences } from '../../src/main/electron/hardening';
import { SECURITY_HEADERS } from '../../src/main/security/content-policy';

// The Electron runtime cannot be downloaded here: these rules are plain functions over the slices
// of Electron's objects they touch, and window.ts only hands them the real objects.

describe('the desktop window', () => {
  it('keeps the page isolated: no Node.js, its own world, Chromium sandbox, no webviews', () => {
    expect(windowWebPreferences('/app/preload/index.js')).toMatchObject({
      preload: '/app/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    });
  });

  it('loads its page from the privileged app:// scheme, never file://', () => {
    expect(WINDOW_START_URL).toBe('app://simple-db/index.html');
  });

  it('denies every permission, both when the page asks and when it only checks', () => {
    let requestHandler!: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    let checkHandler!: (contents: unknown, permission: string) => boolean;
    denyAllPermissions({
      setPermissionRequestHandler: (handler) => (requestHandler = handler),
      setPermissionCheckHandler: (handler) => (checkHandler = handler),
    });
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal']) {
      expect(checkHandler(null, permission), permission).toBe(false);
      const answers: boolean[] = [];
      requestHandler(null, permission, (granted) => answers.push(granted));
      expect(answers, permission).toEqual([false]);
    }
  });

  it('never navigates, opens windows or attaches webviews; a link goes to the system browser', () => {
    const listeners = new Map<string, (event: { preventDefault(): void }) => void>();
    let openHandler!: (details: { url: string }) => { action: 'deny' };
    const opened: string[] = [];
    lockNavigation(
      {
        on: (event, listener) => listeners.set(event, listener),
        setWindowOpenHandler: (handler) => (openHandler = handler),
      },
      (url) => opened.push(url),
    );
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      listeners.get(event)!({ preventDefault: () => (prevented = true) });
      expect(prevented, event).toBe(true);
    }
    expect(openHandler({ url: 'https://www.postgresql.org/docs/' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://www.postgresql.org/docs/']);
  });
});

describe('app://simple-db/ requests', () => {
  let root: string;
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-renderer-'));
    await fs.writeFile(path.join(root, 'index.html'), '<!doctype html><title>Simple DB</title>');
    await fs.mkdir(path.join(root, 'assets'));
    await fs.writeFile(path.join(root, 'assets', 'main.js'), 'export {};');
  });
  afterAll(() => fs.rm(root, { recursive: true, force: true }));

  it('serve the built page with the one CSP and the security headers browser mode sends too', async () => {
    const page = await resolveAppRequest(root, 'app://simple-db/index.html');
    expect(page).toMatchObject({ status: 200, file: path.join(root, 'index.html') });
    expect(page.headers).toMatchObject({ ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
    expect(page.headers['Content-Security-Policy']).toContain("script-src 'self'");
    expect(await resolveAppRequest(root, 'app://simple-db/assets/main.js')).toMatchObject({
      status: 200,
      file: path.join(root, 'assets', 'main.js'),
    });
  });

  it('answer 404 for anything outside the renderer folder or under another host', async () => {
    for (const url of [
      'app://simple-db/../../etc/passwd',
      'app://simple-db/%2e%2e/%2e%2e/etc/passwd',
      'app://simple-db/..%2F..%2Fetc%2Fpasswd',
      'app://simple-db/missing.js',
      'app://other-host/index.html',
      'app://simple-db/index.html%00.js',
      'not a url',
    ]) {
      const answer = await resolveAppRequest(root, url);
      expect(answer.status, url).toBe(404);
      expect(answer.headers['Content-Security-Policy'], url).toBe(SECURITY_HEADERS['Content-Security-Policy']);
    }
  });
});
