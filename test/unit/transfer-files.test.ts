import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileHandleSchema } from '../../src/shared/contract';
import { FileHandles, HANDLE_LIFETIME_MS } from '../../src/main/transfer/file-handles';
import { csvField, reportCsv } from '../../src/main/transfer/report-csv';
import { uploadName } from '../../src/main/http/upload';
import { importReport } from '../support/import-report';

describe('file handles', () => {
  it('hands out handles the contract accepts, each for one use, until they expire', async () => {
    let now = 1_000;
    const handles = new FileHandles(() => now);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-handles-'));
    try {
      const upload = path.join(dir, 'a.upload');
      await fs.writeFile(upload, 'email,name\n');
      const chosen = handles.register({ path: upload, name: 'a.csv', size: 11, purpose: 'read', temporary: true });
      expect(fileHandleSchema.safeParse(chosen.handle).success).toBe(true);
      expect(chosen).toMatchObject({ name: 'a.csv', size: 11 });
      expect(handles.resolve(chosen.handle, 'read').path).toBe(upload);
      // A source is not a destination: the page cannot make the app write over what it uploaded.
      expect(() => handles.resolve(chosen.handle, 'write')).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'destination' }));
      now += HANDLE_LIFETIME_MS + 1;
      expect(() => handles.resolve(chosen.handle, 'read')).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'source' }));
      // The expired upload's copy goes with its handle.
      await expect
        .poll(() =>
          fs.access(upload).then(
            () => true,
            () => false,
          ),
        )
        .toBe(false);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('close deletes uploads, never a file the admin chose', async () => {
    const handles = new FileHandles();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-handles-'));
    try {
      const upload = path.join(dir, 'b.upload');
      const chosen = path.join(dir, 'mine.csv');
      await fs.writeFile(upload, 'x');
      await fs.writeFile(chosen, 'x');
      handles.register({ path: upload, name: 'b.csv', size: 1, purpose: 'read', temporary: true });
      handles.register({ path: chosen, name: 'mine.csv', size: 1, purpose: 'read', temporary: false });
      await handles.close();
      expect(await fs.readdir(dir)).toEqual(['mine.csv']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the import report as CSV', () => {
  it('quotes as RFC 4180 says and notes the problems it does not list', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    const text = reportCsv(
      importReport({
        rejected: true,
        problemCount: 1_002,
        problems: [
          { line: 2, column: 'email', value: 'x,"y"', reason: 'Email must look like name@example.com' },
          { line: 3, column: null, value: null, reason: 'Too many fields: 3, the header has 2.' },
        ],
      }),
    );
    expect(text.split('\r\n')).toEqual([
      'line,column,value,reason',
      '2,email,"x,""y""",Email must look like name@example.com',
      '3,,,"Too many fields: 3, the header has 2."',
      ',,,"…and 1,000 more problems not listed: the report lists the first 2. Fix these and import again to see the rest."',
      '',
    ]);
  });
});

describe('upload names', () => {
  it('keep the file name only, for display', () => {
    expect(uploadName('users.csv')).toBe('users.csv');
    expect(uploadName('../../etc/passwd')).toBe('passwd');
    expect(uploadName('C:\\Users\\ann\\users.csv')).toBe('users.csv');
    expect(uploadName('a\u0000b\nc.csv')).toBe('abc.csv');
    expect(uploadName('  ')).toBeNull();
    expect(uploadName(null)).toBeNull();
  });
});
