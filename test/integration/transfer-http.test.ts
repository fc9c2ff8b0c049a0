import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import { parseDatabaseUrl } from '../../src/main/db/target';
import { appEventSource } from '../../src/main/events/source';
import { startBrowserModeServer, type BrowserModeServer } from '../../src/main/http/server';
import { transferUploads } from '../../src/main/transfer/uploads';
import type { ChosenFile, ExportResult, ImportReport, Job } from '../../src/shared/contract';
import { CONNECTION_HEADER } from '../../src/shared/ipc';
import { tempDataDir } from '../support/backups';
import { insertUsers, migratedBackend, rawClient } from '../support/database';
import { rawRequest, type RawReply, type RawRequest } from '../support/http';

/** Browser mode's CSV export and import end to end over real HTTP: /api, POST /upload and the one-time downloads. */

let backend: Backend;
let server: BrowserModeServer;
let client: pg.Client;
let dataDir: string;
let url: string;
const READ_ONLY = 'read-only';

beforeAll(async () => {
  dataDir = await tempDataDir('simple-db-transfer-http-');
  const setup = await migratedBackend({ dataDir });
  backend = setup.backend;
  url = setup.url;
  client = await rawClient(setup.database);
  const { services } = backend;
  server = await startBrowserModeServer({
    dispatch: backend.dispatch,
    events: appEventSource(services.bus, services.jobs, services.connections),
    staticDir: dataDir,
    download: (ticket) => services.downloads.take(ticket),
    uploads: transferUploads(services.transfer),
  });
  // The same database through sessions that start read-only, as a read-only profile opens it.
  services.connections.open(READ_ONLY, { ...parseDatabaseUrl(url), readOnly: true });
});
afterAll(async () => {
  await server?.close();
  await client?.end();
  await backend?.close();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  // Each test starts with no uploads (a test may leave one unused on purpose).
  await backend.services.transfer.handles.close();
  await client.query('TRUNCATE users RESTART IDENTITY CASCADE');
  await insertUsers(client, [
    ['ann@example.com', 'Ann', '2026-01-01 10:00:00'],
    ['bob@example.com', 'Bob, "the" builder', '2026-01-02 11:00:00.5'],
    ['joanna@example.org', 'Joanna', '2026-01-03 12:00:00'],
    ['zed@example.com', 'Zed', '2026-01-04 13:00:00'],
  ]);
});

/** Raw HTTP, so a test can send what a browser would not (a wrong token, a size that is not there). */
const request = (options: RawRequest) => rawRequest(server.port, options);

const auth = (extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${server.token}`, ...extra });

type Envelope<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; field?: string } };

async function api<T>(procedure: string, input: unknown, connectionId?: string): Promise<{ status: number; reply: Envelope<T> }> {
  const reply = await request({
    path: `/api/${procedure}`,
    headers: auth({ 'Content-Type': 'application/json', ...(connectionId ? { [CONNECTION_HEADER]: connectionId } : {}) }),
    body: JSON.stringify(input),
  });
  return { status: reply.status, reply: JSON.parse(reply.body) as Envelope<T> };
}

async function ok<T>(procedure: string, input: unknown): Promise<T> {
  const { reply } = await api<T>(procedure, input);
  if (!reply.ok) throw new Error(`${procedure}: ${reply.error.code}: ${reply.error.message}`);
  return reply.data;
}

/** Starts a job over HTTP and waits for its end (the registry's own promise, no polling). */
async function runJob(procedure: string, input: unknown): Promise<Job> {
  const { jobId } = await ok<{ jobId: string }>(procedure, input);
  return backend.services.jobs.finished(jobId);
}

async function upload(name: string, content: string | Buffer, headers = auth()): Promise<{ status: number; reply: Envelope<ChosenFile> }> {
  const body = Buffer.from(content);
  const reply = await request({
    path: `/upload?name=${encodeURIComponent(name)}`,
    headers: { ...headers, 'Content-Type': 'text/csv', 'Content-Length': String(body.length) },
    body,
  });
  return { status: reply.status, reply: JSON.parse(reply.body) as Envelope<ChosenFile> };
}

async function uploaded(name: string, content: string): Promise<ChosenFile> {
  const { reply } = await upload(name, content);
  if (!reply.ok) throw new Error(`upload: ${reply.error.message}`);
  return reply.data;
}

/** Follows a one-time download address. */
const download = (address: string) => request({ method: 'GET', path: address });

const uploadsDir = () => backend.services.transfer.uploadsDir;
const uploadsLeft = async () => (await fs.readdir(uploadsDir()).catch(() => [] as string[])).length;
const emails = async () => (await client.query<{ email: string }>('SELECT email FROM users ORDER BY id')).rows.map((row) => row.email);

describe('export in browser mode', () => {
  it('writes the search in the list order into the exports folder, and downloads it once as CSV', async () => {
    const job = await runJob('users.export', { search: 'ann', sort: 'email', direction: 'desc' });
    expect(job.state).toBe('succeeded');
    const result = job.result as ExportResult;
    expect(result).toMatchObject({ rows: 2, fileName: expect.stringMatching(/^users-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(-\d+)?\.csv$/) });
    expect(job.title).toBe('Export users matching “ann”');
    expect(job.summary).toMatch(new RegExp(`^Exported 2 users to ${result.fileName.replace(/\./g, '\\.')} \\(`));
    expect(job.progress).toMatchObject({ unit: 'rows', done: 2 });
    const file = path.join(dataDir, 'exports', result.fileName);
    expect((await fs.stat(file)).size).toBe(result.bytes);

    const { url: address } = await ok<{ url: string }>('transfer.download', { jobId: job.id, file: 'export' });
    const first = await download(address);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(first.headers['content-disposition']).toBe(`attachment; filename="${result.fileName}"`);
    expect(first.body).toBe('id,email,name,created_at\n3,joanna@example.org,Joanna,2026-01-03 12:00:00\n1,ann@example.com,Ann,2026-01-01 10:00:00\n');
    expect((await download(address)).status).toBe(404);
  });

  it('refuses a malformed search before any job, and an export of no job’s file', async () => {
    const { status, reply } = await api('users.export', { search: 'not-a-number', match: 'id' });
    expect(status).toBe(400);
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'search' } });
    const unknown = await api('transfer.download', { jobId: 'no-such-job', file: 'export' });
    expect(unknown.reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'jobId' } });
  });

  it('an unknown destination handle is VALIDATION on destination; the dialogs and reveal say they are the desktop’s', async () => {
    const { reply } = await api('users.export', { destination: 'A'.repeat(32) });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'destination', message: expect.stringContaining('Choose where to save') },
    });
    const save = await api('transfer.chooseDestination', { suggestedName: 'users.csv' });
    expect(save.reply).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('works in the desktop app; in the browser') },
    });
    const open = await api('transfer.chooseSource', {});
    expect(open.reply).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('works in the desktop app; in the browser') },
    });
    const job = await runJob('users.export', {});
    const reveal = await api('transfer.reveal', { jobId: job.id, file: 'export' });
    expect(reveal.reply).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('desktop app') } });
  });
});

describe('import in browser mode', () => {
  it('uploads a CSV (0600, under the uploads folder), imports it by handle, and uses the upload up', async () => {
    const content = 'email,name\nnew@example.com,New\nother@example.com,Other\n';
    const chosen = await uploaded('new users.csv', content);
    expect(chosen).toMatchObject({
      name: 'new users.csv',
      size: Buffer.byteLength(content),
      handle: expect.stringMatching(/^[A-Za-z0-9_-]{16,64}$/),
    });
    const [stored] = await fs.readdir(uploadsDir());
    expect(((await fs.stat(path.join(uploadsDir(), stored!))).mode & 0o777).toString(8)).toBe('600');

    const job = await runJob('users.import', { source: chosen.handle });
    expect(job.state).toBe('succeeded');
    expect(job.title).toBe('Import users from new users.csv');
    expect(job.summary).toBe('Imported 2 users.');
    expect(job.result as ImportReport).toMatchObject({ rows: 2, inserted: 2, rejected: false, problemCount: 0, problems: [] });
    expect(await emails()).toEqual([
      'ann@example.com',
      'bob@example.com',
      'joanna@example.org',
      'zed@example.com',
      'new@example.com',
      'other@example.com',
    ]);
    // No bad lines: no report to download.
    const report = await api('transfer.download', { jobId: job.id, file: 'report' });
    expect(report.reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Used up: the copy is gone and the handle with it.
    expect(await uploadsLeft()).toBe(0);
    const again = await api('users.import', { source: chosen.handle });
    expect(again.status).toBe(400);
    expect(again.reply).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'source', message: expect.stringContaining('Choose the file again') },
    });
  });

  it('bad lines: rejected with a downloadable report, then the same upload again in skip mode', async () => {
    const content = ['email,name', 'not-an-email,Ann', 'good@example.com,Good', 'ann@example.com,"Again, with ""quotes"""', 'c@example.com,'].join(
      '\n',
    );
    const chosen = await uploaded('mixed.csv', content);
    const rejected = await runJob('users.import', { source: chosen.handle });
    expect(rejected.state).toBe('succeeded');
    expect(rejected.summary).toBe('Nothing was imported: 3 bad lines (reject mode writes nothing when a line is bad).');
    expect(rejected.result as ImportReport).toMatchObject({ rejected: true, inserted: 0, problemCount: 3 });
    expect(await emails()).toHaveLength(4);

    const { url: address } = await ok<{ url: string }>('transfer.download', { jobId: rejected.id, file: 'report' });
    const report = await download(address);
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(report.headers['content-disposition']).toMatch(/filename="users-import-problems-.+\.csv"/);
    const lines = report.body.split('\r\n');
    expect(lines[0]).toBe('line,column,value,reason');
    expect(lines[1]).toBe('2,email,not-an-email,Email must look like name@example.com');
    expect(lines[2]).toMatch(/^4,email,ann@example.com,Already in the table as user #1\.$/);
    expect(lines[3]).toBe('5,name,,Name is required');
    expect(lines.at(-1)).toBe('');

    // A rejected import leaves the upload usable: the admin chooses skip and goes again.
    const skipped = await runJob('users.import', { source: chosen.handle, mode: 'skip' });
    expect(skipped.summary).toBe('Imported 1 user; 3 bad lines skipped.');
    expect(await emails()).toContain('good@example.com');
    expect(await uploadsLeft()).toBe(0);
  });

  it('an unknown handle is VALIDATION on source, before any job', async () => {
    const { status, reply } = await api('users.import', { source: 'B'.repeat(32) });
    expect(status).toBe(400);
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'source' } });
    // Handles are not paths: anything else is refused by the contract.
    const path = await api('users.import', { source: '../../etc/passwd' });
    expect(path.reply).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'source' } });
  });

  it('a read-only connection refuses an import before it starts, and changes nothing', async () => {
    const chosen = await uploaded('ro.csv', 'email,name\nro@example.com,Read only\n');
    const { status, reply } = await api('users.import', { source: chosen.handle }, READ_ONLY);
    expect(status).toBe(403);
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION', message: expect.stringContaining('is a read-only connection: exports work, imports do not') },
    });
    expect(await emails()).not.toContain('ro@example.com');
    // Exports still work there.
    const { jobId } = await (async () => {
      const started = await api<{ jobId: string }>('users.export', {}, READ_ONLY);
      if (!started.reply.ok) throw new Error(started.reply.error.message);
      return started.reply.data;
    })();
    expect((await backend.services.jobs.finished(jobId)).result).toMatchObject({ rows: 4 });
  });
});

describe('products in browser mode', () => {
  it('exports the owner filter with owners as id and email, and imports them back by email', async () => {
    await client.query("INSERT INTO products (name, owner_id) VALUES ('Lamp', 1), ('Desk', 2), ('Chair', 1), ('Loose', NULL)");
    const job = await runJob('products.export', { owner: { kind: 'user', userId: 1 }, sort: 'name' });
    expect(job.state).toBe('succeeded');
    expect(job.title).toBe('Export products owned by user #1');
    expect(job.summary).toMatch(/^Exported 2 products to products-.+\.csv/);
    const { url: address } = await ok<{ url: string }>('transfer.download', { jobId: job.id, file: 'export' });
    const exported = await download(address);
    expect(exported.body).toBe('id,name,owner_id,owner_email\n3,Chair,1,ann@example.com\n1,Lamp,1,ann@example.com\n');

    await client.query('DELETE FROM products');
    const chosen = await uploaded('products.csv', exported.body);
    const imported = await runJob('products.import', { source: chosen.handle });
    expect(imported.summary).toBe('Imported 2 products.');
    const rows = await client.query<{ name: string; owner_id: number }>('SELECT name, owner_id FROM products ORDER BY name');
    expect(rows.rows).toEqual([
      { name: 'Chair', owner_id: 1 },
      { name: 'Lamp', owner_id: 1 },
    ]);
  });
});

describe('POST /upload', () => {
  it('refuses a wrong token, an empty file, a missing name and a file larger than the free space, writing nothing', async () => {
    const wrong = await upload('x.csv', 'email,name\n', { Authorization: 'Bearer wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.reply).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const foreign = await upload('x.csv', 'email,name\n', auth({ Origin: 'https://evil.example' }));
    expect(foreign.status).toBe(403);

    const empty = await upload('empty.csv', '');
    expect(empty.status).toBe(400);
    expect(empty.reply).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'file', message: expect.stringContaining('empty.csv is empty') },
    });

    const nameless = await request({ path: '/upload', headers: auth({ 'Content-Length': '3' }), body: 'a,b' });
    expect(nameless.status).toBe(400);
    expect(JSON.parse(nameless.body)).toMatchObject({ ok: false, error: { field: 'name' } });

    // A size no disk has: refused from the headers alone, before a byte of the body is read.
    const huge = await new Promise<Omit<RawReply, 'json'>>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/upload?name=huge.csv',
          headers: { Host: `127.0.0.1:${server.port}`, ...auth(), 'Content-Length': String(2 ** 52) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
            req.destroy();
          });
        },
      );
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(huge.status).toBe(507);
    expect(JSON.parse(huge.body)).toMatchObject({
      ok: false,
      error: {
        code: 'STORAGE',
        message: expect.stringMatching(/^huge\.csv is 4,096\.0 TB, but the disk that holds Simple DB's data has only .+ free\./),
      },
    });
    expect(await uploadsLeft()).toBe(0);
  });

  it('removes the partial file when the upload breaks off', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/upload?name=broken.csv',
        headers: { Host: `127.0.0.1:${server.port}`, ...auth(), 'Content-Length': String(10 * 1024 * 1024) },
      });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(1024 * 1024, 'a'), (error) => {
        if (error) return reject(error);
        // The server has part of it on disk; then the browser tab goes away.
        void vi
          .waitFor(async () => expect(await uploadsLeft()).toBe(1), { timeout: 15_000 })
          .then(() => req.destroy())
          .catch(reject);
      });
      req.on('close', () => resolve());
    });
    await vi.waitFor(async () => expect(await uploadsLeft()).toBe(0), { timeout: 15_000 });
  });
});
