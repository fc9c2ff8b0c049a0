import { emailSchema, nameSchema, type ImportMode, type ImportReport } from '../../shared/contract';
import type { ConnectionTarget } from '../db/target';
import { importCsv, lockForImport, type ImportOptions, type ImportSpec } from './csv-import';
import { checkedTimestamp } from './timestamp-field';

/**
 * Users from CSV: `email,name[,created_at]` (an `id` column is ignored, so an export reads back
 * into another database). Each record passes the forms' rules (the email normalised as the form
 * does); duplicates within the file and emails already in the table are found in SQL. In update
 * mode an email already there updates that user's name (and created_at, when the file has one).
 */
const USERS_IMPORT: ImportSpec = {
  table: 'users',
  stagingColumns: [
    { name: 'email', type: 'varchar' },
    { name: 'name', type: 'varchar' },
    { name: 'created_at', type: 'timestamp' },
  ],
  required: [['email'], ['name']],
  optional: ['created_at'],
  ignored: ['id'],
  expectedHeader: 'email,name (created_at may follow; id is ignored)',

  check(fields) {
    const email = emailSchema.safeParse(fields.get('email'));
    const name = nameSchema.safeParse(fields.get('name'));
    if (!email.success) fields.problem('email', email.error.issues[0]?.message ?? 'Invalid email');
    if (!name.success) fields.problem('name', name.error.issues[0]?.message ?? 'Invalid name');
    const createdAt = checkedTimestamp(fields, 'created_at');
    if (!email.success || !name.success || createdAt === undefined) return null;
    return [email.data, name.data, createdAt];
  },

  async findProblems(client, mode) {
    // Writers wait until this import commits or rolls back, so what is checked stays true.
    await lockForImport(client, 'users', 'SHARE ROW EXCLUSIVE');
    await client.query(`INSERT INTO import_problems (line, column_name, value, reason)
      SELECT line, 'email', email, 'Duplicate of line ' || first || ' in this file.'
      FROM (SELECT line, email, min(line) OVER (PARTITION BY email) AS first FROM import_rows) d WHERE line <> first`);
    if (mode !== 'update') {
      // One reason a line: a repeat is a duplicate, its first occurrence is the one already in the table.
      await client.query(`INSERT INTO import_problems (line, column_name, value, reason)
        SELECT i.line, 'email', i.email, 'Already in the table as user #' || u.id || '.' FROM import_rows i JOIN users u ON u.email = i.email
        WHERE NOT EXISTS (SELECT 1 FROM import_problems p WHERE p.line = i.line)`);
    }
  },

  async write(client, mode) {
    let updated = 0;
    if (mode === 'update') {
      const result = await client.query(
        'UPDATE users u SET name = i.name, created_at = coalesce(i.created_at, u.created_at) FROM import_rows i WHERE u.email = i.email',
      );
      updated = result.rowCount ?? 0;
      await client.query('DELETE FROM import_rows i USING users u WHERE u.email = i.email');
    }
    const inserted = await client.query(
      "INSERT INTO users (email, name, created_at) SELECT email, name, coalesce(created_at, now() AT TIME ZONE 'UTC') FROM import_rows ORDER BY line",
    );
    return { inserted: inserted.rowCount ?? 0, updated };
  },
};

/** Imports users from a CSV file, all or nothing (see USERS_IMPORT and importCsv). */
export function importUsersCsv(target: ConnectionTarget, file: string, options: ImportOptions & { mode: ImportMode }): Promise<ImportReport> {
  return importCsv(target, file, USERS_IMPORT, options);
}
