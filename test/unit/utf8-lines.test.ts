import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Utf8Lines } from '../../src/main/transfer/utf8-lines';

/** Runs `chunks` through Utf8Lines; what came out, and which lines were noted as not UTF-8. */
async function through(chunks: Buffer[], lines: number): Promise<{ out: Buffer; bad: number[]; outChunks: number }> {
  const check = new Utf8Lines();
  const parts: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    check,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        parts.push(chunk);
        callback();
      },
    }),
  );
  const bad = Array.from({ length: lines }, (_, i) => i + 1).filter((line) => check.takeBadLines(line, line));
  return { out: Buffer.concat(parts), bad, outChunks: parts.length };
}

describe('Utf8Lines', () => {
  it('passes the bytes on unchanged and names each line that is not UTF-8, however the chunks fall', async () => {
    const text = Buffer.concat([Buffer.from('a,b\nzoë,ok\nbad,'), Buffer.from([0xeb]), Buffer.from('\n日本,ok\nlast,'), Buffer.from([0xff])]);
    for (const size of [1, 2, 3, 7, text.length]) {
      const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.subarray(i * size, (i + 1) * size));
      const { out, bad } = await through(chunks, 5);
      expect(out.equals(text)).toBe(true);
      expect(bad).toEqual([3, 5]);
    }
  });

  it('a line longer than a chunk goes on in pieces cut between characters, not carried whole', async () => {
    const line = Buffer.from('日本語'.repeat(100_000)); // 900 kB, three bytes a character, no newline
    const chunks = Array.from({ length: Math.ceil(line.length / 65_536) }, (_, i) => line.subarray(i * 65_536, (i + 1) * 65_536));
    const { out, bad, outChunks } = await through(chunks, 1);
    expect(out.equals(line)).toBe(true);
    expect(bad).toEqual([]);
    expect(outChunks).toBeGreaterThan(chunks.length / 2);
  });
});
