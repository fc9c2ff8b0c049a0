import crypto from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ChosenFile } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { sizeText } from '../../shared/size-text';

/** Where browser mode's uploads go, and how a complete one becomes a handle the window can name. */
export interface UploadTarget {
  /** The folder (made 0700 when missing); each upload gets a random name of ours there. */
  dir: string;
  accept(file: { path: string; name: string; size: number }): ChosenFile;
}

export type UploadOutcome =
  | { ok: true; data: ChosenFile }
  /** `bodyUnread`: refused before reading a byte; the server must close the connection (the client may still be sending). */
  | { ok: false; error: ApiError; bodyUnread: boolean };

const NAME_MAX = 255;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** The name as the admin knows it, for display only (the file on disk has a random name): no folders, no control characters. */
export function uploadName(raw: string | null): string | null {
  const name = (raw ?? '').split(/[/\\]/).pop()!.replace(CONTROL_CHARACTERS, '').trim();
  return name ? name.slice(0, NAME_MAX) : null;
}

/** Bytes free to us on the disk that holds `dir` (what an unprivileged writer may use). */
async function freeBytes(dir: string): Promise<number> {
  const stats = await fs.statfs(dir);
  return stats.bavail * stats.bsize;
}

const refuse = (error: ApiError): UploadOutcome => ({ ok: false, error, bodyUnread: true });

/**
 * `POST /upload?name=<file name>` (browser mode's import source): the body is streamed straight to
 * a temporary file (0600), never held in memory. Refused before a byte is written when the size is
 * not declared, is zero, or is more than the disk has free; the partial file is removed when the
 * request breaks off. The caller has already checked the token, Host and Origin.
 */
export async function receiveUpload(request: IncomingMessage, query: URLSearchParams, target: UploadTarget): Promise<UploadOutcome> {
  const name = uploadName(query.get('name'));
  if (!name) return refuse({ code: 'VALIDATION', message: "Upload the file with its name (POST /upload?name=<the file's name>).", field: 'name' });
  const declared = request.headers['content-length'];
  if (declared === undefined) {
    return refuse({
      code: 'VALIDATION',
      message: `${name}: the upload did not say how large it is (Content-Length), so Simple DB cannot check there is room for it. Choose the file again.`,
      field: 'file',
    });
  }
  const size = Number(declared);
  if (size === 0) {
    return refuse({ code: 'VALIDATION', message: `${name} is empty: a CSV file needs a header line and rows. Choose another file.`, field: 'file' });
  }
  await fs.mkdir(target.dir, { recursive: true, mode: 0o700 });
  const free = await freeBytes(target.dir);
  if (size > free) {
    return refuse({
      code: 'STORAGE',
      message: `${name} is ${sizeText(size)}, but the disk that holds Simple DB's data has only ${sizeText(free)} free. Free some space and upload it again.`,
      field: 'file',
    });
  }
  const file = path.join(target.dir, `${crypto.randomBytes(16).toString('hex')}.upload`);
  try {
    await pipeline(request, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    const written = (await fs.stat(file)).size;
    // Node stops at the declared length; fewer bytes means the sender stopped early.
    if (written !== size) throw Object.assign(new Error('short upload'), { code: 'ECONNRESET' });
  } catch (error) {
    await fs.rm(file, { force: true });
    const full = (error as NodeJS.ErrnoException).code === 'ENOSPC';
    return {
      ok: false,
      bodyUnread: false,
      error: full
        ? {
            code: 'STORAGE',
            message: `The disk filled up while ${name} was uploading; nothing was kept. Free some space and upload it again.`,
            field: 'file',
          }
        : {
            code: 'VALIDATION',
            message: `The upload of ${name} broke off before the whole file arrived; nothing was kept. Upload it again.`,
            field: 'file',
          },
    };
  }
  try {
    return { ok: true, data: target.accept({ path: file, name, size }) };
  } catch (error) {
    await fs.rm(file, { force: true });
    throw error;
  }
}
