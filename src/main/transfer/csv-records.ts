import { Transform, type TransformCallback } from 'node:stream';

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * Passes CSV bytes through unchanged while counting its records: a newline ends a record only
 * outside quotes (RFC 4180 lets a quoted field hold line breaks; an escaped quote is two quotes,
 * which toggle the state twice). Counting bytes, not parsing fields, keeps COPY's speed.
 */
export class CsvRecordCounter extends Transform {
  records = 0;
  bytes = 0;
  private quoted = false;

  constructor(private readonly onChunk: (counter: CsvRecordCounter) => void = () => undefined) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let quoted = this.quoted;
    let records = 0;
    if (!quoted && chunk.indexOf(QUOTE) === -1) {
      // Most chunks hold no quoted field at all: count line feeds with the native search.
      for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) records++;
    } else {
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i];
        if (byte === QUOTE) quoted = !quoted;
        else if (byte === NEWLINE && !quoted) records++;
      }
    }
    this.quoted = quoted;
    this.records += records;
    this.bytes += chunk.length;
    this.onChunk(this);
    callback(null, chunk);
  }
}
