/**
 * Competitor mentions in customer text, with the span that triggered each. A small deterministic reader used
 * until (or when there is no) text-intelligence intent detector; the `IntentDetector` shape lets
 * `detectIntents` from src/main/core/text plug in unchanged.
 */

export interface CompetitorMention {
  /** The competitor's name when the text names one, else null ("evaluating alternatives"). */
  competitor: string | null;
  /** The matched phrase, as it appears in the text. */
  span: string;
  start: number;
  end: number;
}

export type CompetitorDetector = (text: string, competitors: readonly string[]) => CompetitorMention[];

const CUE =
  /\b(?:evaluat(?:e|es|ing|ion of)|trial(?:ing)? (?:of|with)|a trial of|pilot with|switch(?:ing)? to|mov(?:e|ing) to|migrat(?:e|ing) to|look(?:ing)? at|consider(?:ing)?|including|offered (?:a [a-z ]+ )?by|comparing (?:you|it) (?:to|with|against))\s+(?:(?:a|an|the|competitor|competing|rival|alternative|other|platform|product|vendor|tool|solution|system|called|named)\s+){0,3}([A-Z][\w&-]+(?:\.(?:io|ai|com|co|net))?(?: [A-Z][\w&-]+)?)/g;

const GENERIC =
  /\b(?:evaluating alternatives|other vendors?|another (?:vendor|provider|platform|tool|solution)|competitors?|alternatives?|comparing a few platforms|vendor review)\b/gi;

/** Capitalised words that follow a cue but are not names. */
const NOT_NAMES = new Set([
  'The',
  'Our',
  'We',
  'Your',
  'You',
  'This',
  'That',
  'It',
  'A',
  'An',
  'All',
  'Options',
  'Other',
  'Alternatives',
  'Whether',
  'What',
  'How',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Q1',
  'Q2',
  'Q3',
  'Q4',
]);

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const detectCompetitorMentions: CompetitorDetector = (text, competitors) => {
  const out: CompetitorMention[] = [];
  const taken: [number, number][] = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a);
  const add = (m: CompetitorMention) => {
    if (overlaps(m.start, m.end)) return;
    taken.push([m.start, m.end]);
    out.push(m);
  };
  for (const name of competitors) {
    if (!name.trim()) continue;
    const re = new RegExp(`\\b${escapeRe(name.trim())}\\b`, 'gi');
    for (const m of text.matchAll(re))
      add({ competitor: name.trim(), span: m[0], start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(CUE)) {
    const raw = m[1]!;
    const first = raw.split(/\s/)[0]!;
    if (NOT_NAMES.has(first)) continue;
    const name = NOT_NAMES.has(raw.split(/\s/)[1] ?? '') ? first : raw.replace(/[.,;:]+$/, '');
    const start = m.index + m[0].length - raw.length;
    add({ competitor: name, span: m[0], start: m.index, end: start + raw.length });
  }
  for (const m of text.matchAll(GENERIC))
    add({ competitor: null, span: m[0], start: m.index, end: m.index + m[0].length });
  return out.sort((a, b) => a.start - b.start);
};
