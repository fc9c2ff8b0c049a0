import type { Database } from '../db/connect';
import { runStatement } from '../db/prepared';
import { indexFacts, tableEstimate } from '../db/table-facts';
import { EXACT_COUNT_LIMIT } from './keyset';

/** Trigrams are three characters: a shorter search term gives the trigram index nothing to look up. */
export const TRIGRAM_MIN_LENGTH = 3;

/**
 * Why a text search cannot use an index here, for the admin (so a slow search is explained, and
 * they know what fixes it); null when it can. `indexes` are the trigram indexes the search needs,
 * `term` the text it matches (without wildcards).
 */
export async function searchNote(db: Database, search: { table: string; indexes: string[]; term: string }): Promise<string | null> {
  const facts = await indexFacts(db);
  if (!facts.trigram) {
    return facts.trigramAvailable
      ? 'Searching scans the whole table here: the pg_trgm extension is not installed (this role may not create it). Ask an admin to run CREATE EXTENSION pg_trgm, then apply migrations.'
      : 'Searching scans the whole table here: this server does not have the pg_trgm extension (it comes with PostgreSQL’s contrib modules). Ask an admin to install it and run CREATE EXTENSION pg_trgm, then apply migrations.';
  }
  const missing = search.indexes.filter((index) => !facts.indexes.has(index));
  if (missing.length) {
    return `Searching scans the whole table here: the search ${missing.length === 1 ? 'index' : 'indexes'} ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not built yet. Apply migrations (Connections → Migrations) to build ${missing.length === 1 ? 'it' : 'them'}.`;
  }
  if ([...search.term].length < TRIGRAM_MIN_LENGTH && (await tableEstimate(db, search.table)) >= EXACT_COUNT_LIMIT) {
    return `A search shorter than ${TRIGRAM_MIN_LENGTH} characters cannot use the search index, so it may read the whole table. Type ${TRIGRAM_MIN_LENGTH} or more for a fast search.`;
  }
  // pg_trgm splits words at what the database's character classification (lc_ctype) says is not
  // a letter. Under C that is every letter beyond ASCII, so "Иван" gives the index nothing to look
  // up. Asked only for such terms on big tables (one round trip); new embedded clusters are UTF-8.
  if (/[^ -~]/.test(search.term) && (await tableEstimate(db, search.table)) >= EXACT_COUNT_LIMIT) {
    const [row] = await runStatement<{ trigrams: number; ctype: string }>(db, {
      text: "SELECT cardinality(show_trgm($1)) AS trigrams, current_setting('lc_ctype') AS ctype",
      values: [search.term],
      prepare: true,
    }).catch(() => []);
    if (row && row.trigrams === 0) {
      return `This database classifies characters as ${row.ctype} (lc_ctype), which treats letters beyond ASCII as separators, so this search cannot use the search index and may read the whole table. A database created with a UTF-8 lc_ctype (as new embedded clusters are) searches such text with its index.`;
    }
  }
  return null;
}
