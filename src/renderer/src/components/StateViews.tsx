/** Plain loading, empty and error states used by every page. */
import type { ReactNode } from 'react';
import type { ApiError } from '../../../shared/result';

export const Loading = ({ what }: { what: string }) => (
  <div className="state state-loading" role="status" aria-live="polite">
    <span className="spinner" aria-hidden="true" />
    Loading {what}…
  </div>
);

export const ErrorState = ({
  title,
  error,
  onRetry,
}: {
  title: string;
  error: ApiError;
  onRetry?: () => void;
}) => (
  <div className="state state-error" role="alert">
    <h2>{title}</h2>
    <p className="error-message">{error.message}</p>
    <p className="muted small">
      Code: <code>{error.code}</code>
      {error.where ? (
        <>
          {' '}
          · at <code>{error.where}</code>
        </>
      ) : null}
    </p>
    {onRetry ? (
      <button type="button" className="btn" onClick={onRetry}>
        Try again
      </button>
    ) : null}
  </div>
);

export const EmptyState = ({ title, children }: { title: string; children?: ReactNode }) => (
  <div className="state state-empty">
    <h2>{title}</h2>
    {children}
  </div>
);
