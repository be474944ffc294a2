import type { EventBody } from './events.js';

/** Where components report what happened. The sim and the live watchers write through the same interface. */
export interface Recorder {
  /**
   * Records `body` at the clock's time, or at `atMs` when what it reports began before it could be known: a traffic
   * sample measured over a window is stamped with the window's start, as the sim stamps it.
   */
  emit(body: EventBody, atMs?: number): void;
}
