import type { EventSource } from '../events/source';
import { IPC_EVENT_CHANNEL } from '../../shared/ipc';

/** The slice of Electron's WebContents that event forwarding uses, so it is tested without Electron. */
export interface EventTarget {
  isDestroyed(): boolean;
  getURL(): string;
  send(channel: string, payload: unknown): void;
  on(event: 'did-finish-load', listener: () => void): unknown;
  off(event: 'did-finish-load', listener: () => void): unknown;
  once(event: 'destroyed', listener: () => void): unknown;
}

/**
 * Events go to our page on one channel, and only while it shows our page (never to something it
 * was navigated to). A page that loads or reloads first gets the snapshot of running jobs; a
 * window that is destroyed stops receiving with it.
 */
export function forwardEvents(contents: EventTarget, source: EventSource, rendererUrl: string): () => void {
  const showsOurPage = () => !contents.isDestroyed() && contents.getURL().split(/[?#]/)[0] === rendererUrl;
  const send = (event: unknown) => {
    if (showsOurPage()) contents.send(IPC_EVENT_CHANNEL, event);
  };
  const sendSnapshot = () => source.snapshot().forEach(send);
  contents.on('did-finish-load', sendSnapshot);
  const unsubscribe = source.subscribe(send);
  contents.once('destroyed', unsubscribe);
  return () => {
    unsubscribe();
    if (!contents.isDestroyed()) contents.off('did-finish-load', sendSnapshot);
  };
}
