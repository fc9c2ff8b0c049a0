import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import { MAX_BODY_BYTES, startBrowserModeServer, type BrowserModeServer } from '../../src/main/http/server';
import { appEventSource } from '../../src/main/events/source';
import { migratedBackend } from '../support/database';
import { rawRequest, type RawRequest } from '../support/http';

let backend: Backend;
let server: BrowserModeServer;
let staticDir: string;
let workDir: string;

beforeAll(async () => {
  ({ backend } = await migratedBackend());
  // The renderer folder, with a secret file beside it that must never be served.
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-static-'));
  staticDir = path.join(workDir, 'renderer');
  await fs.mkdir(staticDir);
  await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Simple DB</title>');
  await fs.writeFile(path.join(workDir, 'outside-secret.txt'), 'secret');
  server = await startBrowserModeServer({
    dispatch: backend.dispatch,
    events: appEventSource(backend.services.bus, backend.services.jobs, backend.services.connections),
    staticDir,
  });
});
afterAll(async () => {
  await server?.close();
  await backend?.close();
  await fs.rm(workDir, { recursive: true, force: true });
});

/** Raw HTTP, so tests can send what a browser would not (a forged Host, a huge body). */
const request = (options: RawRequest) => rawRequest(server.port, options);

const auth = () => ({ Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' });

describe('browser-mode server', () => {
  it('prints a loopback address with a long random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{43}$`));
  });

  it('answers a call with the token', async () => {
    const reply = await request({ path: '/api/users.create', headers: auth(), body: JSON.stringify({ email: 'web@example.com', name: 'Web' }) });
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({ ok: true, data: { email: 'web@example.com', name: 'Web' } });
  });

  it('maps error codes to statuses with the error envelope', async () => {
    const conflict = await request({ path: '/api/users.create', headers: auth(), body: JSON.stringify({ email: 'web@example.com', name: 'Again' }) });
    expect(conflict.status).toBe(409);
    expect(conflict.json()).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'email' } });
    const invalid = await request({ path: '/api/users.create', headers: auth(), body: JSON.stringify({ email: 'x', name: 'X' }) });
    expect(invalid.status).toBe(400);
    expect(invalid.json()).toEqual({ ok: false, error: { code: 'VALIDATION', field: 'email', message: 'Email must look like name@example.com' } });
    const missing = await request({ path: '/api/users.get', headers: auth(), body: JSON.stringify({ id: 424242 }) });
    expect(missing.status).toBe(404);
  });

  it('401 without the token or with a wrong one', async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { Authorization: 'Bearer wrong' },
      { Authorization: `Basic ${server.token}` },
      { Authorization: `Bearer ${server.token}x` },
    ]) {
      const reply = await request({ path: '/api/users.list', headers, body: '{}' });
      expect(reply.status).toBe(401);
      expect(reply.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
  });

  it('403 for a foreign Host (DNS rebinding) or Origin, even with the token', async () => {
    const badHost = await request({ path: '/api/users.list', headers: { ...auth(), Host: `evil.example:${server.port}` }, body: '{}' });
    expect(badHost.status).toBe(403);
    expect(badHost.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const badPort = await request({ path: '/', method: 'GET', headers: { Host: '127.0.0.1:1' } });
    expect(badPort.status).toBe(403);
    const badOrigin = await request({ path: '/api/users.list', headers: { ...auth(), Origin: 'https://evil.example' }, body: '{}' });
    expect(badOrigin.status).toBe(403);
    const ok = await request({
      path: '/api/users.list',
      headers: { ...auth(), Origin: `http://localhost:${server.port}`, Host: `localhost:${server.port}` },
      body: '{}',
    });
    expect(ok.status).toBe(200);
  });

  it('413 for a body over 1 MiB, declared or streamed', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 10, 'a');
    const declared = await request({ path: '/api/users.list', headers: auth(), body: big });
    expect(declared.status).toBe(413);
    expect(declared.json()).toMatchObject({ error: { code: 'TOO_LARGE' } });
    const chunked = await request({ path: '/api/users.list', headers: { ...auth(), 'Transfer-Encoding': 'chunked' }, body: big });
    expect(chunked.status).toBe(413);
  });

  it('400 for malformed JSON, 404 for an unknown procedure, 405 for GET', async () => {
    const malformed = await request({ path: '/api/users.list', headers: auth(), body: '{"pageSize": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.json()).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'The request body is not valid JSON.' } });
    const unknown = await request({ path: '/api/users.truncate', headers: auth(), body: '{}' });
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND', message: 'There is no procedure named "users.truncate".' } });
    const get = await request({ path: '/api/users.list', method: 'GET', headers: auth() });
    expect(get.status).toBe(405);
  });

  it('serves the page with a strict CSP and never a file outside the renderer', async () => {
    const page = await request({ path: '/', method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    for (const probe of ['/../outside-secret.txt', '/%2e%2e/outside-secret.txt', '/..%2foutside-secret.txt']) {
      const reply = await request({ path: probe, method: 'GET' });
      expect(reply.status).toBe(404);
      expect(reply.body).not.toContain('secret');
    }
  });
});
