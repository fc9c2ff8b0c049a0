import { emailSchema, productNameSchema, userIdSchema, type ImportReport } from '../../shared/contract';
import type { ConnectionTarget } from '../db/target';
import { importCsv, lockForImport, type ImportOptions, type ImportSpec } from './csv-import';

/**
 * Products from CSV: `name`, and the owner as `owner_email` (what an export from another database
 * carries) or `owner_id`; both empty means no owner. When a line has both, the email decides: ids
 * differ between databases, emails do not. An `id` column is ignored. Owners must exist.
 */
const PRODUCTS_IMPORT: ImportSpec = {
  table: 'products',
  stagingColumns: [
    { name: 'name', type: 'varchar' },
    { name: 'owner_email', type: 'varchar' },
    { name: 'owner_id', type: 'integer' },
  ],
  required: [['name']],
  optional: ['owner_email', 'owner_id'],
  ignored: ['id'],
  expectedHeader: 'name, then owner_email or owner_id (empty for no owner; id is ignored)',

  check(fields) {
    const name = productNameSchema.safeParse(fields.get('name'));
    if (!name.success) fields.problem('name', name.error.issues[0]?.message ?? 'Invalid name');
    const rawEmail = fields.get('owner_email')?.trim() ?? '';
    const rawId = fields.get('owner_id')?.trim() ?? '';
    let ownerEmail: string | null = null;
    let ownerId: number | null = null;
    let ownerOk = true;
    if (rawEmail) {
      const email = emailSchema.safeParse(rawEmail);
      if (email.success) ownerEmail = email.data;
      else {
        fields.problem('owner_email', email.error.issues[0]?.message ?? 'Invalid email');
        ownerOk = false;
      }
    } else if (rawId) {
      const id = /^\d{1,10}$/.test(rawId) ? userIdSchema.safeParse(Number(rawId)) : null;
      if (id?.success) ownerId = id.data;
      else {
        fields.problem('owner_id', id ? (id.error.issues[0]?.message ?? 'Invalid id') : 'owner_id must be a whole number, the owner’s user id');
        ownerOk = false;
      }
    }
    if (!name.success || !ownerOk) return null;
    return [name.data, ownerEmail, ownerId];
  },

  async findProblems(client) {
    // An owner checked here cannot be deleted before this import commits.
    await lockForImport(client, 'users', 'SHARE');
    await client.query(`INSERT INTO import_problems (line, column_name, value, reason)
      SELECT i.line, 'owner_email', i.owner_email, 'No user has this email.'
      FROM import_rows i WHERE i.owner_email IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email = i.owner_email)`);
    await client.query(`INSERT INTO import_problems (line, column_name, value, reason)
      SELECT i.line, 'owner_id', i.owner_id::text, 'No user has this id.'
      FROM import_rows i WHERE i.owner_email IS NULL AND i.owner_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = i.owner_id)`);
  },

  async write(client) {
    const inserted = await client.query(
      'INSERT INTO products (name, owner_id) SELECT i.name, coalesce(u.id, i.owner_id) FROM import_rows i LEFT JOIN users u ON u.email = i.owner_email ORDER BY i.line',
    );
    return { inserted: inserted.rowCount ?? 0, updated: 0 };
  },
};

/** Imports products from a CSV file, all or nothing (see PRODUCTS_IMPORT and importCsv). */
export function importProductsCsv(
  target: ConnectionTarget,
  file: string,
  options: ImportOptions & { mode: 'reject' | 'skip' },
): Promise<ImportReport> {
  return importCsv(target, file, PRODUCTS_IMPORT, options);
}
