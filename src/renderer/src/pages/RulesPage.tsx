import type { ReactNode } from 'react';
/**
 * Threshold rules: edit (JSON, validated as you go), backtest on the stored history (numbers and a monthly
 * chart), then switch on. Each save is a new version; flags record the version that raised them.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import type { BacktestResult, RuleProblem, RuleRow } from '../../../shared/risk-types';
import { api } from '../api/client';
import { useCall } from '../api/useCall';
import { NUM_STYLE, TABLE_STYLE, TD_STYLE, TH_STYLE } from '../components/RiskBadges';
import { ErrorState, Loading } from '../components/StateViews';
import { formatDate } from '../format';

const BacktestView = lazy(() =>
  import('../components/BacktestView').then((m) => ({ default: m.BacktestView })),
);

const NEW_RULE = JSON.stringify(
  {
    name: 'New rule',
    scope: { segments: ['enterprise'] },
    match: 'all',
    conditions: [
      { signal: 'usage_drop_30d', op: '>=', value: 40 },
      { signal: 'negative_tickets', op: '>=', value: 2 },
    ],
    cooldownDays: 30,
  },
  null,
  2,
);

const RuleEditor = ({ rule, onSaved }: { rule: RuleRow | null; onSaved: (r: RuleRow) => void }) => {
  const [text, setText] = useState(rule ? JSON.stringify(rule.definition, null, 2) : NEW_RULE);
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const [parseError, setParseError] = useState<string | null>(null);
  const [bt, setBt] = useState<BacktestResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [who, setWho] = useState(() => localStorage.getItem('bellwether.decider') ?? '');

  useEffect(() => {
    setText(rule ? JSON.stringify(rule.definition, null, 2) : NEW_RULE);
    setBt(null);
  }, [rule]);

  useEffect(() => {
    let cancelled = false;
    const t = setTimeout(async () => {
      let def: unknown;
      try {
        def = JSON.parse(text);
        setParseError(null);
      } catch (e) {
        setParseError((e as Error).message);
        return;
      }
      const r = await api.call('risk.rules.validate', { definition: def });
      if (!cancelled && r.ok) setProblems(r.value.problems);
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [text]);

  const valid = !parseError && problems.length === 0;
  const definition = () => JSON.parse(text) as unknown;
  return (
    <section className="card" aria-labelledby="rule-editor-title" data-testid="rule-editor">
      <h2 id="rule-editor-title" className="card-title">
        {rule ? `${rule.name} (version ${rule.version})` : 'New rule'}
      </h2>
      <p className="muted small">
        Conditions: <code>{'{ "signal", "op", "value" }'}</code> or a group{' '}
        <code>{'{ "match": "all" | "any", "conditions": [...] }'}</code>. Scope: segments, tiers, minArr,
        maxArr. No new flag for the same account within <code>cooldownDays</code>.
      </p>
      <textarea
        aria-label="Rule definition (JSON)"
        data-testid="rule-json"
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
        rows={16}
        style={{ width: '100%', fontFamily: 'ui-monospace, monospace', fontSize: 12 }}
      />
      {parseError ? <p className="error-message">JSON: {parseError}</p> : null}
      {problems.length > 0 ? (
        <ul className="error-message small" data-testid="rule-problems">
          {problems.map((p) => (
            <li key={`${p.path}:${p.message}`}>
              <code>{p.path}</code>: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="toolbar">
        <button
          type="button"
          className="btn"
          disabled={!valid || busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            const r = await api.call('risk.rules.backtest', { definition: definition() });
            setBusy(false);
            if (r.ok) setBt({ ...r.value, rule: { ...r.value.rule, version: rule?.version ?? null } });
            else setError(r.error.message);
          }}
        >
          {busy ? 'Backtesting…' : 'Backtest on history'}
        </button>
        <label className="field-inline">
          Your name <input value={who} onChange={(e) => setWho(e.target.value)} />
        </label>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!valid}
          onClick={async () => {
            const r = await api.call('risk.rules.save', {
              ...(rule ? { id: rule.id } : {}),
              definition: definition(),
              ...(who.trim() ? { updatedBy: who } : {}),
            });
            if (r.ok) onSaved(r.value);
            else setError(r.error.message);
          }}
        >
          {rule ? 'Save as new version' : 'Create rule (off)'}
        </button>
        {error ? <span className="error-message">{error}</span> : null}
      </div>
      {bt ? (
        <Suspense fallback={<Loading what="chart" />}>
          <BacktestView r={bt} />
        </Suspense>
      ) : null}
    </section>
  );
};

export const RulesPage = () => {
  const rules = useCall('risk.rules.list', {}, { entities: ['risk_rules', 'risk_flags', '*'] });
  const [selected, setSelected] = useState<number | 'new' | null>(null);
  const shell = (body: ReactNode) => (
    <div className="page" data-testid="rules-page">
      <header className="page-header">
        <h1>Threshold rules</h1>
      </header>
      {body}
    </div>
  );
  if (rules.status === 'error')
    return shell(<ErrorState title="Rules could not be loaded" error={rules.error} onRetry={rules.reload} />);
  const list = rules.status === 'ok' ? rules.value : rules.previous;
  if (!list) return shell(<Loading what="rules" />);
  const rule = typeof selected === 'number' ? (list.find((r) => r.id === selected) ?? null) : null;
  return (
    <div className="page" data-testid="rules-page">
      <header className="page-header">
        <h1>Threshold rules</h1>
        <button type="button" className="btn" onClick={() => setSelected('new')}>
          New rule
        </button>
      </header>
      <table style={TABLE_STYLE} aria-label="Rules">
        <thead>
          <tr>
            <th style={TH_STYLE}>On</th>
            <th style={TH_STYLE}>Rule</th>
            <th style={{ ...TH_STYLE, textAlign: 'right' }}>Version</th>
            <th style={{ ...TH_STYLE, textAlign: 'right' }}>Open flags</th>
            <th style={TH_STYLE}>Updated</th>
            <th style={TH_STYLE} aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr key={r.id} data-testid="rule-row">
              <td style={TD_STYLE}>
                <input
                  type="checkbox"
                  aria-label={`Rule ${r.name} enabled`}
                  checked={r.enabled}
                  onChange={async (e) => {
                    await api.call('risk.rules.enable', { id: r.id, enabled: e.target.checked });
                    rules.reload();
                  }}
                />
              </td>
              <td style={TD_STYLE}>
                {r.name}
                {r.definition.description ? (
                  <div className="muted small">{r.definition.description}</div>
                ) : null}
              </td>
              <td style={NUM_STYLE}>{r.version}</td>
              <td style={NUM_STYLE}>{r.openFlags}</td>
              <td style={TD_STYLE} className="small">
                {formatDate(r.updatedAt)}
                {r.updatedBy ? ` by ${r.updatedBy}` : ''}
              </td>
              <td style={TD_STYLE}>
                <button type="button" className="btn btn-small" onClick={() => setSelected(r.id)}>
                  Edit / backtest
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected !== null ? (
        <RuleEditor
          rule={rule}
          onSaved={(r) => {
            setSelected(r.id);
            rules.reload();
          }}
        />
      ) : null}
    </div>
  );
};
