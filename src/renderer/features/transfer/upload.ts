import { apiErrorSchema, type ApiError, type Result } from '../../../shared/errors';
import { chosenFileSchema, type ChosenFile } from '../../../shared/contract';
import { CONNECTION_HEADER } from '../../../shared/ipc';
import { currentConnectionId } from '../../lib/currentConnection';
import { connection, UNAUTHORIZED } from '../../lib/transport';

const NOT_ANSWERING: ApiError = {
  code: 'CONNECTION',
  message: 'Simple DB is not answering. Is `npm start` still running? Restart it and reload this page.',
};

function unexpectedReply(status: number): ApiError {
  return {
    code: 'INTERNAL',
    message: `Simple DB answered the upload with an unexpected reply (HTTP ${status}). Reload the page; if it persists, restart Simple DB.`,
  };
}

/** Reads `{ ok, data: ChosenFile }` or `{ ok: false, error }` from the server's answer. */
function readReply(status: number, text: string): Result<ChosenFile> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, error: unexpectedReply(status) };
  }
  if (typeof body !== 'object' || body === null) return { ok: false, error: unexpectedReply(status) };
  const { ok, data, error } = body as { ok?: unknown; data?: unknown; error?: unknown };
  if (ok === true) {
    const file = chosenFileSchema.safeParse(data);
    return file.success ? { ok: true, data: file.data } : { ok: false, error: unexpectedReply(status) };
  }
  const parsed = apiErrorSchema.safeParse(error);
  if (!parsed.success) return { ok: false, error: unexpectedReply(status) };
  // The same words as every other call: the server's own name its start-up line.
  return { ok: false, error: parsed.data.code === 'UNAUTHORIZED' ? UNAUTHORIZED : parsed.data };
}

export interface Upload {
  /** Settles once the server has the whole file (or refused it); never rejects. */
  done: Promise<Result<ChosenFile>>;
  /** Stops sending; `done` then answers CANCELLED. */
  abort: () => void;
}

/**
 * Browser mode: sends a file the admin picked to `POST /upload?name=…`, with the same bearer token
 * and connection header as `/api` calls, and hands back the server's handle for it. An
 * XMLHttpRequest rather than fetch: only it reports how much of the body has gone out.
 */
export function uploadFile(file: File, onProgress: (sent: number, total: number) => void): Upload {
  const token = connection.kind === 'http' ? connection.token : null;
  const request = new XMLHttpRequest();
  const done = new Promise<Result<ChosenFile>>((resolve) => {
    if (!token) {
      resolve({ ok: false, error: UNAUTHORIZED });
      return;
    }
    request.open('POST', `/upload?name=${encodeURIComponent(file.name)}`);
    request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.setRequestHeader('Content-Type', 'text/csv');
    const connectionId = currentConnectionId();
    if (connectionId) request.setRequestHeader(CONNECTION_HEADER, connectionId);
    request.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    request.onload = () => resolve(readReply(request.status, request.responseText));
    request.onerror = () => resolve({ ok: false, error: NOT_ANSWERING });
    request.onabort = () => resolve({ ok: false, error: { code: 'CANCELLED', message: 'Upload cancelled.' } });
    request.send(file);
  });
  return { done, abort: () => request.abort() };
}
