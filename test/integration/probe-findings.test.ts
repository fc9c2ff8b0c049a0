import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/main/bootstrap';
import { isProcessAlive, waitForExit } from '../../src/main/embedded/pid-file';
import { EmbeddedServer } from '../../src/main/embedded/server';
import { encodeCursor } from '../../src/main/lists/cursor';
import { cursorScope } from '../../src/main/lists/keyset';
import { USERS } from '../../src/main/users/queries';
import { userSelection } from '../../src/main/users/selection';
import { userListInputSchema, type SortKey } from '../../src/shared/contract';
import { call, migratedBackend } from '../support/database';

// Each finding from probing the running app (fuzzed requests, a kill -9) has its test here.

let app: App;
beforeAll(async () => {
  ({ backend: app } = await migratedBackend());
  await call(app, 'users.create', { email: 'probe@example.com', name: 'Probe' });
});
afterAll(() => app?.close());

/** A cursor as the server would sign one for this sort (no search or filters), carrying any value: what a forger could make. */
const cursor = (parts: unknown[]) => {
  const [sort, direction, , value, id] = parts as [SortKey, 'asc' | 'desc', string, string | number, number];
  const input = userListInputSchema.parse({ sort, direction });
  return encodeCursor(cursorScope(USERS, sort, direction, userSelection(input)), { value, id, inclusive: false });
};

describe('bad input is VALIDATION, never INTERNAL', () => {
  it.each([2_147_483_648, 9_007_199_254_740_991])('users.get with id %d (beyond the column) says which field and why', async (id) => {
    const result = await app.dispatch('users.get', { id });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'id', message: expect.stringContaining('at most 2,147,483,647') },
    });
  });

  it.each([
    ['an id out of range', ['id', 'asc', '', 1, 2_147_483_648]],
    ['a negative id', ['id', 'asc', '', 1, -5]],
    ['February 30th', ['created_at', 'asc', '', '2026-02-30T10:00:00', 1]],
    ['hour 25', ['created_at', 'asc', '', '2026-01-10T25:00:00', 1]],
    ['a number where an email goes', ['email', 'asc', '', 12, 1]],
    ['a NUL in the value', ['name', 'asc', '', 'a\u0000b', 1]],
  ])('a forged cursor with %s', async (_what, parts) => {
    const [sort, direction] = parts as [string, string];
    const result = await app.dispatch('users.list', { sort, direction, after: cursor(parts) });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'after' } });
  });

  it('a valid cursor still pages', async () => {
    const result = await app.dispatch('users.list', {
      sort: 'created_at',
      after: cursor(['created_at', 'asc', '', '2000-02-29T23:59:59.123456', 1]),
    });
    expect(result.ok).toBe(true);
  });

  it('a NUL in the search is refused rather than matching rows that contain "0"', async () => {
    await call(app, 'users.create', { email: 'zero0@example.com', name: 'Has a 0' });
    const result = await app.dispatch('users.list', { search: '\u0000' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'search', message: expect.stringContaining('control characters') },
    });
  });

  it('an internationalised email is accepted', async () => {
    const user = await call<{ email: string }>(app, 'users.create', { email: 'Jörg@Bücher.example', name: 'Jörg' });
    expect(user.email).toBe('jörg@bücher.example');
  });
});

describe('right after a kill -9', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-zombie-'));
  });
  afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

  it('a process that has exited but was not reaped yet (a zombie) is not "already running"', async () => {
    // A parent that never reaps: `sleep 0` exits at once and stays a zombie of the exec'd sleep.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 60']);
    try {
      const lines = readline.createInterface({ input: parent.stdout })[Symbol.asyncIterator]();
      const first = await lines.next();
      const zombie = Number(first.value as string);
      await expect.poll(async () => (await fs.readFile(`/proc/${zombie}/stat`, 'utf8')).split(') ')[1]?.[0]).toBe('Z');
      // The holder recorded in the data directory is that exited process.
      await fs.writeFile(path.join(dataDir, 'simple-db.pid'), `${zombie}\n`);
      const server = await EmbeddedServer.start({ dataDir, log: () => {} });
      await server.stop();
      // The lock itself is a socket the kernel releases; the pid checks that remain (waiting for
      // an old server to exit, a stale postmaster.pid) must not take a zombie for a live process.
      expect(isProcessAlive(zombie)).toBe(false);
      expect(await waitForExit(zombie, 1000)).toBe(true);
      expect(isProcessAlive(parent.pid!)).toBe(true);
    } finally {
      parent.kill();
    }
  });
});
