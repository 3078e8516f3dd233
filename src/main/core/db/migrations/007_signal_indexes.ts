import type { Migration } from './index';

/**
 * Indexes for reading the risk signals account by account (docs/decisions.md, "Signals read through
 * per-account indexes"): the full rescore joins each account to its records' `(account_id, date)` index and
 * reads only the rows inside the windows, so these make those reads index-only:
 *   usage_periods_window   covers the usage sums (no table lookup per period);
 *   engagements_executive  the latest executive engagement is one seek (executive engagements only).
 * SQLite maintains them on every write path (import, connectors, demo, the API), so nothing else changes.
 */
export const m007SignalIndexes: Migration = {
  version: 7,
  name: '007_signal_indexes',
  up(engine) {
    engine.exec(`
CREATE INDEX usage_periods_window ON usage_periods(account_id, period_start, period_days, active_users, logins,
  key_feature_use, features_adopted);
CREATE INDEX engagements_executive ON engagements(account_id, occurred_at) WHERE is_executive = 1;
`);
  },
};
