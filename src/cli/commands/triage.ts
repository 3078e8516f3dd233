import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { column, readTextTable, stripBefore } from '../../main/core/text/table';
import { evaluateTriage, evaluateTriageSplit, selectTriageModel } from '../../main/core/text/triage';
import { Flags, UsageError } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags, printJson } from '../open';

const load = (file: string, textCol: string, labelCol: string, strip: string | undefined) => {
  const t = readTextTable(resolve(file));
  const ti = column(t, textCol, 'text');
  const li = column(t, labelCol, 'label');
  const rows = t.rows.filter((r) => (r[li] ?? '').trim() !== '');
  return { texts: rows.map((r) => stripBefore(r[ti] ?? '', strip)), labels: rows.map((r) => r[li]!.trim()) };
};

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export const triageEvalCommand: CliCommand = {
  summary:
    'Train the triage classifier on a labelled CSV/JSON and report accuracy and macroF1 on a test file (or a seeded 80/20 split), with majority-class and keyword baselines.',
  usage:
    'bellwether triage eval --csv FILE [--test-csv FILE] --text-column NAME --label-column NAME [--strip-before TEXT] [--seed N] [--json]',
  async run(args, io) {
    const f = new Flags('triage eval', args);
    const file = f.required('csv');
    const testFile = f.string('test-csv');
    const textCol = f.required('text-column');
    const labelCol = f.required('label-column');
    const strip = f.string('strip-before');
    const seed = f.int('seed') ?? 7;
    const json = f.bool('json');
    f.done();
    const train = load(file, textCol, labelCol, strip);
    const ev = testFile
      ? (() => {
          const test = load(testFile, textCol, labelCol, strip);
          return evaluateTriage(train.texts, train.labels, test.texts, test.labels);
        })()
      : evaluateTriageSplit(train.texts, train.labels, seed);
    const out = {
      train: ev.train,
      test: ev.test,
      labels: ev.labels,
      model: ev.model.name,
      choice: ev.model.choice,
      crossValidation: ev.model.cv,
      accuracy: round(ev.model.accuracy),
      macroF1: round(ev.model.macroF1),
      perClass: ev.model.perClass,
      baselines: {
        majority: {
          accuracy: round(ev.baselines.majority.accuracy),
          macroF1: round(ev.baselines.majority.macroF1),
        },
        keyword: {
          accuracy: round(ev.baselines.keyword.accuracy),
          macroF1: round(ev.baselines.keyword.macroF1),
          keywords: ev.baselines.keyword.keywords,
        },
      },
    };
    if (json) printJson(io, out);
    else {
      io.out(
        `${out.model}: accuracy ${out.accuracy}  macroF1 ${out.macroF1}  (train ${out.train}, test ${out.test})`,
      );
      io.out(
        `majority baseline: accuracy ${out.baselines.majority.accuracy}  macroF1 ${out.baselines.majority.macroF1}`,
      );
      io.out(
        `keyword baseline:  accuracy ${out.baselines.keyword.accuracy}  macroF1 ${out.baselines.keyword.macroF1}`,
      );
    }
    return 0;
  },
};

export const triageTrainCommand: CliCommand = {
  summary:
    "Train the triage classifier: from a labelled CSV/JSON into a model file (--out), or from the portfolio's labelled escalation history (--db).",
  usage:
    'bellwether triage train (--csv FILE --text-column NAME --label-column NAME --out MODEL.json [--strip-before TEXT] | --db FILE) [--json]',
  async run(args, io) {
    const f = new Flags('triage train', args);
    const file = f.string('csv');
    const json = f.bool('json');
    if (file) {
      const textCol = f.required('text-column');
      const labelCol = f.required('label-column');
      const outPath = f.required('out');
      const strip = f.string('strip-before');
      f.done();
      const d = load(file, textCol, labelCol, strip);
      const { model, choice, cv } = selectTriageModel(d.texts, d.labels);
      writeFileSync(resolve(outPath), JSON.stringify(model.toJSON()));
      const out = {
        model: model.name,
        choice,
        crossValidation: cv,
        examples: d.texts.length,
        labels: model.labels,
        path: resolve(outPath),
      };
      if (json) printJson(io, out);
      else io.out(`${out.model} trained on ${out.examples} rows (${out.labels.join(', ')}) -> ${out.path}`);
      return 0;
    }
    if (!args.flags.has('db'))
      throw new UsageError('triage train: give --csv FILE ... --out MODEL.json, or --db FILE');
    const core = await openCoreFromFlags(f);
    try {
      const report = await core.call('triage.train', {});
      if (json) printJson(io, report);
      else {
        io.out(
          `category: ${report.category.reason}${report.category.evaluation ? ` (macroF1 ${round(report.category.evaluation.model.macroF1)})` : ''}`,
        );
        io.out(
          `severity: ${report.severity.reason}${report.severity.evaluation ? ` (macroF1 ${round(report.severity.evaluation.model.macroF1)})` : ''}`,
        );
      }
      return 0;
    } finally {
      core.close();
    }
  },
};
