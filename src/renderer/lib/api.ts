import { createClient, type ApiClient, type CallMeta, type Transport } from '../../shared/client';
import { contract } from '../../shared/contract';
import { currentConnectionId } from './currentConnection';
import { connection, httpTransport } from './transport';

function transport(): Transport {
  if (connection.kind === 'ipc') {
    const { preload } = connection;
    return (procedure, input, meta) => preload.call(procedure, input, meta);
  }
  return httpTransport(connection.token);
}

/**
 * Answers are checked against the contract's output schema, like events: a reply this window
 * cannot read (another version of Simple DB, a bug) becomes an error it can show, never a crash
 * somewhere deep in a screen.
 */
function checkingOutputs(inner: Transport): Transport {
  return async (procedure, input, meta) => {
    const result = await inner(procedure, input, meta);
    if (!result.ok) return result;
    const parsed = contract[procedure].output.safeParse(result.data);
    if (parsed.success) return { ok: true, data: parsed.data };
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: `Simple DB answered ${procedure} with data this window cannot read. Reload the window; if it persists, restart Simple DB.`,
      },
    };
  };
}

/** Every call says which connection this window shows (absent until known: the app's start connection). */
function callMeta(): CallMeta {
  const connectionId = currentConnectionId();
  return connectionId === null ? {} : { connectionId };
}

/** The renderer's one client, typed from the contract: `api.users.list(input)`. */
export const api: ApiClient = createClient(checkingOutputs(transport()), callMeta);
