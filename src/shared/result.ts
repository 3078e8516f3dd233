/** What crosses every process boundary: a value or an error, never a thrown exception. */
export type ApiErrorCode =
  | 'unknown_handler'
  | 'invalid_arguments'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'storage'
  | 'internal';

export interface ApiError {
  code: ApiErrorCode;
  message: string;
  /** Where the problem is, e.g. the argument path `filter.segment` or a file position. */
  where?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ApiErrorCode, message: string, where?: string): Result<never> => ({
  ok: false,
  error: where === undefined ? { code, message } : { code, message, where },
});

/** An error a handler may throw on purpose; the dispatcher turns it into a Result. */
export class CoreError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly where?: string,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}
