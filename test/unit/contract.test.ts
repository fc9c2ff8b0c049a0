import { describe, expect, it } from 'vitest';
import { contract, procedureNames, emailSchema, nameSchema, userListInputSchema } from '../../src/shared/contract';

import { decodeCursor, encodeCursor, type CursorScope } from '../../src/main/lists/cursor';
import { containsPattern } from '../../src/main/users/queries';
import { fileLogger, MAX_LOG_BYTES, redactSecrets } from '../../src/main/log/logger';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkOrigin, tokenMatches } from '../../src/main/http/security';
import type { IncomingMessage } from 'node:http';

describe('the contract', () => {
  it('has a schema pair for every procedure name the preload exposes', () => {
    expect(Object.keys(contract).sort()).toEqual([...procedureNames].sort());
  });

  it('normalises emails: trimmed and lower-cased', () => {
    expect(emailSchema.parse('  Mixed.Case+tag@Example.ORG ')).toBe('mixed.case+tag@example.org');
    expect(emailSchema.safeParse('two@@example.com').success).toBe(false);
    expect(emailSchema.safeParse('no-domain@').success).toBe(false);
  });

  it('trims names and bounds them', () => {
    expect(nameSchema.parse('  Ada Lovelace ')).toBe('Ada Lovelace');
    expect(nameSchema.safeParse('x'.repeat(200)).success).toBe(true);
    expect(nameSchema.safeParse('x'.repeat(201)).success).toBe(false);
  });

  it('fills list defaults', () => {
    expect(userListInputSchema.parse({})).toEqual({
      pageSize: 25,
      sort: 'id',
      direction: 'asc',
      search: '',
      match: 'contains',
      filters: { products: 'any' },
      from: 'first',
      withTotal: true,
    });
  });
});

describe('keyset cursors', () => {
  const scope: CursorScope = { list: 'users', sort: 'email', direction: 'asc', selection: { search: 'a', match: 'contains' } };
  const position = { value: 'x@example.com', id: 7, inclusive: false };

  it('round-trip and refuse another list, sort, direction or search, on the field they came in', () => {
    const text = encodeCursor(scope, position);
    expect(decodeCursor(text, scope, 'text', 'after')).toEqual(position);
    // The selection's keys in another order are the same selection.
    expect(decodeCursor(text, { ...scope, selection: { match: 'contains', search: 'a' } }, 'text', 'after')).toEqual(position);
    for (const other of [
      { ...scope, list: 'products' },
      { ...scope, sort: 'name' },
      { ...scope, direction: 'desc' as const },
      { ...scope, selection: { search: 'b', match: 'contains' } },
    ]) {
      expect(() => decodeCursor(text, other, 'text', 'before')).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'before' }));
    }
  });

  it('keep whether the row at the cursor belongs to the page', () => {
    const at = { ...position, inclusive: true };
    expect(decodeCursor(encodeCursor(scope, at), scope, 'text', 'at')).toEqual(at);
  });

  it('refuse a value that does not fit the key: no timestamp for created_at, NUL in text, an id out of range', () => {
    const dated = { ...scope, sort: 'created_at' };
    expect(() => decodeCursor(encodeCursor(dated, { ...position, value: 'yesterday' }), dated, 'timestamp', 'after')).toThrow(/not valid/);
    expect(decodeCursor(encodeCursor(dated, { ...position, value: '2024-02-29T23:59:59.5' }), dated, 'timestamp', 'after')).toMatchObject({
      value: '2024-02-29T23:59:59.5',
    });
    expect(() => decodeCursor(encodeCursor(scope, { ...position, value: 'a\u0000b' }), scope, 'text', 'after')).toThrow(/not valid/);
    expect(() => decodeCursor(encodeCursor(scope, { ...position, id: 2 ** 31 }), scope, 'text', 'after')).toThrow(/not valid/);
    expect(() => decodeCursor('not-a-cursor', scope, 'text', 'after')).toThrow(/not valid/);
  });
});

describe('search patterns', () => {
  it('take % _ and \\ literally', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});

describe('secrets stay out of logs', () => {
  it('masks passwords in URLs and key=value text', () => {
    expect(redactSecrets('connecting to postgresql+psycopg://admin:admin123@localhost:5432/db')).toBe(
      'connecting to postgresql+psycopg://admin:***@localhost:5432/db',
    );
    expect(redactSecrets('password=hunter2 user=x')).toBe('password=*** user=x');
    expect(redactSecrets('PGPASSWORD=abc pg_dump')).toBe('PGPASSWORD=*** pg_dump');
  });
});

describe('browser-mode checks', () => {
  const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
  it('accept only our Host and Origin', () => {
    expect(checkOrigin(req({ host: '127.0.0.1:8080' }), 8080)).toBe('ok');
    expect(checkOrigin(req({ host: 'localhost:8080', origin: 'http://localhost:8080' }), 8080)).toBe('ok');
    expect(checkOrigin(req({ host: 'attacker.example:8080' }), 8080)).toBe('bad-host');
    expect(checkOrigin(req({ host: '127.0.0.1:8080', origin: 'http://127.0.0.1:9999' }), 8080)).toBe('bad-origin');
    expect(checkOrigin(req({ host: '127.0.0.1:8080', 'sec-fetch-site': 'cross-site' }), 8080)).toBe('bad-origin');
  });
  it('compare tokens exactly', () => {
    expect(tokenMatches('Bearer abc', 'abc')).toBe(true);
    expect(tokenMatches('Bearer abcd', 'abc')).toBe(false);
    expect(tokenMatches('bearer abc', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
  });
});

describe('control characters', () => {
  it('are trimmed at the ends (a pasted newline) but refused inside', () => {
    expect(nameSchema.parse('Ada\n')).toBe('Ada');
    expect(emailSchema.parse('\tada@example.com\r\n')).toBe('ada@example.com');
    expect(nameSchema.safeParse('A\u0000da').success).toBe(false);
    expect(nameSchema.safeParse('A\tda').success).toBe(false);
  });
});

describe('the log file', () => {
  it('is private, masks secrets, and is moved aside once it grows past the limit', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simple-db-log-'));
    try {
      const file = path.join(dir, 'logs', 'simple-db.log');
      fileLogger(file)('connecting to postgresql://admin:s3cret@db/app');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(file, 'utf8')).toContain('postgresql://admin:***@db/app');
      fs.appendFileSync(file, 'x'.repeat(MAX_LOG_BYTES));
      fileLogger(file)('after restart');
      expect(fs.readFileSync(file, 'utf8')).toMatch(/after restart\n$/);
      expect(fs.statSync(`${file}.1`).size).toBeGreaterThan(MAX_LOG_BYTES);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
