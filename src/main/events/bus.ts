import type { AppEvent } from '../../shared/contract';
import type { Logger } from '../log/logger';

export type EventListener = (event: AppEvent) => void;

/**
 * The typed event bus: features emit, transports (the IPC event channel, browser mode's /events)
 * subscribe. A listener that throws (a window being torn down, a closed socket) is logged and never
 * stops the others or the emitter.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly log: Logger = () => {}) {}

  emit(event: AppEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.log(`an event listener failed on ${event.type}: ${(error as Error).message}`);
      }
    }
  }

  /** Returns the way to stop listening; calling it twice is harmless. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
