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
    // The file's emails are lowercased as the form does; another tool may have stored an owner's in
    // mixed case. Those few users, by their lowercased email, let such owners be found too, when
    // exactly one user has that email in any case.
    await client.query(`CREATE TEMP TABLE import_owner_emails ON COMMIT DROP AS
      SELECT lower(email) AS email, min(id) AS id, count(*) AS users FROM users WHERE email <> lower(email) GROUP BY lower(email)`);
    await client.query(`UPDATE import_rows i SET owner_id = coalesce(
        (SELECT u.id FROM users u WHERE u.email = i.owner_email),
        (SELECT m.id FROM import_owner_emails m WHERE m.email = i.owner_email AND m.users = 1
           AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email = i.owner_email)))
      WHERE i.owner_email IS NOT NULL`);
    await client.query(`INSERT INTO import_problems (line, column_name, value, reason)
      SELECT i.line, 'owner_email', i.owner_email,
        CASE WHEN EXISTS (SELECT 1 FROM import_owner_emails m WHERE m.email = i.owner_email AND m.users > 1)
          THEN 'More than one user has this email in different letter case: give the owner as owner_id instead.'
          ELSE 'No user has this email.' END
      FROM import_rows i WHERE i.owner_email IS NOT NULL AND i.owner_id IS NULL`);
    await client.query(`INSERT INTO import_problems (line, column_name, value, reason)
      SELECT i.line, 'owner_id', i.owner_id::text, 'No user has this id.'
      FROM import_rows i WHERE i.owner_email IS NULL AND i.owner_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = i.owner_id)`);
  },

  async write(client) {
    const inserted = await client.query(
      // owner_id holds the owner found by email (findProblems), or the file's id.
      'INSERT INTO products (name, owner_id) SELECT name, owner_id FROM import_rows ORDER BY line',
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
