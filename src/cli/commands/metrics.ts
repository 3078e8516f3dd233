import { computeMetrics } from '../../main/core/insights/metrics';
import { SEGMENTS, type Segment } from '../../shared/domain';
import { Flags, UsageError } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags, printJson } from '../open';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null, unit = '') => (v === null ? 'n/a' : `${Math.round(v * 10) / 10}${unit}`);

export const metricsCommand: CliCommand = {
  summary:
    'Effectiveness metrics for a period: precision, false-positive rate, recall, lead time, resolution, SLA, prevented churn (default: the last 12 months).',
  usage: 'bellwether metrics --db FILE [--from DATE] [--to DATE] [--segment S] [--horizon DAYS] [--json]',
  async run(args, io) {
    const f = new Flags('metrics', args);
    const json = f.bool('json');
    const fromArg = f.string('from');
    const toArg = f.string('to');
    const segment = f.string('segment');
    const horizon = f.int('horizon');
    for (const [k, v] of [
      ['from', fromArg],
      ['to', toArg],
    ] as const)
      if (v !== undefined && (!DAY.test(v) || Number.isNaN(Date.parse(v))))
        throw new UsageError(`metrics: --${k} must be a date as YYYY-MM-DD, got "${v}"`);
    if (segment !== undefined && !(SEGMENTS as readonly string[]).includes(segment))
      throw new UsageError(`metrics: --segment must be one of ${SEGMENTS.join(', ')}, got "${segment}"`);
    if (horizon !== undefined && (horizon < 1 || horizon > 365))
      throw new UsageError('metrics: --horizon must be between 1 and 365 days');
    const core = await openCoreFromFlags(f);
    try {
      const to = toArg ?? core.now().toISOString().slice(0, 10);
      const toMs = Date.parse(`${to}T00:00:00.000Z`);
      const d = new Date(toMs);
      d.setUTCFullYear(d.getUTCFullYear() - 1);
      const from = fromArg ?? new Date(d.getTime() + 86_400_000).toISOString().slice(0, 10);
      if (from > to) throw new UsageError(`metrics: --from ${from} is after --to ${to}`);
      const m = computeMetrics(core, {
        from,
        to,
        ...(segment ? { segment: segment as Segment } : {}),
        ...(horizon ? { horizonDays: horizon } : {}),
      });
      if (json) {
        printJson(io, m);
        return 0;
      }
      io.out(
        `Metrics ${m.from} .. ${m.to}${m.segment ? ` (${m.segment})` : ''}, horizon ${m.horizonDays} days`,
      );
      io.out(
        `  precision            ${pct(m.precision)}  (${m.flagsFollowedByEscalation}/${m.flagsJudged} judged flags; ${m.flagsRaised} raised)`,
      );
      io.out(`  falsePositiveRate    ${pct(m.falsePositiveRate)}`);
      io.out(
        `  recall               ${pct(m.recall)}  (${m.escalationsFlaggedBeforehand}/${m.escalationsOpened} escalations)`,
      );
      io.out(
        `  leadTimeDays         median ${num(m.leadTimeDays.median)} (p25 ${num(m.leadTimeDays.p25)}, p75 ${num(m.leadTimeDays.p75)}, n ${m.leadTimeDays.n})`,
      );
      io.out(
        `  resolution           ${m.resolution.resolved} resolved, median ${num(m.resolution.medianDays, ' d')}, p90 ${num(m.resolution.p90Days, ' d')}, rate ${pct(m.resolution.rate)}`,
      );
      for (const b of m.resolution.byCategory)
        io.out(
          `    ${b.key.padEnd(22)} ${String(b.resolved).padStart(3)}  median ${num(b.medianResolutionDays, ' d')}  rate ${pct(b.resolutionRate)}`,
        );
      io.out(`  sla                  ${pct(m.sla.attainment)} (${m.sla.met}/${m.sla.clocks} clocks met)`);
      io.out(`  preventedChurnArr    ${m.preventedChurnArr}`);
      io.out(`  arrLostToChurn       ${m.arrLostToChurn}`);
      io.out(`  arrLostToDowngrade   ${m.arrLostToDowngrade}`);
      io.out(`  arrAtRiskNow         ${m.arrAtRiskNow.arr} (${m.arrAtRiskNow.accounts} accounts)`);
      return 0;
    } finally {
      core.close();
    }
  },
};
