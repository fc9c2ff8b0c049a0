import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { findElectronRuntime } from '../../scripts/lib/electron-runtime.mjs';
import { processesMentioning } from '../support/processes';
import { repoRoot } from '../support/simple-db-process';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('in browser mode prints one line with the reason and one with the address, and Ctrl+C stops it', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-start-'));
    dirs.push(dataDir);
    const env: NodeJS.ProcessEnv = { ...process.env, SIMPLE_DB_DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    // --no-open: a test has no default browser to open.
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'start.mjs'), '--browser', '--no-open'], { cwd: repoRoot, env });
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line);
        if (line.startsWith('Simple DB is running at')) resolve();
      });
      void exit.then((code) => reject(new Error(`npm start exited (${code}) early: ${lines.join('\n')}`)));
    });
    const shown = lines.filter((line) => line !== 'Building Simple DB…');
    expect(shown[0]).toBe('Opening Simple DB in your browser because you asked for browser mode (--browser).');
    // It names the database it uses, then prints the address.
    expect(shown[1]).toMatch(/^Database: the embedded PostgreSQL 15\.[\d.]+ \(data in /);
    expect(shown[1]).toContain(`(data in ${dataDir}).`);
    expect(shown[2]).toMatch(/^Simple DB is running at http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(await processesMentioning(dataDir)).toEqual([]);
  });

  it('refuses an unknown option, saying how to call it', () => {
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'start.mjs'), '--desktop'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Unknown option --desktop. Usage: npm start [-- [--browser] [--no-open] [--disable-chromium-sandbox]]');
  });
});

describe('npm install (our postinstall)', () => {
  it('turns a failed Electron download into one notice and a successful install', () => {
    // A download server that refuses at once, the same on every machine (offline or not).
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'install-electron-runtime.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: os.tmpdir() + '/simple-db-no-electron-cache' },
    });
    expect(result.status).toBe(0);
    if (findElectronRuntime().ok) {
      expect(result.stdout).not.toContain('not downloaded');
    } else {
      expect(result.stdout.trim().split('\n').at(-1)).toBe(
        'Electron runtime not downloaded: no internet connection to the download server; `npm start` will open Simple DB in your browser instead.',
      );
    }
  });
});
