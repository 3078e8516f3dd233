import { Flags } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags, printJson } from '../open';
import { horizonFlag } from './model-train';

const fmt = (v: number | null, d = 3): string => (v === null ? 'n/a' : v.toFixed(d));

export const modelCardCommand: CliCommand = {
  summary:
    "Show the active escalation model's card: AUC, precision and recall at the alert budget, lift, Brier score, calibration, lead time, top signals and warnings.",
  usage: 'bellwether model card --db FILE [--horizon 30|60|90] [--json]',
  async run(args, io) {
    const f = new Flags('model card', args);
    const json = f.bool('json');
    const horizonDays = horizonFlag(f, 'model card');
    const core = await openCoreFromFlags(f);
    try {
      const card = await core.call('model.card', horizonDays ? { horizonDays } : {});
      if (json) {
        printJson(io, card);
        if (!card) io.err('no model trained yet (train one with: bellwether model train --db FILE)');
        return card ? 0 : 1;
      }
      if (!card) {
        io.err(`no model trained yet (train one with: bellwether model train --db FILE)`);
        return 1;
      }
      const m = card.metrics;
      io.out(
        `${card.name} v${card.version} (${card.kind}${card.active ? ', active' : ''}), trained ${card.createdAt}`,
      );
      if (card.window)
        io.out(
          `training window ${card.window.from} … ${card.window.to}, tested on ${card.window.testFrom} … ${card.window.testTo}`,
        );
      if (card.size)
        io.out(
          `${card.size.rows} snapshots (${card.size.positives} followed by an escalation), ${card.size.testRows} in the test period`,
        );
      io.out(`AUC ${fmt(m.auc)}  Brier ${fmt(m.brier)}  log-loss ${fmt(m.logLoss)}`);
      io.out(
        `at the alert budget: precision ${fmt(m.precisionAtBudget)}, recall ${fmt(m.recallAtBudget)}, lift ${fmt(m.liftAtBudget, 2)}, false-positive rate ${fmt(m.falsePositiveRate)}`,
      );
      io.out(
        `median lead time ${m.medianLeadTimeDays === null ? 'n/a' : `${m.medianLeadTimeDays} days`}; escalations caught ${m.escalationsCaught ?? 'n/a'} of ${m.escalationsTotal ?? 'n/a'}`,
      );
      if (card.baseline)
        io.out(
          `rule-based score: AUC ${fmt(card.baseline.auc)}, precision ${fmt(card.baseline.precisionAtBudget)}, median lead ${card.baseline.medianLeadTimeDays ?? 'n/a'} days`,
        );
      if (card.combined)
        io.out(
          `risk score (rules + model): AUC ${fmt(card.combined.auc)}, precision ${fmt(card.combined.precisionAtBudget)}, median lead ${card.combined.medianLeadTimeDays ?? 'n/a'} days`,
        );
      io.out('calibration (predicted → observed, n):');
      for (const b of card.calibration)
        io.out(`  ${fmt(b.lo)}-${fmt(b.hi)}: ${fmt(b.meanPredicted)} → ${fmt(b.observedRate)} (${b.count})`);
      io.out('top signals:');
      for (const s of card.topSignals)
        io.out(`  ${s.direction > 0 ? '↑' : '↓'} ${s.feature} (${fmt(s.importance)})`);
      if (card.previous) io.out(`previous: v${card.previous.version}, AUC ${fmt(card.previous.auc)}`);
      for (const w of card.warnings) io.out(`warning: ${w}`);
      return 0;
    } finally {
      core.close();
    }
  },
};
