import type { MigrationContext } from '../src/main/db/migration-context';

// The seed's "if adding Products" relationship. Deleting a user un-parents its products
// (ON DELETE SET NULL), which is what the seed's ORM relationship does by default.
export async function up({ query }: MigrationContext): Promise<void> {
  await query(`
    CREATE TABLE products (
      id SERIAL PRIMARY KEY,
      name VARCHAR,
      owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL
    )`);
  await query('CREATE INDEX ix_products_owner_id ON products(owner_id)');
}

export const rollback = 'Drops the products table, with every product in it.';

export async function down({ query }: MigrationContext): Promise<void> {
  await query('DROP TABLE products');
}
