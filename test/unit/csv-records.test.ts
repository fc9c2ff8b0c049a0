import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { CsvRecordCounter } from '../../src/main/transfer/csv-records';

async function countRecords(chunks: string[]): Promise<number> {
  const counter = new CsvRecordCounter();
  await pipeline(
    Readable.from(chunks.map((chunk) => Buffer.from(chunk))),
    counter,
    new Writable({ write: (_chunk, _encoding, callback) => callback() }),
  );
  return counter.records;
}

describe('CsvRecordCounter', () => {
  it('counts records, not line feeds: a quoted field may hold line breaks, even across chunks', async () => {
    const csv = 'id,name\n1,plain\n2,"two\nlines"\n3,"quote "" and\nbreak"\n4,last\n';
    expect(await countRecords([csv])).toBe(5);
    for (const size of [1, 3, 8]) {
      const chunks = Array.from({ length: Math.ceil(csv.length / size) }, (_, i) => csv.slice(i * size, (i + 1) * size));
      expect(await countRecords(chunks)).toBe(5);
    }
    expect(await countRecords(['id,name\n1,a\n', '2,b\n3,c\n'])).toBe(4);
  });
});
