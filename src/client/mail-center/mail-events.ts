/**
 * An in-bundle signal for "the user's mail changed here": the mail center fires it after each
 * change it makes, and the top-bar badge listens, so the badge does not wait for the server's
 * WebSocket message or the next 60 s poll.
 */
import { MAIL_CHANGED_MESSAGE } from '../../shared/mail-center-api';

type Listener = () => void;
const listeners = new Set<Listener>();

export function notifyMailChanged(): void {
  for (const listener of [...listeners]) listener();
}

/** Returns the unsubscribe function. */
export function onMailChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The app event under which the server's `mail-changed` WebSocket message arrives. */
export const MAIL_CHANGED_EVENT = `ws:message:${MAIL_CHANGED_MESSAGE}`;

/** The part of NocoBase's app event bus we use (an EventTarget). */
export interface EventBusLike {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
}

/** One subscription made of several (either may be absent); returns the joint unsubscribe. */
export function joinSubscriptions(...sources: (((listener: () => void) => () => void) | undefined)[]) {
  const present = sources.filter(Boolean) as ((listener: () => void) => () => void)[];
  if (!present.length) return undefined;
  return (listener: () => void) => {
    const offs = present.map((subscribe) => subscribe(listener));
    return () => offs.forEach((off) => off());
  };
}
