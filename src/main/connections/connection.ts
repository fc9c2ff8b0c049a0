import { QueryTypes } from 'sequelize';
import { openDatabase, type Database } from '../db/connect';
import { describeTarget, type ConnectionTarget } from '../db/target';
import type { EmbeddedServer } from '../embedded/server';
import type { ConnectionErrorContext } from '../errors/context';
import type { Logger } from '../log/logger';

/**
 * One open connection: a target, its own pool, and (for the embedded database) the server behind
 * it. Features get the caller's Connection from the manager and never hold a pool of their own.
 */
export class Connection {
  readonly db: Database;
  private closing: Promise<void> | null = null;

  constructor(
    readonly id: string,
    readonly target: ConnectionTarget,
    log: Logger,
    /** Stopped after the pool closes, when this connection owns an embedded server. */
    readonly embedded: EmbeddedServer | null = null,
  ) {
    this.db = openDatabase(target, log);
  }

  /** `host:port/database`: how screens and logs name it, never with the password. */
  get address(): string {
    return describeTarget(this.target);
  }

  get closed(): boolean {
    return this.closing !== null;
  }

  /** What error messages may say about this connection, and where its settings live. */
  errorContext(): ConnectionErrorContext {
    return {
      kind: this.target.kind,
      where: this.address,
      user: this.target.user,
      ...(this.embedded ? { embeddedStopped: !this.embedded.running } : {}),
    };
  }

  /** One round trip to the server: does it answer at all? */
  async ping(): Promise<void> {
    await this.db.sequelize.query('SELECT 1', { type: QueryTypes.SELECT });
  }

  async serverVersion(): Promise<string> {
    const [row] = await this.db.sequelize.query<{ server_version: string }>('SHOW server_version', { type: QueryTypes.SELECT });
    return row?.server_version ?? 'unknown';
  }

  /** Closes the pool, then stops the embedded server; safe to call more than once. */
  close(log: Logger): Promise<void> {
    return (this.closing ??= (async () => {
      await this.db.close().catch((error: Error) => log(`closing the pool of ${this.id} failed: ${error.message}`));
      await this.embedded?.stop();
    })());
  }
}
