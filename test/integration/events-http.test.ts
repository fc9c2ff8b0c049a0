import http from 'node:http';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent, Job } from '../../src/shared/contract';
import type { App } from '../../src/main/bootstrap';
import { appEventSource } from '../../src/main/events/source';
import { startBrowserModeServer, type BrowserModeServer } from '../../src/main/http/server';
import { migratedBackend, rawClient } from '../support/database';

let app: App;
let server: BrowserModeServer;
let database: string;

beforeAll(async () => {
  const setup = await migratedBackend();
  app = setup.backend;
  database = setup.database;
  server = await startBrowserModeServer({
    dispatch: app.dispatch,
    events: appEventSource(app.services.bus, app.services.jobs, app.services.connections),
    staticDir: __dirname,
  });
});
afterAll(async () => {
  await server?.close();
  await app?.close();
});

interface EventStream {
  status: number;
  body: string;
  /** Resolves with the first event (already received or still to come) that matches. */
  next(match: (event: AppEvent) => boolean): Promise<AppEvent>;
  received: AppEvent[];
  close(): void;
}

/** GET /events as a page does it: the token in a header, the stream read as it arrives. */
function openEvents(headers: Record<string, string>): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port: server.port, method: 'GET', path: '/events', headers: { Host: `127.0.0.1:${server.port}`, ...headers } },
      (response) => {
        const received: AppEvent[] = [];
        const waiters: Array<{ match: (event: AppEvent) => boolean; resolve: (event: AppEvent) => void }> = [];
        let buffer = '';
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.split('\n').find((line) => line.startsWith('data: '));
            if (!data) continue;
            const event = JSON.parse(data.slice('data: '.length)) as AppEvent;
            received.push(event);
            for (const waiter of [...waiters]) {
              if (waiter.match(event)) {
                waiters.splice(waiters.indexOf(waiter), 1);
                waiter.resolve(event);
              }
            }
          }
        });
        const stream: EventStream = {
          status: response.statusCode ?? 0,
          get body() {
            return body;
          },
          received,
          next: (match) =>
            new Promise((resolveEvent) => {
              const found = received.find(match);
              if (found) resolveEvent(found);
              else waiters.push({ match, resolve: resolveEvent });
            }),
          close: () => request.destroy(),
        };
        if (stream.status !== 200) response.once('end', () => resolve(stream));
        else resolve(stream);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

const bearer = () => ({ Authorization: `Bearer ${server.token}` });

async function post<T>(procedure: string, input: unknown): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/${procedure}`, {
    method: 'POST',
    headers: { ...bearer(), 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as { ok: boolean; data: T };
  return result.data;
}

describe('GET /events', () => {
  it('is refused without the token, with a wrong one, from a foreign Host or Origin', async () => {
    for (const headers of [{}, { Authorization: 'Bearer wrong' }] as Array<Record<string, string>>) {
      const stream = await openEvents(headers);
      expect(stream.status).toBe(401);
      expect(JSON.parse(stream.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    const foreignHost = await openEvents({ ...bearer(), Host: `evil.example:${server.port}` });
    expect(foreignHost.status).toBe(403);
    const foreignOrigin = await openEvents({ ...bearer(), Origin: 'https://evil.example' });
    expect(foreignOrigin.status).toBe(403);
  });

  it("streams a job's progress and its end to the page that started it", async () => {
    const stream = await openEvents(bearer());
    try {
      expect(stream.status).toBe(200);
      expect(await stream.next((e) => e.type === 'jobs.snapshot')).toMatchObject({ type: 'jobs.snapshot' });
      await post('users.create', { email: 'sse@example.com', name: 'Sse' });
      const { jobId } = await post<{ jobId: string }>('users.count', {});
      const progress = await stream.next((e) => e.type === 'job.progress' && e.job.id === jobId && e.job.progress !== null);
      expect(progress).toMatchObject({ job: { kind: 'users.count', state: 'running' } });
      const end = await stream.next((e) => e.type === 'job.finished' && e.job.id === jobId);
      expect(end).toMatchObject({ job: { state: 'succeeded', result: { count: 1 } } });
      expect(stream.body).not.toContain(server.token);
    } finally {
      stream.close();
    }
  });

  it('a second page that connects while a job runs sees it at once; a page that goes away stops receiving', async () => {
    const blocker: pg.Client = await rawClient(database);
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    const listenersBefore = app.services.bus.listenerCount;
    try {
      const { jobId } = await post<{ jobId: string }>('users.count', { search: 'x' });
      const second = await openEvents(bearer());
      const snapshot = await second.next((e) => e.type === 'jobs.snapshot');
      expect(snapshot.type === 'jobs.snapshot' && snapshot.jobs.find((job) => job.id === jobId)).toMatchObject({
        state: 'running',
        title: 'Count users matching “x”',
      });
      expect(app.services.bus.listenerCount).toBe(listenersBefore + 1);
      second.close();
      await expect.poll(() => app.services.bus.listenerCount).toBe(listenersBefore);
      const cancelled = await post<Job>('jobs.cancel', { id: jobId });
      expect(cancelled.state).toBe('cancelled');
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });
});

describe('request hygiene', () => {
  it('answers 400 to a request with two Host headers', async () => {
    const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/users.list', setHost: false });
      request.setHeader('Host', [`127.0.0.1:${server.port}`, 'evil.example']);
      request.setHeader('Authorization', `Bearer ${server.token}`);
      request.on('response', (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
      request.end('{}');
    });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { message: 'A request must have exactly one Host header.' } });
  });
});

describe('the address handed to the default browser', () => {
  it('carries a one-time code, not the token; the code leads to the page with the token once, then never again', async () => {
    const launch = server.launchUrl();
    expect(launch).not.toContain(server.token);
    const first = await fetch(launch, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(`/?token=${server.token}`);
    const again = await fetch(launch, { redirect: 'manual' });
    expect(again.status).not.toBe(303);
    expect(again.headers.get('location')).toBeNull();
  });
});
