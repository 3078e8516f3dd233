// The sentiment worker thread: loads a transformers.js sequence-classification model from a LOCAL folder
// (remote loading disabled, fetch blocked) and scores batches of texts off the main event loop.
// Plain JavaScript on purpose, so it runs the same under node, tsx, vitest and the CLI without a loader.
import { basename, dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';

let fetchAttempts = 0;
// Nothing may be downloaded: any fetch from this thread fails loudly and is counted.
globalThis.fetch = async (input) => {
  fetchAttempts++;
  throw new Error(`network access is disabled in the sentiment worker (tried ${String(input)})`);
};

let tokenizer = null;
let model = null;
let labels = [];

const send = (msg) => parentPort.postMessage(msg);

const load = async (modelDir, threads) => {
  const tf = await import('@huggingface/transformers');
  tf.env.allowRemoteModels = false;
  tf.env.allowLocalModels = true;
  tf.env.useBrowserCache = false;
  tf.env.localModelPath = `${dirname(modelDir)}/`;
  const id = basename(modelDir);
  tokenizer = await tf.AutoTokenizer.from_pretrained(id, { local_files_only: true });
  model = await tf.AutoModelForSequenceClassification.from_pretrained(id, {
    local_files_only: true,
    dtype: 'fp32',
    session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
  });
  const id2label = model.config.id2label ?? {};
  const n = Object.keys(id2label).length;
  labels = Array.from({ length: n }, (_, i) => String(id2label[i] ?? id2label[String(i)] ?? `LABEL_${i}`));
  return labels;
};

const softmax = (row) => {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

const score = async (texts, batchSize) => {
  // Sort by length so each batch pads little; answer in input order.
  const order = texts.map((t, i) => [t.length, i]).sort((a, b) => a[0] - b[0]);
  const out = new Array(texts.length);
  for (let s = 0; s < order.length; s += batchSize) {
    const idx = order.slice(s, s + batchSize).map((x) => x[1]);
    const batch = idx.map((i) => texts[i] || ' ');
    const inputs = tokenizer(batch, { padding: true, truncation: true, max_length: 256 });
    const { logits } = await model(inputs);
    const [rows, cols] = logits.dims;
    const data = logits.data;
    for (let r = 0; r < rows; r++) {
      const row = [];
      for (let c = 0; c < cols; c++) row.push(Number(data[r * cols + c]));
      out[idx[r]] = softmax(row);
    }
  }
  return out;
};

parentPort.on('message', async (msg) => {
  try {
    if (msg.type === 'load') {
      const l = await load(msg.modelDir, msg.threads ?? 1);
      send({ id: msg.id, ok: true, labels: l });
    } else if (msg.type === 'score') {
      const probs = await score(msg.texts, msg.batchSize ?? 64);
      send({ id: msg.id, ok: true, probs });
    } else if (msg.type === 'stats') {
      send({ id: msg.id, ok: true, rss: process.memoryUsage().rss, fetchAttempts });
    } else {
      send({ id: msg.id, ok: false, error: `unknown message ${msg.type}` });
    }
  } catch (e) {
    send({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
