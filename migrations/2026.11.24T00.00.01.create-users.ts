import type { MigrationContext } from '../src/main/db/migration-context';

// Exactly the seed's table: unbounded VARCHAR, TIMESTAMP without time zone, names as written.
export async function up({ query }: MigrationContext): Promise<void> {
  await query(`
    CREATE TABLE users (
      id SERIAL PRIMARY KEY,
      email VARCHAR UNIQUE NOT NULL,
      name VARCHAR NOT NULL,
      created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
    )`);
  await query('CREATE INDEX ix_users_email ON users(email)');
}

export const rollback = 'Drops the users table, with every user in it.';

export async function down({ query }: MigrationContext): Promise<void> {
  await query('DROP TABLE users');
}
