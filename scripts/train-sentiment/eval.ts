/**
 * Measures the sentiment scorers through the app's own path (SentimentService: worker + transformers.js,
 * intents, fallback) on the evaluation sets of train.py:
 *   npx tsx scripts/train-sentiment/eval.ts [--data /work/shared/data] [--model DIR]
 * Balanced accuracy, positive vs negative, predicting positive when score >= 0.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src/main/core/ml/csv';
import { binaryBalancedAccuracy } from '../../src/main/core/text/classifier';
import { lexiconPolarity, scoreLexicon } from '../../src/main/core/text/lexicon';
import { SentimentService } from '../../src/main/core/text/sentiment';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name: string, d: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : d;
};
const data = arg('data', '/work/shared/data');
const model = arg('model', '');

const readTsv = (p: string): [string, string][] =>
  readFileSync(p, 'utf8')
    .split('\n')
    .map((l) => {
      const k = l.lastIndexOf('\t');
      return [l.slice(0, k).trim(), l.slice(k + 1).trim()] as [string, string];
    })
    .filter(([, y]) => y === '0' || y === '1')
    .map(([t, y]) => [t, y === '1' ? 'positive' : 'negative']);

const held = JSON.parse(readFileSync(join(here, 'heldout.json'), 'utf8')) as {
  uci_amazon_then_yelp: number[];
  sst2_train_rows: number[];
};
const uci = [
  ...readTsv(join(data, 'sentiment/uci_amazon_cells_labelled.txt')),
  ...readTsv(join(data, 'sentiment/uci_yelp_labelled.txt')),
];
const sst = readTsv(join(data, 'sentiment/sst2_train.tsv'));
const support = parseCsv(
  readFileSync(join(here, '../../tests/fixtures/support-sentiment.csv'), 'utf8'),
).rows.map((r) => [r[0]!, r[1]!] as [string, string]);
const sets: Record<string, [string, string][]> = {
  uci_heldout: held.uci_amazon_then_yelp.map((i) => uci[i]!),
  sst2_sample: held.sst2_train_rows.map((i) => sst[i]!),
  support_fixture: support,
};
// Extra evaluation files: --tsv NAME=FILE (header line, then label<TAB>...<TAB>text; positive/negative rows).
process.argv.forEach((a, i) => {
  if (a !== '--tsv') return;
  const [name, file] = process.argv[i + 1]!.split(/=(.*)/s) as [string, string];
  sets[name] = readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((p) => p[0] === 'positive' || p[0] === 'negative')
    .map((p) => [p[p.length - 1]!, p[0]!] as [string, string]);
});

const service = new SentimentService(model ? { modelDir: model, threads: 2 } : { threads: 2 });
const status = await service.init();
const out: Record<string, unknown> = { model: status.modelId, error: status.error };
const sign = (x: number) => (x >= 0 ? 'positive' : 'negative');
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
for (const [name, rows] of Object.entries(sets)) {
  const gold = rows.map((r) => r[1]);
  const scored = await service.score(rows.map((r) => r[0]));
  const m = (pred: string[]) => {
    const b = binaryBalancedAccuracy(gold, pred);
    return { balancedAccuracy: r4(b.balancedAccuracy), negativeRecall: r4(b.negativeRecall) };
  };
  out[name] = {
    n: rows.length,
    model: m(scored.map((s) => sign(s.baseScore))),
    modelPlusIntents: m(scored.map((s) => sign(s.score))),
    storedLabel: m(scored.map((s) => s.label)),
    lexiconPlusIntents: m(rows.map((r) => sign(scoreLexicon(r[0]).score))),
    lexiconOnly: m(rows.map((r) => sign(lexiconPolarity(r[0])))),
  };
}
console.log(JSON.stringify(out, null, 2));
await service.close();
