/**
 * What runs before the file, in the same transaction, when a restore replaces a database: every
 * user schema's objects are dropped (schemas other than public as a whole; public's tables, views,
 * sequences, routines and types one by one) with the large objects, leaving extensions and their
 * members alone. It is computed inside the transaction, so it drops exactly what is there at that
 * moment, and a failure later on rolls the drops back with everything else.
 */
export const REPLACE_PREAMBLE = `DO $simple_db$
DECLARE r record;
BEGIN
  FOR r IN SELECT n.nspname FROM pg_namespace n
            WHERE n.nspname NOT IN ('public', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_namespace'::regclass AND e.objid = n.oid AND e.deptype = 'e')
  LOOP EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname); END LOOP;
  -- A database without a public schema (dropped as a hardening step) has nothing more to clear there.
  IF to_regnamespace('public') IS NOT NULL THEN
    FOR r IN SELECT c.relname, c.relkind FROM pg_class c
              WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype IN ('e', 'a', 'i'))
    LOOP
      EXECUTE format('DROP %s IF EXISTS public.%I CASCADE',
        CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
        r.relname);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure::text AS signature, p.prokind FROM pg_proc p
              WHERE p.pronamespace = 'public'::regnamespace
                AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
    LOOP
      EXECUTE format('DROP %s IF EXISTS %s CASCADE', CASE r.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, r.signature);
    END LOOP;
    FOR r IN SELECT t.typname FROM pg_type t
              WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'r', 'c')
                AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
                AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
    LOOP EXECUTE format('DROP TYPE IF EXISTS public.%I CASCADE', r.typname); END LOOP;
  END IF;
  -- Large objects are the database's, not a schema's: the file brings its own back.
  FOR r IN SELECT oid FROM pg_largeobject_metadata LOOP PERFORM lo_unlink(r.oid); END LOOP;
END
$simple_db$`;

/** `psql:<stdin>:123: ERROR:  relation "x" already exists` → line 123 and the message. */
export function parsePsqlError(lines: readonly string[]): { line: number | null; message: string; context: string[] } | null {
  // ERROR/FATAL from the server; psql's own complaints (an unknown \\command) say "error:".
  const index = lines.findIndex((line) => /^psql:.*?: (ERROR|FATAL|error):/.test(line));
  if (index < 0) return null;
  const first = lines[index]!;
  const match = /^psql:(.*?):(\d+): (?:ERROR|FATAL|error):\s+(.*)$/.exec(first);
  const context = lines.slice(index + 1).filter((line) => /^(LINE \d+:|DETAIL:|HINT:|CONTEXT:)/.test(line.trim()));
  if (!match) return { line: null, message: first.replace(/^psql:[^:]*:\s*(ERROR|FATAL|error):\s*/, ''), context };
  return { line: match[1] === '<stdin>' ? Number(match[2]) : null, message: match[3]!, context };
}
