/**
 * Picks the transport the renderer talks through and builds the one `BellwetherClient` everything else uses.
 *
 * - Electron: the preload exposes `window.bellwether` (invoke + subscribe).
 * - Web mode: HTTP to the loopback server. The per-launch token arrives once in the address (`?token=`); it is
 *   kept in sessionStorage and removed from the address bar so it is not bookmarked or shared by accident.
 *   Calls are `POST /api/call/<name>` with `Authorization: Bearer <token>`; events come from the
 *   server-sent-events stream `GET /api/events?token=<token>`.
 *
 * Either way the answer is a Result; transport failures (network, bad JSON) become Results too, never throws.
 */
import { type BellwetherClient, makeClient, type Transport } from '../../../shared/api';
import type { EventName } from '../../../shared/contract';
import type { Result } from '../../../shared/result';

declare global {
  interface Window {
    bellwether?: Transport;
  }
}

const TOKEN_KEY = 'bellwether.token';
/** Every server event, by name (EventSource needs one listener per name); tsc flags a new event missing here. */
const EVENTS: Record<EventName, true> = { progress: true, 'data.changed': true, notification: true };
const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/** Reads the token from `?token=` (then hides it from the address bar) or from sessionStorage. */
export const takeToken = (): string | null => {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // storage may be disabled; the token still works for this page load
    }
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
};

const transportError = (message: string): Result<never> => ({
  ok: false,
  error: { code: 'internal', message },
});

export const httpTransport = (token: string | null, base = ''): Transport => {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let source: EventSource | null = null;

  const openStream = (): void => {
    if (source || !token) return;
    source = new EventSource(`${base}/api/events?token=${encodeURIComponent(token)}`);
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (e) => {
        let payload: unknown;
        try {
          payload = JSON.parse((e as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const l of listeners) l(name, payload);
      });
    }
  };

  return {
    async invoke(name, args) {
      if (!token) {
        return {
          ok: false,
          error: {
            code: 'unauthorized',
            message:
              'This page has no access token. Open the address printed by `bellwether serve` (it ends in ?token=…).',
          },
        };
      }
      let res: Response;
      try {
        res = await fetch(`${base}/api/call/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(args ?? {}),
        });
      } catch (e) {
        return transportError(`Cannot reach the Bellwether server: ${(e as Error).message}`);
      }
      try {
        return (await res.json()) as Result<unknown>;
      } catch {
        return transportError(`The server answered ${res.status} without a readable result.`);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      openStream();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
};

/** Catches a transport that throws (a bridge failure) and turns it into a Result. */
const guarded = (t: Transport): Transport => ({
  async invoke(name, args) {
    try {
      return await t.invoke(name, args);
    } catch (e) {
      return transportError(`The call ${name} failed: ${(e as Error).message}`);
    }
  },
  subscribe: (listener) => t.subscribe(listener),
});

export const createClient = (): BellwetherClient =>
  makeClient(guarded(window.bellwether ?? httpTransport(takeToken())));
