/**
 * What a migration gets: a query function bound to the migration's own transaction, so a failing
 * migration leaves nothing behind (PostgreSQL's DDL is transactional).
 */
export interface MigrationContext {
  query: (sql: string) => Promise<unknown>;
}

export interface MigrationModule {
  up: (context: MigrationContext) => Promise<void>;
  down: (context: MigrationContext) => Promise<void>;
}
