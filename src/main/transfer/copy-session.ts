import pg from 'pg';
import { directClientConfig } from '../db/connect';
import { cancelOnAbort } from '../db/index-build';
import type { ConnectionTarget } from '../db/target';

/**
 * A connection of its own for one long COPY (the pool stays with the screens): `signal` cancels
 * what it runs on the server (pg_cancel_backend over yet another connection), and the session is
 * always ended afterwards, which rolls back whatever `work` did not commit.
 */
export async function withCopySession<T>(
  target: ConnectionTarget,
  applicationName: string,
  signal: AbortSignal,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  signal.throwIfAborted();
  const client = new pg.Client(directClientConfig(target, { applicationName, connectTimeoutMs: 10_000 }));
  client.on('error', () => undefined); // a dropped connection fails the statement running, which says why
  let cancel: { settle: () => Promise<void> } | null = null;
  try {
    await client.connect();
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    cancel = cancelOnAbort(signal, target, pid);
    // Long work the admin started and can cancel: a role's statement_timeout meant for interactive
    // queries must not cut it off halfway (pg_dump does the same).
    await client.query('SET statement_timeout = 0');
    signal.throwIfAborted();
    return await work(client);
  } catch (error) {
    // A statement the cancel stopped fails with "canceling statement due to user request": what
    // happened is the cancel.
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('Cancelled', 'AbortError');
    throw error;
  } finally {
    await cancel?.settle();
    await client.end().catch(() => undefined);
  }
}
