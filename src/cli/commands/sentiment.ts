import { resolve } from 'node:path';
import { binaryBalancedAccuracy } from '../../main/core/text/classifier';
import { SentimentService } from '../../main/core/text/sentiment';
import { column, normalizeSentimentLabel, readTextTable } from '../../main/core/text/table';
import { Flags } from '../args';
import type { CliCommand } from '../main';
import { printJson } from '../open';

export const sentimentCommand: CliCommand = {
  summary:
    'Score every row of a CSV (or JSON array) with the local sentiment model: one record per row, in order, with label and score; accuracy when a label column is given.',
  usage:
    'bellwether sentiment --csv FILE --text-column NAME [--label-column NAME] [--model DIR] [--competitors A,B] [--json]',
  async run(args, io) {
    const f = new Flags('sentiment', args);
    const file = f.required('csv');
    const textCol = f.required('text-column');
    const labelCol = f.string('label-column');
    const modelDir = f.string('model');
    const competitors = f.string('competitors');
    const json = f.bool('json');
    f.done();
    const table = readTextTable(resolve(file));
    const ti = column(table, textCol, 'text');
    const li = labelCol ? column(table, labelCol, 'label') : -1;
    const service = new SentimentService({ modelDir: modelDir ? resolve(modelDir) : null, threads: 2 });
    service.intentOptions = { competitors: competitors ? competitors.split(',').map((s) => s.trim()) : [] };
    try {
      const status = await service.init();
      if (status.kind === 'fallback') io.err(`bellwether sentiment: ${status.error}`);
      const texts = table.rows.map((r) => r[ti] ?? '');
      const scored = await service.score(texts);
      const rows = scored.map((s, i) => {
        const rec: Record<string, unknown> = {
          row: i + 1,
          label: s.label,
          score: Math.round(s.score * 1e4) / 1e4,
          confidence: Math.round(s.confidence * 1e4) / 1e4,
          intents: [...new Set(s.intents.map((x) => x.kind))],
        };
        if (li >= 0) rec.gold = normalizeSentimentLabel(table.rows[i]![li] ?? '');
        return rec;
      });
      let metrics: Record<string, unknown> | undefined;
      if (li >= 0) {
        const gold: string[] = [];
        const pred: string[] = [];
        const signPred: string[] = [];
        rows.forEach((r, i) => {
          if (!r.gold) return;
          gold.push(r.gold as string);
          pred.push(scored[i]!.label);
          signPred.push(scored[i]!.score >= 0 ? 'positive' : 'negative');
        });
        const unlabelled = rows.length - gold.length;
        const bin = binaryBalancedAccuracy(gold, signPred);
        metrics = {
          labelled: gold.length,
          unlabelled,
          accuracy: gold.length ? gold.filter((g, i) => g === pred[i]).length / gold.length : null,
          balancedAccuracy: bin.n ? bin.balancedAccuracy : null,
          negativeRecall: bin.n ? bin.negativeRecall : null,
          positiveRecall: bin.n ? bin.positiveRecall : null,
        };
      }
      if (json)
        printJson(io, {
          model: { kind: status.kind, id: status.modelId, error: status.error },
          ...(metrics ?? {}),
          rows,
        });
      else {
        for (const r of rows) io.out(`${r.row}\t${r.label}\t${r.score}`);
        if (metrics)
          io.out(`accuracy ${metrics.accuracy}  balanced accuracy (pos vs neg) ${metrics.balancedAccuracy}`);
        io.out(`model: ${status.modelId}`);
      }
      return 0;
    } finally {
      await service.close();
    }
  },
};
