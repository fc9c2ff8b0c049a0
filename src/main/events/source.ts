import type { AppEvent } from '../../shared/contract';
import type { ConnectionManager } from '../connections/manager';
import type { JobRegistry } from '../jobs/registry';
import type { EventBus } from './bus';

/** What a transport streams to a page: live events, and the state a page needs when it connects. */
export interface EventSource {
  subscribe(listener: (event: AppEvent) => void): () => void;
  /** Sent first on every (re)connection, so the page sees the jobs already running and each connection's state. */
  snapshot(): AppEvent[];
}

export function appEventSource(bus: EventBus, jobs: JobRegistry, connections: ConnectionManager): EventSource {
  return {
    subscribe: (listener) => bus.subscribe(listener),
    snapshot: () => [
      { type: 'jobs.snapshot', jobs: jobs.list() },
      ...connections
        .list()
        .map((connection): AppEvent => ({ type: 'connection.state', connectionId: connection.id, ...connections.state(connection.id) })),
    ],
  };
}
