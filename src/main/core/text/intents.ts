/**
 * Escalation intents beyond polarity, each with the span of text that triggered it. Pure functions, no I/O.
 *
 * Rules are hand-written patterns over the raw text (case-insensitive). Complaints often carry no sentiment
 * words ("on hold for 45 minutes and nobody answered"; "please cancel, the app keeps crashing"), so the
 * patterns look for what people describe (waiting, repetition, cancelling, failures) rather than for adjectives.
 */

export const INTENT_KINDS = [
  'frustration',
  'churn',
  'competitor',
  'executive_legal',
  'outage_defect',
] as const;
export type IntentKind = (typeof INTENT_KINDS)[number];

export interface Intent {
  kind: IntentKind;
  /** [start, end) offsets into the input text (UTF-16 code units). */
  span: [number, number];
  /** The triggering text, `text.slice(start, end)`. */
  text: string;
  /** 0..1: how strongly this pattern signals the intent. */
  confidence: number;
}

export interface IntentOptions {
  /** Competitor names (matched as whole words, case-insensitive). */
  competitors?: readonly string[];
}

interface Rule {
  kind: IntentKind;
  re: RegExp;
  confidence: number;
  /** Skip the match when a negator ("no", "not", "without", "never") precedes it closely ("no errors"). */
  negatable?: boolean;
}

const N =
  '(?:\\d+|a few|few|several|many|two|three|four|five|six|ten|twenty|thirty|forty|forty-five|fifty|an?)';
const UNIT = '(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?)';
const THING = '(?:subscription|account|contract|plan|service|licen[cs]es?|seats?|membership|order|renewal)';

const RULES: Rule[] = [
  // frustration / urgency
  {
    kind: 'frustration',
    re: new RegExp(`\\bon hold (?:for )?(?:over |more than |almost |nearly )?${N} ${UNIT}`, 'gi'),
    confidence: 0.9,
  },
  {
    kind: 'frustration',
    re: new RegExp(
      `\\b(?:waited|waiting|been waiting|wait(?:ed)? time of)(?: for)?(?: over| more than| almost| nearly)? ${N} ${UNIT}`,
      'gi',
    ),
    confidence: 0.8,
  },
  {
    kind: 'frustration',
    re: /\b(?:nobody|no one|no-one|not a single (?:person|one)|no human|never)(?: has| ever| even)? (?:answered|answers|responded|responds|replied|replies|got back|gets back|called (?:me |us )?back|picked up|showed up|followed up|reached out)/gi,
    confidence: 0.9,
  },
  {
    kind: 'frustration',
    re: /\b(?:still )?(?:no|zero|without (?:any|a)) (?:response|reply|answer|update|feedback|callback|call back|word)(?: from (?:you|your team|anyone|support))?(?: (?:yet|in|for|since|after))?/gi,
    confidence: 0.75,
  },
  {
    kind: 'frustration',
    re: /\b(?:still|again) (?:not (?:fixed|resolved|working|solved|answered)|broken|waiting|failing|down|no (?:fix|answer|reply|response))|\bstill (?:have|has|haven't|hasn't|have not|has not|can't|cannot|don't|do not)\b/gi,
    confidence: 0.8,
  },
  {
    kind: 'frustration',
    re: /\b(?:(?:second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)) time|(?:three|four|five|several|multiple|many|countless|\d+) times|how many times|yet again|once again|same (?:issue|problem|error|bug) again)\b/gi,
    confidence: 0.75,
  },
  {
    kind: 'frustration',
    re: /\b(?:unacceptable|ridiculous|frustrat(?:ed|ing|ion)|fed up|sick (?:and tired )?of|tired of|disappointed|disappointing|furious|angry|annoyed|outrageous|appalling|terrible|horrible|awful|worst|useless|a joke|fiasco|nightmare|disaster|incompetent)\b/gi,
    confidence: 0.85,
  },
  {
    kind: 'frustration',
    re: /\b(?:urgent(?:ly)?|asap|a\.s\.a\.p\.?|immediately|emergency|as soon as possible|right now|top priority|business[- ]critical|time[- ]sensitive)\b/gi,
    confidence: 0.6,
  },
  {
    kind: 'frustration',
    re: /\b(?:why (?:does|is|has|do|did) (?:it|this|that|everything) (?:take|taking|taken) so long|closed (?:my|our|the) ticket without|(?:take|takes|taking|took) (?:days|weeks|forever) to (?:get|respond|reply|answer)|canned (?:reply|response|answer))/gi,
    confidence: 0.8,
  },
  // churn / cancellation
  {
    kind: 'churn',
    re: new RegExp(
      `\\bcancel(?:l?ing|l?ed|lation)?(?: (?:of )?(?:my|our|the|this) ${THING}| ${THING})?\\b`,
      'gi',
    ),
    confidence: 0.85,
  },
  {
    kind: 'churn',
    re: /\b(?:not|won't|will not|don't|do not|cannot|can't|no longer|unlikely to|hesitant to|reluctant to) (?:be )?(?:going to |plan(?:ning)? to |want to |able to |willing to )?renew(?:ing|al)?\b/gi,
    confidence: 0.9,
  },
  {
    kind: 'churn',
    re: new RegExp(
      `\\b(?:terminat(?:e|ing|ion)|end(?:ing)?|exit(?:ing)?|leav(?:e|ing)|discontinu(?:e|ing)) (?:of )?(?:our|the|this|my) (?:${THING}|relationship|partnership|agreement)`,
      'gi',
    ),
    confidence: 0.85,
  },
  {
    kind: 'churn',
    re: /\b(?:switch(?:ing)?|mov(?:e|ing)|migrat(?:e|ing)|go(?:ing)?|leav(?:e|ing)) (?:away from you|to (?:another|a different|a new|other) (?:vendor|provider|tool|solution|platform|product|supplier))/gi,
    confidence: 0.85,
  },
  {
    kind: 'churn',
    re: /\b(?:(?:full |a )?refund|downgrad(?:e|ing)|reduc(?:e|ing) (?:our |the )?(?:seats|licen[cs]es|users|spend)|reconsider(?:ing)? (?:our|the) (?:contract|subscription|partnership|relationship|investment)|not worth (?:the money|it|the price)|we(?: will|'ll| are going to) walk|close (?:our|my) account)\b/gi,
    confidence: 0.65,
  },
  {
    kind: 'churn',
    re: /\b(?:never (?:(?:be )?(?:fly|flying|use|using|buy|buying|order|ordering|book|booking|shop|shopping|stay|staying|deal|dealing|do business|recommend|recommending|come back|coming back)(?: (?:with|from|at|to))?(?: (?:you|this \w+|your \w+|it|them))? ?(?:again|anymore)|again)|#neveragain|(?:won't|will not|not going to) (?:be )?(?:fly|flying|use|using|buy|buying|order|ordering|book|booking|recommend|recommending) (?:(?:with|from|at) )?(?:you|this \w+|your \w+)(?: again| anymore)|(?:lost|losing) (?:a|another|me as a) (?:loyal )?customer|(?:rethinking|reconsidering) (?:my|our|whether)|(?:switch|switching|taking my business) (?:to|elsewhere))\b/gi,
    confidence: 0.8,
  },
  // competitor (the configurable name list is added per call)
  {
    kind: 'competitor',
    re: /\b(?:evaluat(?:e|ing|ion of)|look(?:ing)? (?:at|into)|consider(?:ing)?|explor(?:e|ing)|trial(?:l?ing)?|test(?:ing)?|talk(?:ing)? to|speak(?:ing)? (?:to|with)|demo(?:s|ing)?(?: with)?|compar(?:e|ing)(?: you)? (?:to|with)?) (?:some |a few |several )?(?:other|alternative|different|competing|another|new)? ?(?:vendors?|providers?|alternatives|options|solutions|tools|platforms|suppliers|competitors?|products)\b/gi,
    confidence: 0.85,
  },
  {
    kind: 'competitor',
    re: /\b(?:competitors?|competing (?:product|vendor|solution|offer)s?|(?:an |a )?rfp\b|request for proposals?|(?:better|cheaper) (?:offer|deal|alternative|option)s?(?: from)?|alternatives? (?:to you|on the market))/gi,
    confidence: 0.75,
  },
  // executive / legal threat
  {
    kind: 'executive_legal',
    re: /\b(?:lawyers?|attorneys?|legal (?:team|department|action|counsel|proceedings|department)|sue|suing|lawsuit|litigation|breach of (?:contract|the agreement|sla)|sla breach|in breach|penalt(?:y|ies)|liquidated damages|formal complaint|regulator|ombudsman|small claims)\b/gi,
    confidence: 0.9,
  },
  {
    kind: 'executive_legal',
    re: /\b(?:escalat(?:e|ed|ing)(?: this)?|bring(?:ing)? (?:this|it) up|rais(?:e|ing) (?:this|it)) (?:to|with) (?:your |our |my |the )?(?:ceo|cfo|cto|cio|coo|vp|vice president|president|board|leadership|management|executives?|head of|senior management|legal)/gi,
    confidence: 0.9,
  },
  {
    kind: 'executive_legal',
    re: /\b(?:our|my) (?:ceo|cfo|cto|cio|coo|vp|svp|evp|vice president|president|board|leadership team|executive team|executives|chief [a-z]+ officer)\b/gi,
    confidence: 0.45,
  },
  // outage / defect
  {
    kind: 'outage_defect',
    re: /\b(?:outages?|downtime|(?:is|are|was|were|went|goes|has been|have been|been|still) down\b|service (?:disruption|interruption|degradation)|incidents?\b)/gi,
    confidence: 0.85,
    negatable: true,
  },
  {
    kind: 'outage_defect',
    re: /\b(?:crash(?:es|ed|ing)?|freez(?:e|es|ing)|froze|hangs|hanging|broke|broken|bugs?|buggy|glitch(?:es|y)?|errors?|exceptions?|(?:error |status )?(?:500|502|503|504)\b|timeouts?|tim(?:es|ed|ing) out|data (?:loss|lost|is missing|missing|corrupt(?:ed|ion)?)|corrupt(?:ed)?|missing data|locked out|logs? (?:me|us|them|users) out|slow(?:ness)?|laggy|latency|unresponsive|keeps? (?:failing|crashing|freezing|restarting|disconnecting|logging))\b/gi,
    confidence: 0.75,
    negatable: true,
  },
  {
    kind: 'outage_defect',
    re: /\b(?:not|isn't|aren't|wasn't|doesn't|don't|won't|can't|cannot|couldn't|unable to|fails? to|failed to|stopped) (?:be able to )?(?:work(?:ing|s)?|load(?:ing|s)?|open(?:ing|s)?|log ?in|sign ?in|sync(?:ing|s)?|connect(?:ing|s)?|sav(?:e|ing|es)|respond(?:ing|s)?|send(?:ing|s)?|export(?:ing|s)?|import(?:ing|s)?|run(?:ning|s)?|start(?:ing|s)?|access)\b/gi,
    confidence: 0.75,
  },
  {
    kind: 'outage_defect',
    re: /\b(?:fail(?:s|ed|ing|ures?)|bounc(?:e|es|ed|ing) back|does(?:n't| not) match|(?:are|is) wrong|incorrect (?:data|numbers|totals|amount))\b/gi,
    confidence: 0.6,
    negatable: true,
  },
];

const NEGATOR = /\b(?:no|not|never|without|zero|any more|no more|fewer|less)\s+(?:\w+\s+)?$/i;
const RESOLVED =
  /\b(?:fixed|fixing|resolved|resolving|solved|sorted|works? (?:again|now|fine|perfectly|great)|working (?:again|now|fine|perfectly|great)|back (?:up|online|to normal)|no longer)\b/i;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const competitorRule = (names: readonly string[]): Rule | null => {
  const clean = names.map((n) => n.trim()).filter((n) => n.length > 1);
  if (clean.length === 0) return null;
  const alt = clean
    .sort((a, b) => b.length - a.length)
    .map(escapeRe)
    .join('|');
  return { kind: 'competitor', re: new RegExp(`(?<![\\w])(?:${alt})(?![\\w])`, 'gi'), confidence: 0.8 };
};

/** True when the text reports that a problem is over ("fixed", "working again"); such defect words weigh less. */
export const mentionsResolution = (text: string): boolean => RESOLVED.test(text);

/**
 * Finds escalation intents in `text`. Overlapping matches of the same kind are merged (the most confident
 * span is kept); results are sorted by position.
 */
export const detectIntents = (text: string, opts: IntentOptions = {}): Intent[] => {
  const rules = [...RULES];
  const comp = competitorRule(opts.competitors ?? []);
  if (comp) rules.push(comp);
  const found: Intent[] = [];
  for (const rule of rules) {
    rule.re.lastIndex = 0;
    for (const m of text.matchAll(rule.re)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (end === start) continue;
      if (rule.negatable && NEGATOR.test(text.slice(Math.max(0, start - 24), start))) continue;
      found.push({ kind: rule.kind, span: [start, end], text: m[0], confidence: rule.confidence });
    }
  }
  // Competitor names mentioned next to the phrasing boost confidence; a generic "test" next to "tools" is weaker.
  found.sort((a, b) => a.span[0] - b.span[0] || b.span[1] - a.span[1]);
  const merged: Intent[] = [];
  for (const it of found) {
    const clash = merged.find((o) => o.kind === it.kind && it.span[0] < o.span[1] && o.span[0] < it.span[1]);
    if (!clash) {
      merged.push(it);
      continue;
    }
    if (
      it.confidence > clash.confidence ||
      (it.confidence === clash.confidence && it.text.length > clash.text.length)
    ) {
      Object.assign(clash, it);
    }
  }
  return merged.sort((a, b) => a.span[0] - b.span[0]);
};

/** How much each intent kind pushes a message toward negative sentiment (0..1). */
export const INTENT_NEGATIVE_WEIGHT: Record<IntentKind, number> = {
  churn: 1,
  executive_legal: 1,
  frustration: 0.9,
  outage_defect: 0.75,
  competitor: 0.6,
};

/**
 * The strongest negative push of a message's intents (0..1). Defect and frustration words in a message
 * that reports the problem fixed ("the crash is fixed, thanks") count for little.
 */
export const intentPressure = (text: string, intents: readonly Intent[]): number => {
  const resolved = mentionsResolution(text);
  let p = 0;
  for (const it of intents) {
    let w = INTENT_NEGATIVE_WEIGHT[it.kind] * it.confidence;
    if (resolved && (it.kind === 'outage_defect' || it.kind === 'frustration')) w *= 0.3;
    if (w > p) p = w;
  }
  return p;
};
