/**
 * The escalation brief and the editable action plan of one account. Every statement shows its sources as
 * numbered chips (click: the source list entry); the plan is edited in place and each save is a new version.
 * Route: `/accounts/:id/brief`.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import type {
  Brief,
  BriefItem,
  PlanBody,
  PlanDiff,
  PlanTask,
  PlanVersion,
  PlanVersionInfo,
} from '../../../shared/brief-types';
import type { briefContract } from '../../../shared/contracts/brief';
import type { ApiError, Result } from '../../../shared/result';
import { api } from '../api/client';
import { ErrorState, Loading } from '../components/StateViews';
import { formatDate } from '../format';
import { href } from '../router';

type BC = typeof briefContract;
/** Typed calls to the brief contract (works whether or not the entries are spread into the main contract yet). */
const call = <K extends keyof BC>(name: K, args: z.input<BC[K]['args']>): Promise<Result<BC[K]['result']>> =>
  (api.call as unknown as (n: string, a: unknown) => Promise<Result<BC[K]['result']>>)(name, args);

const AUTHOR_KEY = 'bellwether.author';
const ROLE: Record<string, string> = {
  csm: 'CSM',
  technical: 'Technical lead',
  cs_leader: 'CS leader',
  executive: 'Executive',
  account_executive: 'Account executive',
};

const download = (base64: string, name: string, type: string) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};

/** Numbers each cited record once, in order of first appearance on the page. */
const useSourceNumbers = (brief: Brief | null) =>
  useMemo(() => {
    const n = new Map<string, number>();
    for (const s of brief?.sources ?? []) n.set(s.ref, n.size + 1);
    return n;
  }, [brief]);

const Cites = ({ refs, numbers }: { refs: string[]; numbers: Map<string, number> }) => {
  if (refs.length === 0) return null;
  const nums = [...new Set(refs.map((r) => numbers.get(r)).filter((x): x is number => x !== undefined))].sort(
    (a, b) => a - b,
  );
  return (
    <span className="cites">
      {nums.map((n) => (
        <button
          key={n}
          type="button"
          className="btn-link cite"
          title={`Source ${n}`}
          onClick={() =>
            document.getElementById(`brief-src-${n}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' })
          }
        >
          [{n}]
        </button>
      ))}
    </span>
  );
};

const itemKey = (i: BriefItem): string => `${i.text}|${i.citations.join(',')}`;

const Item = ({ item, numbers }: { item: BriefItem; numbers: Map<string, number> }) => (
  <li
    className={
      item.kind === 'empty' || item.kind === 'note' ? 'muted' : item.emphasis ? 'fact-strong' : undefined
    }
  >
    {item.kind === 'empty' || item.kind === 'note' ? <em>{item.text}</em> : item.text}{' '}
    <Cites refs={item.citations} numbers={numbers} />
  </li>
);

const BriefView = ({ brief, numbers }: { brief: Brief; numbers: Map<string, number> }) => (
  <div className="brief">
    <p className="card fact-strong" data-testid="brief-headline">
      {brief.headline.text} <Cites refs={brief.headline.citations} numbers={numbers} />
    </p>
    {brief.narrative ? (
      <section className="card">
        <h2 className="card-title">Summary (drafted by the local model)</h2>
        <p>{brief.narrative.text}</p>
        <p className="muted small">
          Model {brief.narrative.model}; drafted from the facts below. Check before sharing.
        </p>
      </section>
    ) : null}
    {brief.sections.map((s) => (
      <section key={s.id} className="card" aria-labelledby={`brief-${s.id}`}>
        <h2 id={`brief-${s.id}`} className="card-title">
          {s.title}
        </h2>
        <ul>
          {s.items.map((i) => (
            <Item key={itemKey(i)} item={i} numbers={numbers} />
          ))}
        </ul>
      </section>
    ))}
    <section className="card" aria-labelledby="brief-sources">
      <h2 id="brief-sources" className="card-title">
        Sources
      </h2>
      <ol className="small">
        {brief.sources.map((s, k) => (
          <li key={s.ref} id={`brief-src-${k + 1}`}>
            <code>{s.ref}</code> {s.label}
          </li>
        ))}
      </ol>
    </section>
  </div>
);

const DiffView = ({ diff }: { diff: PlanDiff }) => (
  <div className="card small" data-testid="plan-diff">
    <h3>
      Changes from version {diff.from} to {diff.to}
    </h3>
    <ul>
      {diff.prose
        .filter((l) => l.op !== 'same')
        .map((l) => (
          <li key={`${l.op}:${l.text}`} className={l.op === 'add' ? 'badge-pos' : 'badge-neg'}>
            {l.op === 'add' ? '+ ' : '- '}
            {l.text}
          </li>
        ))}
      {diff.tasksAdded.map((t) => (
        <li key={`a-${t.id}`}>+ task: {t.title}</li>
      ))}
      {diff.tasksRemoved.map((t) => (
        <li key={`r-${t.id}`}>- task: {t.title}</li>
      ))}
      {diff.tasksChanged.map((t) => (
        <li key={`c-${t.id}`}>
          task {t.id}: {t.changes.map((c) => `${c.field} ${String(c.from)} → ${String(c.to)}`).join('; ')}
        </li>
      ))}
    </ul>
  </div>
);

const PlanView = ({
  accountId,
  plan,
  versions,
  author,
  numbers,
  onError,
}: {
  accountId: number;
  plan: PlanVersion;
  versions: PlanVersionInfo[];
  author: string;
  numbers: Map<string, number>;
  onError: (e: ApiError) => void;
}) => {
  const [draft, setDraft] = useState<PlanBody>(plan.body);
  const [diff, setDiff] = useState<PlanDiff | null>(null);
  useEffect(() => setDraft(plan.body), [plan]);
  const dirty = JSON.stringify(draft) !== JSON.stringify(plan.body);
  const setTask = (id: string, patch: Partial<PlanTask>) =>
    setDraft((d) => ({ ...d, tasks: d.tasks.map((t) => (t.id === id ? { ...t, ...patch } : t)) }));
  const save = async () => {
    const r = await call('plan.save', { accountId, author, baseVersion: plan.version, body: draft });
    if (!r.ok) onError(r.error);
  };
  const tick = async (t: PlanTask) => {
    const r = await call('plan.tickTask', { accountId, taskId: t.id, done: !t.done, author });
    if (!r.ok) onError(r.error);
  };
  const compare = async (from: number, to: number) => {
    const r = await call('plan.diff', { accountId, from, to });
    if (r.ok) setDiff(r.value);
    else onError(r.error);
  };
  const b = draft;
  return (
    <div className="plan">
      <p className="muted small">
        Version {plan.version}, saved by {plan.author} on {formatDate(plan.createdAt)}. Internal draft: the
        account team holds the customer conversations.
      </p>
      <section className="card">
        <h2 className="card-title">Root-cause hypothesis</h2>
        <ul>
          <Item item={b.rootCause.hypothesis} numbers={numbers} />
          {b.rootCause.evidence.map((e) => (
            <Item key={itemKey(e)} item={e} numbers={numbers} />
          ))}
        </ul>
      </section>
      <section className="card">
        <h2 className="card-title">Strategies (prioritized)</h2>
        {b.strategies.length === 0 ? (
          <p className="muted">No strategies proposed: no risk signals to address.</p>
        ) : null}
        <ol>
          {b.strategies.map((s) => (
            <li key={s.strategyId}>
              <strong>{s.name}</strong>{' '}
              <span className="tag">
                {s.uses
                  ? `${s.successes}/${s.uses} similar cases saved (${Math.round((s.successRate ?? 0) * 100)}%)`
                  : 'no similar cases'}
                {s.smallSample ? ', small sample' : ''}
              </span>{' '}
              {s.rationale.text}
            </li>
          ))}
        </ol>
      </section>
      <section className="card">
        <h2 className="card-title">People</h2>
        <ul>
          {b.people.map((p) => (
            <li key={p.role}>
              <strong>{ROLE[p.role] ?? p.role}:</strong> {p.name ?? 'unassigned'}{' '}
              <span className="muted small">{p.why}</span>
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <h2 className="card-title">Timeline</h2>
        <ul className="plan-tasks">
          {b.tasks.map((t) => (
            <li key={t.id}>
              <label>
                <input type="checkbox" checked={t.done} disabled={dirty} onChange={() => void tick(t)} /> done
              </label>{' '}
              <input
                type="date"
                aria-label={`Due date of ${t.title}`}
                value={t.due}
                onChange={(e) => setTask(t.id, { due: e.target.value })}
              />{' '}
              <input
                aria-label="Task"
                value={t.title}
                size={60}
                onChange={(e) => setTask(t.id, { title: e.target.value })}
              />{' '}
              <span className="muted small">
                {t.ownerName ? `${t.ownerName} (${ROLE[t.ownerRole ?? ''] ?? ''})` : 'unassigned'}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <h2 className="card-title">Talking points (internal preparation)</h2>
        <ul>
          {b.talkingPoints.map((t) => (
            <Item key={itemKey(t)} item={t} numbers={numbers} />
          ))}
        </ul>
      </section>
      <section className="card">
        <h2 className="card-title">Notes</h2>
        <textarea
          aria-label="Plan notes"
          rows={5}
          style={{ width: '100%' }}
          value={b.notes}
          onChange={(e) => setDraft((d) => ({ ...d, notes: e.target.value }))}
        />
        <div className="toolbar">
          <button type="button" className="btn btn-primary" disabled={!dirty} onClick={() => void save()}>
            Save as version {plan.version + 1}
          </button>
          <button type="button" className="btn" disabled={!dirty} onClick={() => setDraft(plan.body)}>
            Discard changes
          </button>
        </div>
      </section>
      <section className="card">
        <h2 className="card-title">Versions</h2>
        <ul>
          {versions.map((v) => (
            <li key={v.version}>
              v{v.version} by {v.author}, {formatDate(v.createdAt)} ({v.tasksDone}/{v.tasksTotal} tasks done){' '}
              {v.version > 1 ? (
                <button
                  type="button"
                  className="btn btn-link"
                  onClick={() => void compare(v.version - 1, v.version)}
                >
                  compare with v{v.version - 1}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        {diff ? <DiffView diff={diff} /> : null}
      </section>
    </div>
  );
};

export const BriefPage = ({ id }: { id: number }) => {
  const [brief, setBrief] = useState<Brief | null>(null);
  const [plan, setPlan] = useState<PlanVersion | null>(null);
  const [versions, setVersions] = useState<PlanVersionInfo[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [tab, setTab] = useState<'brief' | 'plan'>('brief');
  const [author, setAuthor] = useState(() => localStorage.getItem(AUTHOR_KEY) ?? '');
  const numbers = useSourceNumbers(brief);

  const load = useCallback(async () => {
    const [b, p, v] = await Promise.all([
      call('brief.get', { accountId: id }),
      call('plan.get', { accountId: id }),
      call('plan.versions', { accountId: id }),
    ]);
    if (!b.ok) return setError(b.error);
    setBrief(b.value);
    if (p.ok) setPlan(p.value);
    if (v.ok) setVersions(v.value);
  }, [id]);
  useEffect(() => {
    void load();
    return api.on('data.changed', (e) => {
      if (e.entities.includes('*') || e.entities.includes('action_plans') || e.accountIds?.includes(id))
        void load();
    });
  }, [id, load]);

  const exportAs = async (format: 'md' | 'pdf') => {
    const r = await call('brief.export', { accountId: id, format, withPlan: plan !== null });
    if (!r.ok) return setError(r.error);
    download(
      r.value.base64 ?? '',
      `brief-${id}.${format}`,
      format === 'pdf' ? 'application/pdf' : 'text/markdown',
    );
  };
  const draftProse = async () => {
    const r = await call('brief.draft', { accountId: id });
    if (r.ok) setBrief(r.value);
    else setError(r.error);
  };
  const generate = async () => {
    const r = await call('plan.generate', { accountId: id, author });
    if (!r.ok) setError(r.error);
  };

  if (!brief && error)
    return <ErrorState title="The brief could not be built" error={error} onRetry={() => void load()} />;
  if (!brief) return <Loading what="brief" />;
  return (
    <div className="page brief-page">
      <a className="back-link" href={href(`/accounts/${id}`)}>
        ← {brief.accountName}
      </a>
      <header className="page-header">
        <h1>{brief.title}</h1>
        <span className="muted small">as of {formatDate(brief.asOf)}</span>
      </header>
      <div className="toolbar">
        <button
          type="button"
          className={tab === 'brief' ? 'btn btn-primary' : 'btn'}
          onClick={() => setTab('brief')}
        >
          Brief
        </button>
        <button
          type="button"
          className={tab === 'plan' ? 'btn btn-primary' : 'btn'}
          onClick={() => setTab('plan')}
        >
          Action plan{plan ? ` (v${plan.version})` : ''}
        </button>
        <button type="button" className="btn" onClick={() => void exportAs('md')}>
          Export Markdown
        </button>
        <button type="button" className="btn" onClick={() => void exportAs('pdf')}>
          Export PDF
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => void draftProse()}
          title="Uses the local model configured in Settings"
        >
          Draft summary (local model)
        </button>
        <label className="field-inline">
          Your name{' '}
          <input
            value={author}
            onChange={(e) => {
              setAuthor(e.target.value);
              localStorage.setItem(AUTHOR_KEY, e.target.value);
            }}
          />
        </label>
      </div>
      {error ? (
        <p className="error-message" role="alert">
          {error.message}{' '}
          <button type="button" className="btn btn-link" onClick={() => setError(null)}>
            dismiss
          </button>
        </p>
      ) : null}
      {tab === 'brief' ? <BriefView brief={brief} numbers={numbers} /> : null}
      {tab === 'plan' && !plan ? (
        <div className="card">
          <p>No action plan yet for this account.</p>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!author.trim()}
            onClick={() => void generate()}
          >
            Generate a plan
          </button>
          {!author.trim() ? (
            <p className="muted small">Enter your name first: every version records its author.</p>
          ) : null}
        </div>
      ) : null}
      {tab === 'plan' && plan ? (
        <PlanView
          accountId={id}
          plan={plan}
          versions={versions}
          author={author.trim() || 'unknown'}
          numbers={numbers}
          onError={setError}
        />
      ) : null}
    </div>
  );
};
