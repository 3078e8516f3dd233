/** The global progress bar: one thin bar under the top bar while the core reports running tasks. */
import { useProgress } from '../state/progress';

export const ProgressBar = () => {
  const tasks = useProgress((s) => s.tasks);
  const list = Object.values(tasks);
  if (list.length === 0) return <div className="progress-slot" />;
  const done = list.reduce((a, t) => a + t.done, 0);
  const total = list.reduce((a, t) => a + t.total, 0);
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
  const first = list[0]!;
  const label = first.label ?? first.task;
  const text = `${label}${list.length > 1 ? ` (+${list.length - 1} more)` : ''}${pct !== null ? ` — ${pct}%` : ''}`;
  return (
    <div className="progress-slot">
      <div
        className="progress"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        aria-valuetext={text}
        title={text}
      >
        <div
          className={pct === null ? 'progress-fill indeterminate' : 'progress-fill'}
          style={{ width: `${pct ?? 30}%` }}
        />
      </div>
      <span className="progress-label">{text}</span>
    </div>
  );
};
