import type { ArgsOf, EventName, HandlerName, ResultOf, ServerEvents } from './contract';
import type { Result } from './result';

/**
 * The transport-independent client the renderer uses. In Electron it is backed by the preload bridge; in
 * web mode by HTTP + server-sent events. Both speak exactly this shape.
 */
export interface Transport {
  invoke(name: string, args: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

export interface BellwetherClient {
  call<K extends HandlerName>(name: K, args: ArgsOf<K>): Promise<Result<ResultOf<K>>>;
  on<E extends EventName>(event: E, listener: (payload: ServerEvents[E]) => void): () => void;
}

export const makeClient = (transport: Transport): BellwetherClient => ({
  call: async (name, args) => (await transport.invoke(name, args)) as never,
  on: (event, listener) =>
    transport.subscribe((name, payload) => {
      if (name === event) listener(payload as never);
    }),
});
