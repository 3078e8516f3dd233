import type { ModelComparison, ModelHorizon, ModelVersionRow } from '../../shared/contracts/ml';
import { Flags, UsageError } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags, printJson } from '../open';

const fmt = (v: number | null, d = 3): string => (v === null ? 'n/a' : v.toFixed(d));

/** --horizon 30|60|90 (the model's escalation window in days). */
export const horizonFlag = (f: Flags, command: string): ModelHorizon | undefined => {
  const h = f.int('horizon');
  if (h === undefined) return undefined;
  if (h !== 30 && h !== 60 && h !== 90) throw new UsageError(`${command}: --horizon must be 30, 60 or 90`);
  return h;
};

export const versionLine = (m: ModelVersionRow): string =>
  `v${m.version} (${m.kind}, id ${m.id}${m.active ? ', active' : ''}): AUC ${fmt(m.auc)}, Brier ${fmt(m.brier)}, precision@budget ${fmt(m.precisionAtBudget)}, recall@budget ${fmt(m.recallAtBudget)}, lift ${fmt(m.liftAtBudget, 2)}, median lead ${m.medianLeadTimeDays === null ? 'n/a' : `${m.medianLeadTimeDays} d`}`;

export const comparisonLines = (c: ModelComparison): string[] => [
  c.summary,
  ...c.deltas.map(
    (d) =>
      `  ${d.metric}: ${fmt(d.a)} → ${fmt(d.b)}${d.delta === null ? '' : ` (${d.delta >= 0 ? '+' : ''}${d.delta.toFixed(3)})`}`,
  ),
];

export const modelTrainCommand: CliCommand = {
  summary:
    "Train a new version of the escalation model on the portfolio's own history (time-based test, calibrated), activate it when it is at least as good as the active one, and compare it with the previous version.",
  usage: 'bellwether model train --db FILE [--horizon 30|60|90] [--kind best|logistic|gbt] [--json]',
  async run(args, io) {
    const f = new Flags('model train', args);
    const json = f.bool('json');
    const horizonDays = horizonFlag(f, 'model train');
    const kind = f.string('kind');
    if (kind !== undefined && kind !== 'best' && kind !== 'logistic' && kind !== 'gbt')
      throw new UsageError('model train: --kind must be best, logistic or gbt');
    const core = await openCoreFromFlags(f);
    try {
      const r = await core.call('model.train', {
        ...(horizonDays ? { horizonDays } : {}),
        ...(kind ? { kind } : {}),
      });
      if (json) {
        printJson(io, {
          model: r.model,
          activated: r.activated,
          previous: r.previous,
          comparison: r.comparison,
          tried: r.tried,
          baseline: r.card.baseline,
          combined: r.card.combined,
          trustworthy: r.card.trustworthy,
          warnings: r.card.warnings,
          ms: r.ms,
        });
      } else {
        io.out(`${r.model.name} ${versionLine(r.model)}`);
        io.out(r.activated ? 'activated' : 'not activated: the active version is better');
        if (r.card.baseline)
          io.out(
            `rule-based score on the same test rows: AUC ${fmt(r.card.baseline.auc)}, precision@budget ${fmt(r.card.baseline.precisionAtBudget)}`,
          );
        if (r.card.combined)
          io.out(
            `risk score (rules + model) on the same test rows: AUC ${fmt(r.card.combined.auc)}, precision@budget ${fmt(r.card.combined.precisionAtBudget)}`,
          );
        if (r.comparison) for (const line of comparisonLines(r.comparison)) io.out(line);
        for (const w of r.card.warnings) io.out(`warning: ${w}`);
      }
      return 0;
    } finally {
      core.close();
    }
  },
};
