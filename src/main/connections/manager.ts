import type { ConnectionTarget } from '../db/target';
import type { EmbeddedServer } from '../embedded/server';
import { AppError } from '../errors/app-error';
import { mayPassByItself, translateError } from '../errors/translate';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log/logger';
import { Connection } from './connection';
import type { SshTunnel } from './ssh/tunnel';

/** Open connections are pinged this often when idle (DBeaver's keep-alive does the same), so a stopped server shows by itself. */
const HEARTBEAT_MS = 15_000;

/** While a connection is lost, it is tried again after these waits (then every last one), so the window learns it is back. */
const RECOVERY_BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 15_000];

/**
 * Owns the open connections, one pool (and tunnel) each, keyed by id: the embedded database,
 * DATABASE_URL, saved profiles. Each call names the connection its window shows; a caller that
 * names none (the CLI, scheduled work) gets the active one. Nobody captures a pool of their own.
 */
export type ConnectionState = 'open' | 'lost';

export class ConnectionManager {
  private readonly connections = new Map<string, Connection>();
  private activeId: string | null = null;
  /** Connections whose last use failed for want of the server, with what was said and the next probe. */
  private readonly lost = new Map<string, { message: string; probe: ReturnType<typeof setTimeout> | undefined }>();
  /** Connections whose request just failed, being pinged to tell a cut connection from a lost server. */
  private readonly confirming = new Set<string>();

  private heartbeat: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly log: Logger,
    /** How often open connections are pinged while nobody uses them, so a server that went away shows without a click. */
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  /**
   * A ping on every open connection that is not already known lost. Only a lost server counts (a
   * pool busy with work is not): the failure goes through reportHealth, which confirms it first.
   */
  private beat(): void {
    for (const connection of this.connections.values()) {
      if (connection.closed || this.lost.has(connection.id) || this.confirming.has(connection.id)) continue;
      connection.ping().catch((error: unknown) => {
        const apiError = translateError(error, { connection: connection.errorContext() });
        if (apiError.code === 'CONNECTION' && mayPassByItself(error)) this.reportHealth(connection.id, false, apiError.message);
      });
    }
  }

  /** Opens a pool on `target` under `id` (the first one opened becomes active). */
  open(id: string, target: ConnectionTarget, owned: { embedded?: EmbeddedServer | null; tunnel?: SshTunnel | null } = {}): Connection {
    if (this.connections.has(id)) throw new AppError('CONFLICT', `A connection named ${id} is already open.`);
    const embedded = owned.embedded ?? null;
    const connection = new Connection(id, target, this.log, embedded, owned.tunnel ?? null);
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
      this.heartbeat.unref();
    }
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
        { certain: true },
      ),
    );
    // A dropped SSH session is known at once too; the probe below sets the tunnel up again.
    owned.tunnel?.onDropped((message) => this.reportHealth(id, false, message, { certain: true }));
    return connection;
  }

  isOpen(id: string): boolean {
    return this.connections.has(id);
  }

  /** The connection a call names (its window's), or the active one when it names none. */
  forCall(id: string | undefined): Connection {
    if (id === undefined) return this.active();
    const connection = this.connections.get(id);
    if (!connection) {
      throw new AppError('CONNECTION', 'This window’s connection is closed. Open it again under Connections, or switch to another one.', {
        field: 'connectionId',
      });
    }
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
   * What a request learned about the server. A failure a request saw may be one connection cut
   * (a server restart, pg_terminate_backend): one ping decides, and only if that fails too is the
   * connection marked lost (once, with the request's message). A failure that is certain (the
   * embedded server's process exited, the SSH session dropped) marks it lost at once. Any later
   * success marks it open again. While lost, a probe with backoff finds it back by itself.
   */
  reportHealth(id: string, healthy: boolean, message = '', options: { certain?: boolean } = {}): void {
    const connection = this.connections.get(id);
    if (!connection || connection.closed) return;
    const wasLost = this.lost.get(id);
    if (healthy) {
      connection.answered = true;
      if (!wasLost) return;
      clearTimeout(wasLost.probe);
      this.lost.delete(id);
      connection.forgetServerFacts();
      this.log(`connection ${id} is back`);
      this.bus.emit({ type: 'connection.state', connectionId: id, state: 'open' });
      return;
    }
    if (wasLost) {
      // A request may have seen the socket close a moment before the process exit (or the SSH
      // drop) was known: the certain cause is the more useful reason, so it replaces the guess.
      if (options.certain && wasLost.message !== message) {
        wasLost.message = message;
        this.bus.emit({ type: 'connection.state', connectionId: id, state: 'lost', message });
      }
      return;
    }
    if (options.certain) return this.markLost(id, connection, message);
    if (this.confirming.has(id)) return;
    this.confirming.add(id);
    connection
      .ping()
      .catch(() => {
        if (this.connections.get(id) === connection && !this.lost.has(id)) this.markLost(id, connection, message);
      })
      .finally(() => this.confirming.delete(id));
  }

  private markLost(id: string, connection: Connection, message: string): void {
    this.lost.set(id, { message, probe: undefined });
    this.log(`connection ${id} lost: ${message}`);
    this.bus.emit({ type: 'connection.state', connectionId: id, state: 'lost', message });
    this.scheduleProbe(id, connection, 0);
  }

  /**
   * Tries a lost connection again after a growing wait (1 s, 2 s, 4 s… then every 15 s): one probe
   * at a time, so a server that lets connections hang (a dropped network) never piles up pings.
   * The probe goes through the tunnel, which sets itself up again first.
   */
  private scheduleProbe(id: string, connection: Connection, attempt: number): void {
    const lost = this.lost.get(id);
    if (!lost) return;
    const wait = RECOVERY_BACKOFF_MS[Math.min(attempt, RECOVERY_BACKOFF_MS.length - 1)]!;
    lost.probe = setTimeout(() => {
      connection
        .ping()
        .then(() => this.reportHealth(id, true))
        .catch((error: unknown) => {
          // A reopened connection under the same id has its own probe; this one ends.
          if (this.connections.get(id) !== connection) return;
          if (mayPassByItself(error)) return this.scheduleProbe(id, connection, attempt + 1);
          // The server is back but says no (a changed password, an SSH host key refused): trying
          // again would only lock accounts. Say why, and leave it to the admin.
          const message = `${translateError(error, { connection: connection.errorContext() }).message} Simple DB stopped retrying: fix that, then connect again.`;
          this.lost.set(id, { message, probe: undefined });
          this.log(`connection ${id} will not be retried: ${message}`);
          this.bus.emit({ type: 'connection.state', connectionId: id, state: 'lost', message });
        });
    }, wait);
    lost.probe.unref();
  }

  async close(id: string): Promise<void> {
    const connection = this.connections.get(id);
    if (!connection) return;
    clearTimeout(this.lost.get(id)?.probe);
    this.lost.delete(id);
    this.connections.delete(id);
    if (this.activeId === id) this.activeId = this.connections.keys().next().value ?? null;
    await connection.close(this.log);
    this.bus.emit({ type: 'connection.state', connectionId: id, state: 'closed' });
  }

  async closeAll(): Promise<void> {
    clearInterval(this.heartbeat ?? undefined);
    this.heartbeat = null;
    await Promise.all([...this.connections.keys()].map((id) => this.close(id)));
  }
}
