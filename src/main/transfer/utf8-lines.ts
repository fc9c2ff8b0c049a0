import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';

const NEWLINE = 0x0a;

/**
 * Passes a file's bytes on to the CSV parser whole lines at a time (so a character is never cut in
 * two) and notes every physical line that is not valid UTF-8 instead of stopping at the first: the
 * report can then name each bad line, as it does for any other fault. The parser decodes such
 * bytes as U+FFFD; the import never writes a record from a noted line.
 */
export class Utf8Lines extends Transform {
  /** Bytes read so far (progress against the file's size). */
  bytes = 0;
  private carry: Buffer = Buffer.alloc(0);
  /** The next physical line's number. */
  private line = 1;
  private readonly badLines = new Set<number>();

  /** Whether any physical line from `first` to `last` held bytes that are not UTF-8; forgets them (records come in order). */
  takeBadLines(first: number, last: number): boolean {
    if (this.badLines.size === 0) return false;
    let bad = false;
    for (let line = first; line <= last; line++) if (this.badLines.delete(line)) bad = true;
    return bad;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let end = data.lastIndexOf(NEWLINE) + 1;
    // A line longer than a chunk (or a file without \n at all) is passed on at a character's
    // boundary instead of being carried whole: carrying it would copy it again with every chunk.
    if (end === 0) end = characterBoundary(data);
    this.carry = Buffer.from(data.subarray(end));
    if (end > 0) this.pushLines(data.subarray(0, end));
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.carry.length) this.pushLines(this.carry);
    callback();
  }

  private pushLines(lines: Buffer): void {
    if (!isUtf8(lines)) this.noteBadLines(lines);
    else this.line += countNewlines(lines);
    this.push(lines);
  }

  /** The slow path, for a block that holds bad bytes: which of its lines. */
  private noteBadLines(lines: Buffer): void {
    let start = 0;
    while (start < lines.length) {
      const newline = lines.indexOf(NEWLINE, start);
      const end = newline === -1 ? lines.length : newline + 1;
      if (!isUtf8(lines.subarray(start, end))) this.badLines.add(this.line);
      if (newline !== -1) this.line++;
      start = end;
    }
  }
}

function countNewlines(buffer: Buffer): number {
  let count = 0;
  for (let at = buffer.indexOf(NEWLINE); at !== -1; at = buffer.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/** Where `buffer` may be cut without splitting a UTF-8 character: before a last, incomplete one. */
function characterBoundary(buffer: Buffer): number {
  // Back over continuation bytes (10xxxxxx) to the last lead byte, at most 3.
  let lead = buffer.length - 1;
  while (lead > 0 && buffer.length - lead < 4 && (buffer[lead]! & 0xc0) === 0x80) lead--;
  const byte = buffer[lead] ?? 0;
  const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
  return lead + length <= buffer.length ? buffer.length : lead;
}
