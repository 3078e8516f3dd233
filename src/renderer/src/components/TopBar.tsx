/** The top bar: which portfolio is open, a clear DEMO label, and the actions that replace the portfolio. */
import { useState } from 'react';
import type { ApiError } from '../../../shared/result';
import { formatDate, formatInt } from '../format';
import { portfolioName, usePortfolio } from '../state/portfolio';
import { ConfirmDialog } from './ConfirmDialog';

type Pending = 'empty' | 'demo' | null;

export const TopBar = () => {
  const { info, error, busy, startEmpty, regenerateDemo } = usePortfolio();
  const [pending, setPending] = useState<Pending>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  const run = async (which: Exclude<Pending, null>) => {
    setPending(null);
    setActionError(null);
    const err = which === 'empty' ? await startEmpty() : await regenerateDemo();
    if (err) setActionError(err);
    else window.location.hash = '/accounts';
  };

  return (
    <header className="topbar">
      <div className="topbar-portfolio">
        {info ? (
          <>
            <span className="portfolio-name" title={info.path ?? undefined}>
              {portfolioName(info)}
            </span>
            {info.kind === 'demo' ? (
              <span
                className="demo-label"
                data-testid="demo-label"
                title="Generated sample data, not real customers"
              >
                DEMO PORTFOLIO
              </span>
            ) : (
              <span className="kind-label">Your data</span>
            )}
            <span className="topbar-meta">
              {formatInt(info.accounts)} accounts
              {info.kind === 'demo' && info.asOf ? ` · story as of ${formatDate(info.asOf)}` : ''}
            </span>
          </>
        ) : error ? (
          <span className="topbar-error" role="alert" title={error.message}>
            Cannot read the portfolio ({error.code})
          </span>
        ) : (
          <span className="muted">Opening portfolio…</span>
        )}
      </div>
      <div className="topbar-actions">
        {busy ? (
          <span className="muted" role="status">
            {busy}
          </span>
        ) : null}
        {actionError ? (
          <span className="topbar-error" role="alert">
            {actionError.message}
          </span>
        ) : null}
        <button
          type="button"
          className="btn btn-small"
          disabled={busy !== null}
          onClick={() => setPending('demo')}
        >
          {info?.kind === 'demo' ? 'Regenerate demo' : 'Open demo portfolio'}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={busy !== null}
          onClick={() => setPending('empty')}
        >
          Start empty portfolio
        </button>
      </div>
      <ConfirmDialog
        open={pending === 'empty'}
        title="Start an empty portfolio?"
        confirmLabel="Start empty portfolio"
        danger
        onConfirm={() => void run('empty')}
        onCancel={() => setPending(null)}
      >
        <p>
          This replaces everything in the open portfolio with an empty one, ready for your own data. The
          current file is kept as a backup (<code>.bak</code>) next to it.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={pending === 'demo'}
        title={
          info?.kind === 'demo' ? 'Regenerate the demo portfolio?' : 'Replace this portfolio with the demo?'
        }
        confirmLabel={info?.kind === 'demo' ? 'Regenerate demo' : 'Open demo portfolio'}
        danger={info?.kind !== 'demo'}
        onConfirm={() => void run('demo')}
        onCancel={() => setPending(null)}
      >
        <p>
          This replaces the open portfolio with freshly generated sample data, anchored to today. The current
          file is kept as a backup (<code>.bak</code>) next to it.
        </p>
      </ConfirmDialog>
    </header>
  );
};
