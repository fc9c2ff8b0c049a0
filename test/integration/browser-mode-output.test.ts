import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, serverConnection } from '../support/database';
import { repoRoot, serverEntry } from '../support/simple-db-process';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

/** Starts browser mode and collects what it prints up to its last start-up line, then stops it. */
async function startupLines(env: NodeJS.ProcessEnv): Promise<string[]> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-output-'));
  dirs.push(dataDir);
  const child = spawn(process.execPath, [serverEntry], {
    cwd: repoRoot,
    env: { ...process.env, SIMPLE_DB_DATA_DIR: dataDir, SIMPLE_DB_PORT: '0', ...env },
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (lines.at(-1)?.startsWith('Press Ctrl+C')) return; // what it says while stopping
      lines.push(line);
      if (line.startsWith('Press Ctrl+C')) resolve();
    });
    void exit.then((code) => reject(new Error(`browser mode exited (${code}) early: ${lines.join('\n')}`)));
  });
  child.kill('SIGINT');
  expect(await exit).toBe(0);
  return lines;
}

describe('browser mode start-up output', () => {
  it('on DATABASE_URL names that database and never mentions an embedded server', async () => {
    const { name } = await createTestDatabase();
    const { host, port, user, password } = serverConnection();
    const lines = await startupLines({ DATABASE_URL: `postgresql://${user}:${encodeURIComponent(password)}@${host}:${port}/${name}` });
    expect(lines[0]).toBe(`Database: ${host}:${port}/${name} as ${user} (from DATABASE_URL).`);
    expect(lines[1]).toMatch(/^Simple DB is running at http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(lines.at(-1)).toBe('Press Ctrl+C to stop it.');
    expect(lines.join('\n')).not.toMatch(/embedded/i);
    expect(lines.join('\n')).not.toContain(password);
  });

  it('says it opened the default browser only when it did (here there is none to open)', async () => {
    const { name } = await createTestDatabase();
    const { host, port, user, password } = serverConnection();
    const lines = await startupLines({
      DATABASE_URL: `postgresql://${user}:${encodeURIComponent(password)}@${host}:${port}/${name}`,
      SIMPLE_DB_OPEN_BROWSER: '1',
      DISPLAY: '',
      WAYLAND_DISPLAY: '',
    });
    expect(lines.some((line) => line.startsWith('Simple DB is running at'))).toBe(true);
    expect(lines.join('\n')).not.toContain('default browser');
  });
});
