import { QueryTypes } from 'sequelize';
import { describeCollation } from '../db/collation';
import { openDatabase, type Database } from '../db/connect';
import { describeTarget, type ConnectionTarget } from '../db/target';
import type { EmbeddedServer } from '../embedded/server';
import type { ConnectionErrorContext } from '../errors/context';
import type { Logger } from '../log/logger';
import type { SshTunnel } from './ssh/tunnel';

/**
 * One open connection: a target, its own pool, and (for the embedded database) the server behind
 * it. Features get the caller's Connection from the manager and never hold a pool of their own.
 */
export class Connection {
  readonly db: Database;
  private closing: Promise<void> | null = null;
  /** The server has answered it at least once: a refusal now means it went away, not a wrong address. */
  answered = false;

  constructor(
    readonly id: string,
    readonly target: ConnectionTarget,
    log: Logger,
    /** Stopped after the pool closes, when this connection owns an embedded server. */
    readonly embedded: EmbeddedServer | null = null,
    /** Closed after the pool, when the connection goes through SSH. */
    readonly tunnel: SshTunnel | null = null,
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
      ...(this.target.profileName ? { profileName: this.target.profileName } : {}),
      ...(this.tunnel ? { tunnelled: true } : {}),
      ...(this.target.readOnly ? { readOnly: true } : {}),
      ...(this.answered ? { established: true } : {}),
      ...(this.embedded ? { embeddedStopped: !this.embedded.running } : {}),
    };
  }

  /** One round trip to the server (through the tunnel, set up again if it dropped): does it answer at all? */
  async ping(): Promise<void> {
    await this.tunnel?.ensureConnected();
    await this.db.sequelize.query('SELECT 1', { type: QueryTypes.SELECT });
    this.answered = true;
  }

  /** server_version_num: 150004 for 15.4. */
  async serverVersionNumber(): Promise<number> {
    const [row] = await this.db.sequelize.query<{ server_version_num: string }>('SHOW server_version_num', { type: QueryTypes.SELECT });
    return Number(row?.server_version_num ?? 0);
  }

  /**
   * How the database sorts text, and the server's version: app.info asks on every window load and
   * switch, and neither changes without the server restarting, so each is read once and read
   * again only after the connection was lost and came back (an upgrade restarts the server).
   */
  collation(): Promise<string> {
    return this.remember('collation', () => describeCollation(this.db.sequelize));
  }

  serverVersion(): Promise<string> {
    return this.remember('serverVersion', async () => {
      const [row] = await this.db.sequelize.query<{ server_version: string }>('SHOW server_version', { type: QueryTypes.SELECT });
      return row?.server_version ?? 'unknown';
    });
  }

  /** The server may have changed (it went away and came back): read its facts afresh. */
  forgetServerFacts(): void {
    this.serverFacts.clear();
  }

  private readonly serverFacts = new Map<string, Promise<string>>();
  private remember(key: string, read: () => Promise<string>): Promise<string> {
    let known = this.serverFacts.get(key);
    if (!known) {
      known = read();
      this.serverFacts.set(key, known);
      // A failed read is not remembered: the next call asks again.
      known.catch(() => {
        if (this.serverFacts.get(key) === known) this.serverFacts.delete(key);
      });
    }
    return known;
  }

  /** Closes the pool, then the tunnel or the embedded server; safe to call more than once. */
  close(log: Logger): Promise<void> {
    return (this.closing ??= (async () => {
      await this.db.close().catch((error: Error) => log(`closing the pool of ${this.id} failed: ${error.message}`));
      await this.tunnel?.close().catch((error: Error) => log(`closing the SSH tunnel of ${this.id} failed: ${error.message}`));
      await this.embedded?.stop();
    })());
  }
}
