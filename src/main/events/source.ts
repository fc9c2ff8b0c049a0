import type { AppEvent } from '../../shared/contract';
import type { JobRegistry } from '../jobs/registry';
import type { EventBus } from './bus';

/** What a transport streams to a page: live events, and the state a page needs when it connects. */
export interface EventSource {
  subscribe(listener: (event: AppEvent) => void): () => void;
  /** Sent first on every (re)connection, so the page sees the jobs already running. */
  snapshot(): AppEvent[];
}

export function appEventSource(bus: EventBus, jobs: JobRegistry): EventSource {
  return {
    subscribe: (listener) => bus.subscribe(listener),
    snapshot: () => [{ type: 'jobs.snapshot', jobs: jobs.list() }],
  };
}
