import type { EventBody } from './events.js';

/** Where components report what happened. The sim and the live watchers write through the same interface. */
export interface Recorder {
  emit(body: EventBody): void;
}
