import type { IndexSpec, MigrationContext } from '../src/main/db/migration-context';

/**
 * The indexes the Users and Products screens need so every order and every search is an index
 * walk on a million rows: (column, id) pairs for keyset paging in each sort (ties broken by id),
 * trigram indexes for "contains" searches (pg_trgm, a trusted extension since PostgreSQL 13: any
 * role that may create in the database may add it), and a partial index for unowned products.
 * The email sort needs none: the seed's ix_users_email (email is unique) serves it.
 */
export const indexes: readonly IndexSpec[] = [
  { name: 'ix_users_name_id', table: 'users', method: 'btree', columns: '(name, id)', sizedBy: ['name'], purpose: 'sorting users by name' },
  {
    name: 'ix_users_created_at_id',
    table: 'users',
    method: 'btree',
    columns: '(created_at, id)',
    sizedBy: ['created_at'],
    purpose: 'sorting and filtering users by creation date',
  },
  {
    name: 'ix_users_email_trgm',
    table: 'users',
    method: 'gin',
    columns: '(email gin_trgm_ops)',
    sizedBy: ['email'],
    purpose: 'searching users’ emails (contains, domain)',
    extension: 'pg_trgm',
  },
  {
    name: 'ix_users_name_trgm',
    table: 'users',
    method: 'gin',
    columns: '(name gin_trgm_ops)',
    sizedBy: ['name'],
    purpose: 'searching users’ names',
    extension: 'pg_trgm',
  },
  {
    name: 'ix_products_name_id',
    table: 'products',
    method: 'btree',
    // Unnamed products (NULL, written by other tools) sort first, as an empty name, so keyset
    // paging never has to compare with NULL.
    columns: "((coalesce(name, '')), id)",
    sizedBy: ['name'],
    purpose: 'sorting products by name',
  },
  {
    name: 'ix_products_name_trgm',
    table: 'products',
    method: 'gin',
    columns: '(name gin_trgm_ops)',
    sizedBy: ['name'],
    purpose: 'searching products’ names',
    extension: 'pg_trgm',
  },
  {
    name: 'ix_products_unowned',
    table: 'products',
    method: 'btree',
    columns: '(id) WHERE owner_id IS NULL',
    sizedBy: [],
    purpose: 'listing unowned products',
  },
];

// The indexes are built by the migrator after this (see IndexSpec): nothing else to change.
export async function up(): Promise<void> {}

export const rollback =
  'Drops the indexes it built; no rows are lost. Sorting users by name or date, sorting products by name, and searching read the whole table again, which is slow on large tables.';

export async function down({ query }: MigrationContext): Promise<void> {
  for (const index of [...indexes].reverse()) await query(`DROP INDEX IF EXISTS ${index.name}`);
}
