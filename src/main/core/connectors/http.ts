/**
 * HTTP for connectors: JSON requests with rate-limit handling (429 + Retry-After), exponential backoff on
 * 5xx, and a clear "offline" outcome when the network is not there. Sleep, fetch and jitter are injectable
 * so tests run instantly. Secrets never appear in errors: callers pass them as `secrets` and they are masked.
 */

export class OfflineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OfflineError';
  }
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export class SyncAborted extends Error {
  constructor() {
    super('the sync was cancelled');
    this.name = 'SyncAborted';
  }
}

export interface HttpOptions {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts after the first for 429 / 5xx (default 5). */
  maxRetries?: number;
  /** Attempts after the first for network errors before going offline (default 2). */
  networkRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest Retry-After honoured; beyond it the request fails (default 10 minutes). */
  maxRetryAfterMs?: number;
  random?: () => number;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Values masked as *** in any error text. */
  secrets?: string[];
  /** Called on every wait (for reports and tests). */
  onRetry?: (info: { url: string; status: number | 'network'; waitMs: number; attempt: number }) => void;
}

export const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const mask = (text: string, secrets: readonly string[] = []): string => {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
};

/** Seconds or an HTTP date -> milliseconds to wait (null when absent or unreadable). */
export const parseRetryAfter = (h: string | null, nowMs: number): number | null => {
  if (!h) return null;
  const t = h.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const d = Date.parse(t);
  return Number.isNaN(d) ? null : Math.max(0, d - nowMs);
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'EPIPE',
]);

const isNetworkError = (e: unknown): boolean => {
  if (!(e instanceof Error)) return false;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return e.name === 'TimeoutError';
  const cause = (e as { cause?: { code?: string } }).cause;
  return (
    e instanceof TypeError ||
    NETWORK_CODES.has(cause?.code ?? '') ||
    NETWORK_CODES.has((e as { code?: string }).code ?? '')
  );
};

export interface JsonRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: unknown;
}

export class Http {
  private readonly f: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  constructor(private readonly opts: HttpOptions = {}) {
    this.f = opts.fetch ?? fetch;
    this.sleep = opts.sleep ?? realSleep;
  }

  /** Counters for the sync report. */
  stats = { requests: 0, retries: 0, rateLimited: 0 };

  async json<T>(req: JsonRequest): Promise<T> {
    const o = this.opts;
    const maxRetries = o.maxRetries ?? 5;
    const netRetries = o.networkRetries ?? 2;
    const base = o.baseDelayMs ?? 500;
    const maxDelay = o.maxDelayMs ?? 60_000;
    const random = o.random ?? Math.random;
    let attempt = 0;
    let netAttempt = 0;
    const safeUrl = mask(req.url, o.secrets);
    for (;;) {
      if (o.signal?.aborted) throw new SyncAborted();
      let res: Response;
      this.stats.requests++;
      try {
        const signals = [o.signal, AbortSignal.timeout(o.timeoutMs ?? 60_000)].filter(
          (s): s is AbortSignal => !!s,
        );
        res = await this.f(req.url, {
          method: req.method ?? 'GET',
          headers: {
            accept: 'application/json',
            ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...req.headers,
          },
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal: AbortSignal.any(signals),
        });
      } catch (e) {
        if (o.signal?.aborted) throw new SyncAborted();
        if (!isNetworkError(e))
          throw new Error(mask(`request to ${safeUrl} failed: ${(e as Error).message}`, o.secrets));
        if (netAttempt >= netRetries) {
          const cause = (e as { cause?: { code?: string } }).cause?.code;
          throw new OfflineError(
            `cannot reach ${new URL(req.url).host}${cause ? ` (${cause})` : ''}; working offline`,
          );
        }
        const wait = Math.min(maxDelay, base * 2 ** netAttempt);
        netAttempt++;
        this.stats.retries++;
        o.onRetry?.({ url: safeUrl, status: 'network', waitMs: wait, attempt: netAttempt });
        await this.sleep(wait);
        continue;
      }
      if (res.ok) {
        const text = await res.text();
        try {
          return (text === '' ? {} : JSON.parse(text)) as T;
        } catch {
          throw new HttpError(
            res.status,
            `${safeUrl} answered with something that is not JSON`,
            text.slice(0, 200),
          );
        }
      }
      const body = mask((await res.text().catch(() => '')).slice(0, 500), o.secrets);
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable || attempt >= maxRetries) {
        const why =
          res.status === 401 || res.status === 403
            ? 'the credentials were refused'
            : res.status === 429
              ? 'still rate-limited after retrying'
              : res.status >= 500
                ? 'the server kept failing'
                : 'the request was refused';
        throw new HttpError(
          res.status,
          `${safeUrl}: HTTP ${res.status}: ${why}${body ? ` — ${body.slice(0, 200)}` : ''}`,
          body,
        );
      }
      let wait: number;
      if (res.status === 429) {
        this.stats.rateLimited++;
        const ra = parseRetryAfter(res.headers.get('retry-after'), Date.now());
        if (ra !== null && ra > (o.maxRetryAfterMs ?? 600_000)) {
          throw new HttpError(
            429,
            `${safeUrl}: rate-limited for ${Math.round(ra / 1000)} s; try again later`,
            body,
          );
        }
        wait = ra ?? Math.min(maxDelay, base * 2 ** attempt);
      } else {
        wait = Math.min(maxDelay, base * 2 ** attempt * (0.5 + random()));
      }
      attempt++;
      this.stats.retries++;
      o.onRetry?.({ url: safeUrl, status: res.status, waitMs: wait, attempt });
      await this.sleep(wait);
    }
  }
}
