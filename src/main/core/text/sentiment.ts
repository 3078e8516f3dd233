/**
 * The sentiment service: a transformers.js model in a worker thread, loaded only from a local folder, with a
 * documented fallback (lexicon + intents) when the folder is missing or broken. Every message's score is the
 * model's polarity combined with its escalation intents (a complaint pulls toward negative), then, when the
 * team has taught it enough, adjusted by the adaptive layer trained on their corrections.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { detectIntents, type Intent, type IntentOptions, intentPressure } from './intents';
import { combineWithIntents, LEXICON_MODEL_ID, labelFor, lexiconPolarity, type ScoredText } from './lexicon';

export type SentimentLabel = ScoredText['label'];

export interface ModelStatus {
  /** 'model': a transformers.js model folder is in use; 'fallback': the built-in lexicon + intents scorer. */
  kind: 'model' | 'fallback';
  /** A stable id stored with every score, e.g. `bellwether-sentiment-small` or `builtin:lexicon+intents`. */
  modelId: string;
  /** The folder in use or tried. */
  modelDir: string | null;
  labels: string[];
  /** Why the model could not be used (fallback only). */
  error: string | null;
  /** Whether the folder is the shipped default. */
  isDefault: boolean;
}

export interface ScoredMessage extends ScoredText {
  /** The base polarity before intents (-1..1). */
  baseScore: number;
  intents: Intent[];
}

const here = dirname(fileURLToPath(import.meta.url));

/** The shipped default model (resources/models/bellwether-sentiment-small). BELLWETHER_RESOURCES overrides the root. */
export const DEFAULT_MODEL_NAME = 'bellwether-sentiment-small';
export const defaultModelDir = (): string =>
  join(
    process.env.BELLWETHER_RESOURCES ?? resolve(here, '../../../../resources'),
    'models',
    DEFAULT_MODEL_NAME,
  );

/**
 * The worker script: next to this module when run from source (tsx, vitest, the CLI), or bundled by the
 * desktop build next to out/main/index.js as sentiment-worker.js.
 */
export const sentimentWorkerUrl = (): URL => {
  const source = new URL('./sentiment-worker.mjs', import.meta.url);
  return existsSync(fileURLToPath(source)) ? source : new URL('./sentiment-worker.js', import.meta.url);
};

/** Checks a model folder's layout; returns a readable problem or null. */
export const checkModelFolder = (dir: string): string | null => {
  if (!existsSync(dir)) return `model folder ${dir} does not exist`;
  const missing = ['config.json', 'tokenizer.json'].filter((f) => !existsSync(join(dir, f)));
  if (!existsSync(join(dir, 'onnx', 'model.onnx'))) missing.push('onnx/model.onnx');
  if (missing.length) {
    return `model folder ${dir} is missing ${missing.join(', ')} (expected the transformers.js layout: config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx)`;
  }
  try {
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      id2label?: Record<string, string>;
    };
    if (!cfg.id2label || Object.keys(cfg.id2label).length < 2)
      return `${join(dir, 'config.json')} has no id2label with at least two labels`;
  } catch (e) {
    return `${join(dir, 'config.json')} is not valid JSON (${(e as Error).message})`;
  }
  return null;
};

/**
 * Maps a model's class probabilities to polarity -1..1, whatever its label names: negative/neutral/positive
 * (any case, e.g. NEGATIVE, LABEL_0..2), or 1-5 stars.
 */
export const polarityFromProbs = (labels: readonly string[], probs: readonly number[]): number => {
  const stars = labels.map((l) => /^([1-5])\s*stars?$/i.exec(l.trim())?.[1]);
  if (stars.every((s) => s !== undefined) && labels.length >= 3) {
    let e = 0;
    labels.forEach((_, i) => {
      e += Number(stars[i]) * probs[i]!;
    });
    return (e - 3) / 2;
  }
  let pos = 0;
  let neg = 0;
  labels.forEach((l, i) => {
    const n = l.toLowerCase();
    if (n.startsWith('pos') || n === `label_${labels.length - 1}`) pos += probs[i]!;
    else if (n.startsWith('neg') || n === 'label_0') neg += probs[i]!;
  });
  return pos - neg;
};

interface Pending {
  resolve: (v: WorkerReply) => void;
  reject: (e: Error) => void;
}
interface WorkerReply {
  id: number;
  ok: boolean;
  error?: string;
  labels?: string[];
  probs?: number[][];
  rss?: number;
  fetchAttempts?: number;
}

export interface SentimentServiceOptions {
  /** A model folder; default: the shipped model. */
  modelDir?: string | null;
  /** ONNX intra-op threads in the worker (default 1: leave a core for the app). */
  threads?: number;
  batchSize?: number;
}

/** An adjustment learnt from corrections, applied after the base + intents score. */
export type Adapter = (text: string, scored: ScoredMessage) => ScoredMessage;

export class SentimentService {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private current: ModelStatus;
  private loading: Promise<ModelStatus> | null = null;
  adapter: Adapter | null = null;
  intentOptions: IntentOptions = {};
  /** From the model's config.json `bellwether.blend` (the shipped model): temper the model, add the lexicon. */
  private blend: { temperature: number; lexiconWeight: number } | null = null;

  constructor(private readonly opts: SentimentServiceOptions = {}) {
    const dir = opts.modelDir ?? defaultModelDir();
    this.current = {
      kind: 'fallback',
      modelId: LEXICON_MODEL_ID,
      modelDir: dir,
      labels: ['negative', 'neutral', 'positive'],
      error: 'not loaded yet',
      isDefault: resolve(dir) === resolve(defaultModelDir()),
    };
  }

  get status(): ModelStatus {
    return this.current;
  }

  /** Loads the model (once). Never throws: a failure leaves the fallback in place with the reason in `error`. */
  init(): Promise<ModelStatus> {
    if (!this.loading) this.loading = this.load();
    return this.loading;
  }

  private async load(): Promise<ModelStatus> {
    const dir = this.current.modelDir!;
    const problem = checkModelFolder(dir);
    if (problem) {
      this.current = {
        ...this.current,
        error: `${problem}; using the built-in lexicon + intents scorer instead`,
      };
      return this.current;
    }
    try {
      const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
        bellwether?: { blend?: { temperature?: number; lexicon_weight?: number } };
      };
      const b = cfg.bellwether?.blend;
      this.blend = b ? { temperature: b.temperature ?? 1, lexiconWeight: b.lexicon_weight ?? 0 } : null;
      this.worker = this.spawn();
      const reply = await this.request({
        type: 'load',
        modelDir: resolve(dir),
        threads: this.opts.threads ?? 1,
      });
      this.current = {
        kind: 'model',
        modelId: basename(resolve(dir)),
        modelDir: dir,
        labels: reply.labels ?? [],
        error: null,
        isDefault: this.current.isDefault,
      };
    } catch (e) {
      await this.stopWorker();
      this.current = {
        ...this.current,
        error: `the model in ${dir} could not be loaded (${(e as Error).message.split('\n')[0]}); using the built-in lexicon + intents scorer instead`,
      };
    }
    return this.current;
  }

  private spawn(): Worker {
    const w = new Worker(sentimentWorkerUrl());
    w.on('message', (m: WorkerReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref();
      if (m.ok) p.resolve(m);
      else p.reject(new Error(m.error ?? 'worker error'));
    });
    const failAll = (err: Error) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    w.on('error', (e) => failAll(e));
    w.on('exit', (code) => {
      if (this.worker === w) this.worker = null;
      failAll(new Error(`the sentiment worker exited (code ${code})`));
    });
    w.unref();
    return w;
  }

  private request(msg: Record<string, unknown>): Promise<WorkerReply> {
    const w = this.worker;
    if (!w) return Promise.reject(new Error('the sentiment worker is not running'));
    const id = ++this.seq;
    return new Promise((resolveP, reject) => {
      // Keep the process alive only while the worker has work (an idle worker never holds the app open).
      if (this.pending.size === 0) w.ref();
      this.pending.set(id, { resolve: resolveP, reject });
      w.postMessage({ ...msg, id });
    });
  }

  /** Base polarity (-1..1) per text from the model, or from the lexicon in fallback. */
  async basePolarity(texts: readonly string[]): Promise<number[]> {
    await this.init();
    if (this.current.kind === 'model' && texts.length > 0) {
      try {
        const reply = await this.request({ type: 'score', texts, batchSize: this.opts.batchSize ?? 64 });
        const pol = reply.probs!.map((p) => polarityFromProbs(this.current.labels, p));
        const b = this.blend;
        if (!b) return pol;
        return pol.map((x, i) => {
          const tempered = Math.tanh(Math.atanh(Math.max(-0.999999, Math.min(0.999999, x))) / b.temperature);
          return Math.max(-1, Math.min(1, tempered + b.lexiconWeight * lexiconPolarity(texts[i]!)));
        });
      } catch (e) {
        if (this.worker) throw e;
        // The worker died: fall back for the rest of this session, saying why.
        this.current = {
          ...this.current,
          kind: 'fallback',
          modelId: LEXICON_MODEL_ID,
          error: `the model worker stopped (${(e as Error).message}); using the built-in lexicon + intents scorer`,
        };
      }
    }
    return texts.map((t) => lexiconPolarity(t));
  }

  /** Scores texts: base polarity, intents, combination, adaptive layer. */
  async score(texts: readonly string[]): Promise<ScoredMessage[]> {
    const base = await this.basePolarity(texts);
    return texts.map((t, i) => {
      const intents = detectIntents(t, this.intentOptions);
      const score = combineWithIntents(base[i]!, intentPressure(t, intents));
      const scored: ScoredMessage = {
        baseScore: base[i]!,
        score,
        label: labelFor(score),
        confidence: Math.min(1, Math.abs(score)),
        intents,
      };
      return this.adapter ? this.adapter(t, scored) : scored;
    });
  }

  /** Worker memory and network attempts (for benchmarks and the no-download test). */
  async stats(): Promise<{ rss: number; fetchAttempts: number } | null> {
    if (!this.worker) return null;
    const r = await this.request({ type: 'stats' });
    return { rss: r.rss ?? 0, fetchAttempts: r.fetchAttempts ?? 0 };
  }

  private async stopWorker(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  async close(): Promise<void> {
    await this.stopWorker();
  }
}
