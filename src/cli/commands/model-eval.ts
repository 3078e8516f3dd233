import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCsv } from '../../main/core/ml/csv';
import { evaluateTable, type ModelKind } from '../../main/core/ml/evaluate';
import { CoreError } from '../../shared/result';
import { Flags, UsageError } from '../args';
import type { CliCommand } from '../main';
import { printJson } from '../open';

const fmt = (v: number, d = 3): string => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');

export const modelEvalCommand: CliCommand = {
  summary:
    'Train and cross-validate logistic regression and gradient-boosted trees on any tabular CSV; print AUC, accuracy, Brier score and the top features.',
  usage:
    'bellwether model eval --csv FILE --label COLUMN --positive VALUE [--id COLUMN] [--folds N] [--seed N] [--models logistic,gbt] [--json]',
  async run(args, io) {
    const f = new Flags('model eval', args);
    const csvPath = f.required('csv');
    const label = f.required('label');
    const positive = f.required('positive');
    const id = f.string('id');
    const folds = f.int('folds');
    const seed = f.int('seed');
    const modelsFlag = f.string('models');
    const json = f.bool('json');
    f.done();
    if (folds !== undefined && folds < 2) throw new UsageError('model eval: --folds must be at least 2');
    let models: ModelKind[] | undefined;
    if (modelsFlag !== undefined) {
      models = modelsFlag.split(',').map((m) => m.trim()) as ModelKind[];
      const bad = models.find((m) => m !== 'logistic' && m !== 'gbt');
      if (bad !== undefined || models.length === 0)
        throw new UsageError(`model eval: unknown model "${bad}" (use logistic, gbt)`);
    }
    const path = resolve(csvPath);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new CoreError(
        'not_found',
        `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    let table: ReturnType<typeof parseCsv>;
    try {
      table = parseCsv(text);
    } catch (e) {
      throw new CoreError('invalid_arguments', `${path}: ${(e as Error).message}`);
    }
    const t0 = performance.now();
    let result: ReturnType<typeof evaluateTable>;
    try {
      result = evaluateTable(table, {
        label,
        positive,
        ...(id !== undefined ? { id } : {}),
        ...(folds !== undefined ? { folds } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(models ? { models } : {}),
      });
    } catch (e) {
      throw new CoreError('invalid_arguments', (e as Error).message);
    }
    const seconds = (performance.now() - t0) / 1000;
    if (json) {
      printJson(io, { file: path, ...result, seconds });
      return 0;
    }
    io.out(
      `${result.rows} rows, ${result.positives} positive (${fmt(100 * result.positiveRate, 1)}%), ${result.features} features, ${result.folds}-fold stratified CV`,
    );
    for (const w of result.warnings) io.out(`warning: ${w}`);
    for (const d of result.columns.dropped) io.out(`dropped column ${d.name}: ${d.reason}`);
    for (const [kind, m] of Object.entries(result.models)) {
      io.out(
        `${kind.padEnd(9)} auc ${fmt(m.auc)} (±${fmt(m.aucStd)})  accuracy ${fmt(m.accuracy)}  brier ${fmt(m.brier)}  log loss ${fmt(m.logLoss)}  lift@10% ${fmt(m.liftAtTopDecile, 2)}`,
      );
    }
    io.out(`best: ${result.best} (auc ${fmt(result.auc)})`);
    io.out('top features:');
    for (const t of result.topFeatures)
      io.out(`  ${t.direction > 0 ? '+' : '-'} ${t.feature}\t${fmt(t.importance)}`);
    io.out(`(${fmt(seconds, 1)} s)`);
    return 0;
  },
};
