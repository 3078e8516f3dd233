import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseCsv } from '../ml/csv';
import { binaryBalancedAccuracy } from './classifier';
import { LEXICON_MODEL_ID } from './lexicon';
import {
  checkModelFolder,
  DEFAULT_MODEL_NAME,
  defaultModelDir,
  polarityFromProbs,
  SentimentService,
} from './sentiment';

const tmp = mkdtempSync(join(tmpdir(), 'bw-sent-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('shipped sentiment model, offline', () => {
  let fetchSpy: ReturnType<typeof vi.fn>;
  const realFetch = globalThis.fetch;
  beforeEach(() => {
    fetchSpy = vi.fn(() => {
      throw new Error('network disabled in tests');
    });
    globalThis.fetch = fetchSpy as unknown as typeof fetch;
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('has the transformers.js folder layout and stays under 10 MB', () => {
    expect(checkModelFolder(defaultModelDir())).toBeNull();
    const size = readFileSync(join(defaultModelDir(), 'onnx', 'model.onnx')).length;
    expect(size).toBeLessThan(10 * 1024 * 1024);
  });

  it('tokenizes exactly like the training script (transformers.js BertTokenizer, local only)', async () => {
    const tf = await import('@huggingface/transformers');
    tf.env.allowRemoteModels = false;
    tf.env.localModelPath = `${join(defaultModelDir(), '..')}/`;
    const tok = await tf.AutoTokenizer.from_pretrained(DEFAULT_MODEL_NAME, { local_files_only: true });
    const ref = JSON.parse(readFileSync(join(defaultModelDir(), 'reference.json'), 'utf8')) as {
      text: string;
      input_ids: number[];
    }[];
    for (const r of ref)
      expect(Array.from(tok(r.text).input_ids.data as BigInt64Array, Number)).toEqual(r.input_ids);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('loads in the worker with networking disabled and scores texts correctly', async () => {
    const s = new SentimentService();
    try {
      const status = await s.init();
      expect(status).toMatchObject({
        kind: 'model',
        modelId: DEFAULT_MODEL_NAME,
        error: null,
        isDefault: true,
      });
      const out = await s.score([
        'Thank you so much, the new dashboard is fantastic!',
        'The export has been broken for a week and nobody replied.',
        'on hold for 45 minutes and nobody answered',
        'please cancel, the app keeps crashing',
      ]);
      expect(out.map((o) => o.label)).toEqual(['positive', 'negative', 'negative', 'negative']);
      for (const o of out) {
        expect(o.score).toBeGreaterThanOrEqual(-1);
        expect(o.score).toBeLessThanOrEqual(1);
        expect(o.confidence).toBeGreaterThanOrEqual(0);
      }
      expect(out[3]!.intents.map((i) => i.kind)).toEqual(expect.arrayContaining(['churn', 'outage_defect']));
      expect((await s.stats())!.fetchAttempts).toBe(0);
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      await s.close();
    }
  });

  it('reaches balanced accuracy >= 0.8 on the hand-written support set', async () => {
    const t = parseCsv(
      readFileSync(join(__dirname, '../../../../tests/fixtures/support-sentiment.csv'), 'utf8'),
    );
    const s = new SentimentService();
    try {
      const out = await s.score(t.rows.map((r) => r[0]!));
      const pred = out.map((o) => (o.score >= 0 ? 'positive' : 'negative'));
      const m = binaryBalancedAccuracy(
        t.rows.map((r) => r[1]!),
        pred,
      );
      expect(m.n).toBe(60);
      expect(m.balancedAccuracy).toBeGreaterThanOrEqual(0.8);
    } finally {
      await s.close();
    }
  });
});

describe('missing or broken model folder', () => {
  it('a missing folder gives a clear error and the lexicon fallback keeps scoring', async () => {
    const s = new SentimentService({ modelDir: join(tmp, 'nope') });
    const st = await s.init();
    expect(st.kind).toBe('fallback');
    expect(st.modelId).toBe(LEXICON_MODEL_ID);
    expect(st.error).toMatch(/does not exist.*built-in lexicon/);
    const [a, b] = await s.score(['Great job, thanks!', 'nobody answered for two days']);
    expect(a!.label).toBe('positive');
    expect(b!.label).toBe('negative');
    await s.close();
  });

  it('a folder without onnx/model.onnx names the missing file', async () => {
    const dir = join(tmp, 'partial');
    cpSync(defaultModelDir(), dir, { recursive: true });
    rmSync(join(dir, 'onnx'), { recursive: true });
    const st = await new SentimentService({ modelDir: dir }).init();
    expect(st.kind).toBe('fallback');
    expect(st.error).toContain('onnx/model.onnx');
  });

  it('a corrupt model file falls back with the loader error', async () => {
    const dir = join(tmp, 'corrupt');
    cpSync(defaultModelDir(), dir, { recursive: true });
    writeFileSync(join(dir, 'onnx', 'model.onnx'), 'not an onnx file');
    const s = new SentimentService({ modelDir: dir });
    const st = await s.init();
    expect(st.kind).toBe('fallback');
    expect(st.error).toMatch(/could not be loaded/);
    expect((await s.score(['thanks, works great']))[0]!.label).toBe('positive');
    await s.close();
  });
});

describe('label mapping of drop-in models', () => {
  it('maps negative/neutral/positive, LABEL_n and star ratings to polarity', () => {
    expect(polarityFromProbs(['NEGATIVE', 'POSITIVE'], [0.2, 0.8])).toBeCloseTo(0.6);
    expect(polarityFromProbs(['negative', 'neutral', 'positive'], [0.1, 0.3, 0.6])).toBeCloseTo(0.5);
    expect(polarityFromProbs(['LABEL_0', 'LABEL_1', 'LABEL_2'], [0.7, 0.2, 0.1])).toBeCloseTo(-0.6);
    expect(
      polarityFromProbs(['1 star', '2 stars', '3 stars', '4 stars', '5 stars'], [0, 0, 0, 0, 1]),
    ).toBeCloseTo(1);
  });
});
