import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import type { ElectronRuntime } from '../../scripts/lib/electron-runtime.mjs';
import { repoRoot } from '../support/simple-db-process';

/**
 * The runtime `npm start` would use, and (as `npm start` checks too) a display to show it on.
 * Imported at run time: Playwright's CommonJS transform would break a static import of an .mjs.
 */
async function smokeTestRuntime(): Promise<ElectronRuntime> {
  const { findDisplayProblem, findElectronRuntime } = await import('../../scripts/lib/electron-runtime.mjs');
  const found = findElectronRuntime();
  if (!found.ok) return found;
  const displayProblem = findDisplayProblem();
  return displayProblem ? { ok: false, reason: `${displayProblem}; try xvfb-run` } : found;
}

test.describe('desktop app (Electron)', () => {
  test.setTimeout(180_000);

  let binary = '';
  test.beforeAll(async () => {
    const runtime = await smokeTestRuntime();
    if (runtime.ok) {
      binary = runtime.binary;
      return;
    }
    const skipReason = `Electron smoke test skipped: ${runtime.reason}.`;
    // Say why in the run's output, not only in the report's annotations.
    console.log(skipReason);
    test.skip(true, skipReason);
  });

  let dataDir = '';
  test.beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simple-db-electron-'));
  });
  test.afterEach(() => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('opens a sandboxed window on the users screen and stops cleanly', async () => {
    expect(fs.existsSync(path.join(repoRoot, 'out', 'main', 'index.js')), 'build first: npx electron-vite build').toBe(true);

    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
    env.SIMPLE_DB_DATA_DIR = dataDir;
    delete env.DATABASE_URL;
    delete env.ELECTRON_RUN_AS_NODE;

    const isRoot = process.getuid?.() === 0;
    const app = await electron.launch({
      executablePath: binary,
      args: [...(isRoot ? ['--no-sandbox'] : []), repoRoot],
      cwd: repoRoot,
      env,
      timeout: 120_000,
    });
    const exited = new Promise<number | null>((resolve) => app.process().once('exit', (code) => resolve(code)));
    try {
      // The window appears once the embedded PostgreSQL is up (the first start initialises it).
      const window = await app.firstWindow({ timeout: 120_000 });
      await expect(window).toHaveTitle(/Simple DB$/);
      await expect(window.getByRole('heading', { name: 'Users', exact: true })).toBeVisible({ timeout: 60_000 });
      await expect(window.getByRole('table', { name: 'Users' })).toBeVisible();
      await expect(window.getByRole('contentinfo', { name: 'Database status' })).toContainText('Schema up to date');

      const globals = await window.evaluate(() => {
        const scope = globalThis as Record<string, unknown>;
        return { api: typeof scope.api, require: typeof scope.require, process: typeof scope.process };
      });
      expect(globals).toEqual({ api: 'object', require: 'undefined', process: 'undefined' });
      // Served from our privileged scheme with the one CSP, and no permission is granted even silently.
      expect(window.url()).toMatch(/^app:\/\/simple-db\//);
      const permission = await window.evaluate(async () => {
        type Permissions = { query(descriptor: { name: string }): Promise<{ state: string }> };
        const { navigator } = globalThis as unknown as { navigator: { permissions: Permissions } };
        return (await navigator.permissions.query({ name: 'notifications' })).state;
      });
      expect(permission).toBe('denied');
    } finally {
      await app.close();
    }

    expect(await exited).toBe(0);
    // The embedded PostgreSQL stopped with the app and released the data directory.
    expect(fs.existsSync(path.join(dataDir, 'simple-db.pid'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'postgresql-15', 'postmaster.pid'))).toBe(false);
  });
});
