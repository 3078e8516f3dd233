import type { EventName, ServerEvents } from '../../shared/contract';

type Listener = (event: EventName, payload: unknown) => void;

/** The core's outgoing event bus; transports forward everything on it to the page. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(event: E, payload: ServerEvents[E]): void {
    for (const l of this.listeners) l(event, payload);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
