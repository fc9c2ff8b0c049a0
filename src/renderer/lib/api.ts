import { createClient, type ApiClient, type Transport } from '../../shared/client';
import { connection, httpTransport } from './transport';

function transport(): Transport {
  if (connection.kind === 'ipc') {
    const { preload } = connection;
    return (procedure, input) => preload.call(procedure, input);
  }
  return httpTransport(connection.token);
}

/** The renderer's one client, typed from the contract: `api.users.list(input)`. */
export const api: ApiClient = createClient(transport());
