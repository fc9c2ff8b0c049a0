import type { ConnectionTarget } from '../db/target';
import type { EmbeddedServer } from '../embedded/server';
import { AppError } from '../errors/app-error';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log/logger';
import { Connection } from './connection';

/**
 * Owns the open connections, one pool each, keyed by id. Today that is the default one (the
 * embedded server or DATABASE_URL); saved profiles add more. Which one a caller works on is the
 * active one; a caller never captures a pool of its own.
 */
/** While a connection is lost, how often it is tried again so the window learns it is back. */
const RECOVERY_PROBE_MS = 3_000;

export type ConnectionState = 'open' | 'lost';

export class ConnectionManager {
  private readonly connections = new Map<string, Connection>();
  private activeId: string | null = null;
  /** Connections whose last use failed for want of the server, with what was said and the probe timer. */
  private readonly lost = new Map<string, { message: string; probe: ReturnType<typeof setInterval> }>();

  constructor(
    private readonly bus: EventBus,
    private readonly log: Logger,
  ) {}

  /** Opens a pool on `target` under `id` (the first one opened becomes active). */
  open(id: string, target: ConnectionTarget, embedded: EmbeddedServer | null = null): Connection {
    if (this.connections.has(id)) throw new AppError('CONFLICT', `A connection named ${id} is already open.`);
    const connection = new Connection(id, target, this.log, embedded);
    this.connections.set(id, connection);
    this.activeId ??= id;
    this.log(`connection ${id} opened on ${connection.address}`);
    this.bus.emit({ type: 'connection.state', connectionId: id, state: 'open' });
    // The embedded server going away is known at once: no need to wait for a request to fail.
    void embedded?.stoppedUnexpectedly.then((how) =>
      this.reportHealth(
        id,
        false,
        `The embedded PostgreSQL stopped unexpectedly (${how}). Restart Simple DB to start it again; the log has the details.`,
      ),
    );
    return connection;
  }

  get(id: string): Connection {
    const connection = this.connections.get(id);
    if (!connection) throw new AppError('NOT_FOUND', `There is no open connection ${id}.`, { field: 'connectionId' });
    return connection;
  }

  /** The connection the window works on. */
  active(): Connection {
    if (this.activeId === null) throw new AppError('CONNECTION', 'No database connection is open. Restart Simple DB.');
    return this.get(this.activeId);
  }

  setActive(id: string): void {
    this.get(id);
    this.activeId = id;
  }

  list(): Connection[] {
    return [...this.connections.values()];
  }

  /** `open` or `lost`, as the last use (or recovery probe) of the connection found it. */
  state(id: string): { state: ConnectionState; message?: string } {
    const lost = this.lost.get(id);
    return lost ? { state: 'lost', message: lost.message } : { state: 'open' };
  }

  /**
   * What a request learned about the server: a CONNECTION failure marks it lost (once, with the
   * translated message), any later success marks it open again. While lost, a cheap probe runs
   * every few seconds, so the window hears of the recovery without the admin having to click.
   */
  reportHealth(id: string, healthy: boolean, message = ''): void {
    const connection = this.connections.get(id);
    if (!connection || connection.closed) return;
    const wasLost = this.lost.get(id);
    if (healthy) {
      if (!wasLost) return;
      clearInterval(wasLost.probe);
      this.lost.delete(id);
      this.log(`connection ${id} is back`);
      this.bus.emit({ type: 'connection.state', connectionId: id, state: 'open' });
      return;
    }
    if (wasLost) return;
    // One probe at a time: a server that lets connections hang (say, behind a dropped network)
    // must not pile up a ping every few seconds.
    let probing = false;
    const probe = setInterval(() => {
      if (probing) return;
      probing = true;
      connection
        .ping()
        .then(() => this.reportHealth(id, true))
        .catch(() => undefined)
        .finally(() => (probing = false));
    }, RECOVERY_PROBE_MS);
    probe.unref();
    this.lost.set(id, { message, probe });
    this.log(`connection ${id} lost: ${message}`);
    this.bus.emit({ type: 'connection.state', connectionId: id, state: 'lost', message });
  }

  async close(id: string): Promise<void> {
    const connection = this.connections.get(id);
    if (!connection) return;
    clearInterval(this.lost.get(id)?.probe);
    this.lost.delete(id);
    this.connections.delete(id);
    if (this.activeId === id) this.activeId = this.connections.keys().next().value ?? null;
    await connection.close(this.log);
    this.bus.emit({ type: 'connection.state', connectionId: id, state: 'closed' });
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.connections.keys()].map((id) => this.close(id)));
  }
}
