/**
 * What a migration gets: a query function bound to the migration's own transaction, so a failing
 * migration leaves nothing behind (PostgreSQL's DDL is transactional).
 */
export interface MigrationContext {
  query: (sql: string) => Promise<unknown>;
}

/**
 * An index a migration builds. Declared rather than written as SQL in `up`, because how it is built
 * depends on the server: on the embedded one (nobody else uses it) inside the migration's
 * transaction; on any other, with CREATE INDEX CONCURRENTLY after the transaction, as a job step
 * with progress, so a live table keeps serving.
 */
export interface IndexSpec {
  name: string;
  table: string;
  method: 'btree' | 'gin';
  /** The part after `USING method`, e.g. `(name, id)` or `(email gin_trgm_ops)`. */
  columns: string;
  /** The columns whose widths size it, for the plan's disk estimate. */
  sizedBy: string[];
  /** For people: "sorting users by name". */
  purpose: string;
  /** An extension it needs; when the role may not create it, the index is skipped (and said so). */
  extension?: 'pg_trgm';
}

export interface MigrationModule {
  /**
   * With `indexes`, on a server built CONCURRENTLY, `up` is committed before its indexes are built
   * and the migration is recorded only after them: a cancelled or failed build runs `up` again on
   * the retry, so such an `up` must be safe to run twice (IF NOT EXISTS), or do nothing.
   */
  up: (context: MigrationContext) => Promise<void>;
  down: (context: MigrationContext) => Promise<void>;
  /**
   * Indexes built after `up` (see IndexSpec); `down` drops them. Once applied, they are kept built:
   * one missing later (skipped for want of its extension, dropped by hand) is built by the next
   * apply, as soon as it can be.
   */
  indexes?: readonly IndexSpec[];
  /**
   * Names of indexes declared by earlier migrations that this one drops on purpose: without them
   * listed here, the next apply would see those indexes missing and build them again.
   */
  retires?: readonly string[];
  /**
   * What rolling it back does, in a sentence for the admin who confirms it ("Drops the products
   * table, with every product in it."). Without it the confirmation warns that what it added is
   * dropped with its data.
   */
  rollback?: string;
}
