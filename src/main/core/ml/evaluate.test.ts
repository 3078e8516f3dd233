import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../cli/args';
import { modelEvalCommand } from '../../../cli/commands/model-eval';
import { parseCsv } from './csv';
import { evaluateTable, topFeatures } from './evaluate';
import { GradientBoostedTrees } from './gbt';
import { rocAuc } from './metrics';
import { Prng } from './prng';
import { generateTelco, toCsv } from './synthetic-telco';

const dir = mkdtempSync(join(tmpdir(), 'bw-model-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  let out = '';
  let err = '';
  const code = await modelEvalCommand.run(parseArgs(argv), {
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
  });
  return { code, out, err };
};

// Generous timeout: these train real models and the test machine may be shared (no timing assertions).
describe('model eval on a Telco-churn-like CSV (synthetic, same schema and quirks)', {
  timeout: 240_000,
}, () => {
  const telco = generateTelco(7043, 7043);
  const file = join(dir, 'telco.csv');
  writeFileSync(file, `\uFEFF${toCsv(telco.header, telco.rows)}`);
  const y = telco.rows.map((r): number => (r[20] === 'Yes' ? 1 : 0));
  const oracle = rocAuc(y, telco.trueProbability);

  it("has the real file's shape: 7043 rows, ~26.5% churn, blank TotalCharges", () => {
    expect(telco.rows.length).toBe(7043);
    const rate = y.reduce((s, v) => s + v, 0) / y.length;
    expect(rate).toBeGreaterThan(0.24);
    expect(rate).toBeLessThan(0.29);
    expect(telco.rows.some((r) => r[19] === ' ')).toBe(true);
    expect(oracle).toBeGreaterThan(0.84);
  });

  it('prints auc, accuracy, brier and top features for both models, within 0.015 of the oracle AUC', async () => {
    const { code, out, err } = await run([
      '--csv',
      file,
      '--label',
      'Churn',
      '--positive',
      'Yes',
      '--id',
      'customerID',
      '--json',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.rows).toBe(7043);
    expect(r.folds).toBe(5);
    expect(r.columns.numeric).toEqual(['SeniorCitizen', 'tenure', 'MonthlyCharges', 'TotalCharges']);
    expect(r.columns.categorical).toContain('Contract');
    expect(r.columns.categorical).not.toContain('customerID');
    for (const kind of ['logistic', 'gbt']) {
      const m = r.models[kind];
      expect(m.auc).toBeGreaterThan(oracle - 0.015);
      expect(m.auc).toBeLessThanOrEqual(oracle + 0.01);
      expect(m.accuracy).toBeGreaterThan(0.78);
      expect(m.brier).toBeLessThan(0.15);
      expect(m.topFeatures.length).toBeGreaterThan(3);
    }
    expect(r.auc).toBe(r.models[r.best].auc);
    expect(r.auc).toBe(Math.max(r.models.logistic.auc, r.models.gbt.auc));
    expect(r.brier).toBe(r.models[r.best].brier);
    const top = r.topFeatures.map((t: { feature: string }) => t.feature).slice(0, 5);
    expect(top.some((f: string) => f.startsWith('Contract=') || f === 'tenure')).toBe(true);
    const mtm = r.models.logistic.topFeatures.find(
      (t: { feature: string }) => t.feature === 'Contract=Month-to-month',
    );
    expect(mtm.direction).toBe(1);
    const tenure = r.models.logistic.topFeatures.find((t: { feature: string }) => t.feature === 'tenure');
    expect(tenure.direction).toBe(-1);
  });

  it('prints a readable summary without --json', async () => {
    const { code, out } = await run([
      '--csv',
      file,
      '--label',
      'Churn',
      '--positive',
      'yes',
      '--id',
      'customerID',
      '--models',
      'logistic',
      '--folds',
      '3',
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/7043 rows, \d+ positive/);
    expect(out).toMatch(/logistic\s+auc 0\.8\d\d/);
    expect(out).toMatch(/best: logistic/);
  });
});

describe('model eval input handling', () => {
  it('handles odd numeric cells, blank labels and a dropped identifier column', () => {
    const lines = ['ref,score,region,label'];
    for (let i = 0; i < 300; i++) {
      const score = i % 37 === 0 ? '?' : i % 41 === 0 ? ' ' : i % 43 === 0 ? 'unknown' : String(i % 10);
      const label = i % 53 === 0 ? '' : i % 10 >= 6 ? ' Yes ' : 'No';
      lines.push(`R${i},${score},${['north', 'south', 'east'][i % 3]},${label}`);
    }
    const r = evaluateTable(parseCsv(lines.join('\n')), { label: 'label', positive: 'yes', folds: 3 });
    expect(r.droppedRows).toBe(6);
    expect(r.columns.dropped.map((d) => d.name)).toEqual(['ref']);
    expect(r.warnings.join(' ')).toMatch(/blank label/);
    expect(r.warnings.join(' ')).toMatch(/score: \d+ non-numeric/);
    expect(r.models.logistic!.auc).toBeGreaterThan(0.9);
    expect(r.models.gbt!.auc).toBeGreaterThan(0.9);
  });

  it('explains bad arguments and bad files', async () => {
    const file = join(dir, 'tiny.csv');
    writeFileSync(file, 'a,b\n1,x\n2,y\n3,x\n4,y\n');
    await expect(run(['--csv', file, '--label', 'nope', '--positive', 'x'])).rejects.toThrow(
      /no column "nope"/,
    );
    await expect(run(['--csv', file, '--label', 'b', '--positive', 'z'])).rejects.toThrow(
      /no row has b = "z"/,
    );
    await expect(run(['--csv', join(dir, 'missing.csv'), '--label', 'b', '--positive', 'x'])).rejects.toThrow(
      /cannot read/,
    );
    await expect(run(['--csv', file, '--label', 'b'])).rejects.toThrow(/--positive is required/);
    await expect(run(['--csv', file, '--label', 'b', '--positive', 'x', '--models', 'svm'])).rejects.toThrow(
      /unknown model/,
    );
  });
});

describe('top features of boosted trees', () => {
  it('give the direction from the rows where a feature has a value (missing values are skipped)', () => {
    const rng = new Prng(5);
    const n = 2000;
    const data = new Float64Array(n * 2);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const risk = rng.normal();
      // Feature 0 rises with risk, feature 1 falls with it; both are missing in a tenth of the rows.
      data[i * 2] = rng.next() < 0.1 ? Number.NaN : risk + 0.5 * rng.normal();
      data[i * 2 + 1] = rng.next() < 0.1 ? Number.NaN : -risk + 0.5 * rng.normal();
      y[i] = rng.next() < 1 / (1 + Math.exp(-2 * risk)) ? 1 : 0;
    }
    const X = { rows: n, cols: 2, data };
    const m = new GradientBoostedTrees({ nEstimators: 30, maxDepth: 2, featureNames: ['up', 'down'] }).fit(
      X,
      y,
    );
    const top = topFeatures(m, X, ['up', 'down'], 2);
    expect(Object.fromEntries(top.map((f) => [f.feature, f.direction]))).toEqual({ up: 1, down: -1 });
  });
});
