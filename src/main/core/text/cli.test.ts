import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/main';

const dir = mkdtempSync(join(tmpdir(), 'bw-cli-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('bellwether sentiment', () => {
  it('prints one record per row in input order, with accuracy for a label column', async () => {
    const csv = join(dir, 'msgs.csv');
    writeFileSync(
      csv,
      [
        'id;message;gold',
        '1;"Thanks, the fix worked perfectly!";pos',
        '2;"on hold for 45 minutes and nobody answered";neg',
        '3;"please cancel, the app keeps crashing";0',
        '4;"Great support, very helpful team";1',
        '5;"What time is the call?";',
      ].join('\n'),
    );
    const r = await run([
      'sentiment',
      '--csv',
      csv,
      '--text-column',
      'message',
      '--label-column',
      'gold',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.model.id).toBe('bellwether-sentiment-small');
    expect(j.rows.map((x: { row: number }) => x.row)).toEqual([1, 2, 3, 4, 5]);
    expect(j.rows.slice(0, 4).map((x: { label: string }) => x.label)).toEqual([
      'positive',
      'negative',
      'negative',
      'positive',
    ]);
    expect(j.labelled).toBe(4);
    expect(j.accuracy).toBe(1);
    expect(j.balancedAccuracy).toBe(1);
  });

  it('refuses an unknown column with exit code 1', async () => {
    const csv = join(dir, 'x.csv');
    writeFileSync(csv, 'text\nhello\n');
    const r = await run(['sentiment', '--csv', csv, '--text-column', 'body']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('column "body"');
  });
});

describe('bellwether triage', () => {
  const rows: [string, string][] = [];
  const bank = {
    billing: [
      'charged twice on my invoice',
      'refund the duplicate payment',
      'wrong amount billed',
      'invoice total is wrong',
    ],
    outage: [
      'site is down',
      'api down and slow',
      'timeouts everywhere, outage',
      'nothing loads, service down',
    ],
    howto: [
      'how do i add users',
      'how do i export data',
      'how to configure alerts',
      'how can i reset a password',
    ],
  };
  for (let i = 0; i < 10; i++)
    for (const [k, v] of Object.entries(bank)) rows.push([`${v[i % 4]} case ${i}`, k]);

  it('eval prints accuracy and macroF1 with baselines (seeded split); train saves a model', async () => {
    const csv = join(dir, 'tri.csv');
    writeFileSync(csv, `text,label\n${rows.map(([t, l]) => `"${t}",${l}`).join('\n')}\n`);
    const r = await run([
      'triage',
      'eval',
      '--csv',
      csv,
      '--text-column',
      'text',
      '--label-column',
      'label',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.test).toBe(6);
    expect(j.macroF1).toBe(1);
    expect(j.baselines.majority.macroF1).toBeLessThan(0.5);
    const again = JSON.parse(
      (
        await run([
          'triage',
          'eval',
          '--csv',
          csv,
          '--text-column',
          'text',
          '--label-column',
          'label',
          '--json',
        ])
      ).out,
    );
    expect(again).toEqual(j);

    const json = join(dir, 'tri.json');
    writeFileSync(
      json,
      JSON.stringify(rows.map(([t, l]) => ({ input: `Classify this.\nComment: ${t}`, output: l }))),
    );
    const t = await run([
      'triage',
      'eval',
      '--csv',
      json,
      '--test-csv',
      json,
      '--text-column',
      'input',
      '--label-column',
      'output',
      '--strip-before',
      'Comment:',
      '--json',
    ]);
    expect(JSON.parse(t.out).accuracy).toBe(1);

    const out = join(dir, 'model.json');
    const tr = await run([
      'triage',
      'train',
      '--csv',
      csv,
      '--text-column',
      'text',
      '--label-column',
      'label',
      '--out',
      out,
      '--json',
    ]);
    expect(tr.code).toBe(0);
    expect(JSON.parse(tr.out)).toMatchObject({ examples: 30, labels: ['billing', 'howto', 'outage'] });
  });
});

const CFPB = '/work/shared/data/complaints';
describe.skipIf(!existsSync(join(CFPB, 'cfpb_train.json')))(
  'triage on the CFPB complaints (train on train, test on test)',
  () => {
    it('beats the majority-class and keyword baselines on macro-F1', async () => {
      const r = await run([
        'triage',
        'eval',
        '--csv',
        join(CFPB, 'cfpb_train.json'),
        '--test-csv',
        join(CFPB, 'cfpb_test.json'),
        '--text-column',
        'input',
        '--label-column',
        'output',
        '--strip-before',
        'Comment:',
        '--json',
      ]);
      const j = JSON.parse(r.out);
      expect(j.test).toBe(300);
      expect(j.macroF1).toBeGreaterThan(0.75);
      expect(j.macroF1).toBeGreaterThan(j.baselines.keyword.macroF1 + 0.1);
      expect(j.baselines.keyword.macroF1).toBeGreaterThan(j.baselines.majority.macroF1);
    });
  },
);
