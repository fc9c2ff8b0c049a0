import { QueryTypes, type Sequelize } from 'sequelize';

/** pg_database's column names moved between versions (daticulocale in 15–16, datlocale from 17), so read the row whole. */
interface DatabaseRow {
  datcollate?: string;
  datlocprovider?: string;
  daticulocale?: string | null;
  datlocale?: string | null;
}

const PROVIDERS: Record<string, string> = { c: 'libc', i: 'ICU', b: 'builtin' };

/**
 * How the current database sorts text, for people: "ICU (und)", "libc (C)", "libc (en_US.UTF-8)".
 * A "C" collation sorts by byte value (every capital before every small letter), which is why new
 * embedded clusters use ICU; the About panel shows which one a database has.
 */
export async function describeCollation(sequelize: Sequelize): Promise<string> {
  const [result] = await sequelize.query<{ row: DatabaseRow }>('SELECT to_jsonb(d) AS row FROM pg_database d WHERE datname = current_database()', {
    type: QueryTypes.SELECT,
  });
  const row = result?.row ?? {};
  const provider = PROVIDERS[row.datlocprovider ?? 'c'] ?? row.datlocprovider ?? 'libc';
  const locale = provider === 'libc' ? row.datcollate : (row.datlocale ?? row.daticulocale ?? row.datcollate);
  return `${provider} (${locale || 'unknown'})`;
}
