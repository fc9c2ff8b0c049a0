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
export class ConnectionManager {
  private readonly connections = new Map<string, Connection>();
  private activeId: string | null = null;

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

  async close(id: string): Promise<void> {
    const connection = this.connections.get(id);
    if (!connection) return;
    this.connections.delete(id);
    if (this.activeId === id) this.activeId = this.connections.keys().next().value ?? null;
    await connection.close(this.log);
    this.bus.emit({ type: 'connection.state', connectionId: id, state: 'closed' });
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.connections.keys()].map((id) => this.close(id)));
  }
}
