/**
 * The documented fallback scorer, used when no model folder can be loaded: a small hand-written polarity
 * lexicon with negation, combined with the escalation intents (a complaint pushes toward negative). Pure,
 * synchronous, fast. Weaker than the model on general text; it exists so the app keeps working.
 */
import { detectIntents, type IntentOptions, intentPressure } from './intents';
import WORDS from './lexicon-words.json';

export const LEXICON_MODEL_ID = 'builtin:lexicon+intents';

const POS: Record<string, number> = {};
const NEG: Record<string, number> = {};
for (const w of WORDS.positive1) POS[w] = 1;
for (const w of WORDS.positive2) POS[w] = 2;
for (const w of WORDS.negative1) NEG[w] = 1;
for (const w of WORDS.negative2) NEG[w] = 2;

const NEGATORS = new Set([
  'not',
  'no',
  'never',
  "n't",
  'dont',
  "don't",
  'isnt',
  "isn't",
  'wasnt',
  "wasn't",
  'without',
  'hardly',
]);

export interface ScoredText {
  label: 'positive' | 'neutral' | 'negative';
  /** -1 (negative) .. 1 (positive). */
  score: number;
  /** 0..1. */
  confidence: number;
}

/** Lexicon polarity in -1..1 (before intents). */
export const lexiconPolarity = (text: string): number => {
  const toks = text.toLowerCase().match(/[a-z]+(?:[-'][a-z]+)*/g) ?? [];
  let sum = 0;
  let hits = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    let v = POS[t] ?? (NEG[t] !== undefined ? -NEG[t]! : 0);
    if (v === 0) continue;
    for (let j = Math.max(0, i - 3); j < i; j++) {
      const p = toks[j]!;
      if (NEGATORS.has(p) || p.endsWith("n't")) {
        v = -v * 0.7;
        break;
      }
    }
    sum += v;
    hits++;
  }
  if (hits === 0) return 0;
  return Math.tanh(sum / 2);
};

/**
 * Neutral band: |score| below this is neutral. 0.1, not wider: on real customer-service messages a wider band
 * turned many plain complaints into "neutral" (measured; see the model card in resources/models).
 */
export const NEUTRAL_BAND = 0.1;

export const labelFor = (score: number): ScoredText['label'] =>
  score >= NEUTRAL_BAND ? 'positive' : score <= -NEUTRAL_BAND ? 'negative' : 'neutral';

/**
 * Combines a base polarity (-1..1, from the model or the lexicon) with the message's escalation intents:
 * a churn threat, legal threat, frustration or outage report pulls the score toward negative.
 */
export const combineWithIntents = (base: number, pressure: number): number => {
  if (pressure <= 0) return base;
  const pulled = base - 1.6 * pressure;
  return Math.max(-1, Math.min(1, Math.min(base, pulled)));
};

export const scoreLexicon = (text: string, opts: IntentOptions = {}): ScoredText => {
  const base = lexiconPolarity(text);
  const score = combineWithIntents(base, intentPressure(text, detectIntents(text, opts)));
  return { label: labelFor(score), score, confidence: Math.min(1, Math.abs(score)) };
};
