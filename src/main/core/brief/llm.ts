/**
 * Optional local language model: an OpenAI-compatible chat-completions endpoint (Ollama, LM Studio...) on
 * this machine only. Off by default; everything works without it. It drafts the brief's prose from the
 * brief's grounded facts only, with personal data (names, e-mail addresses, phone numbers) replaced by
 * placeholders before anything is sent and put back afterwards.
 */
import {
  type Brief,
  type BriefNarrative,
  DEFAULT_LLM_SETTINGS,
  type LlmSettings,
} from '../../../shared/brief-types';
import { CoreError } from '../../../shared/result';
import type { PortfolioStore } from '../db/store';

const META_KEY = 'brief.llm_settings';

const LOOPBACK_V4 = /^127(?:\.\d{1,3}){3}$/;

/** Refuses any base URL that is not http(s) on a loopback address. */
export const assertLoopback = (baseUrl: string): URL => {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new CoreError('invalid_arguments', `not a URL: "${baseUrl}"`, 'baseUrl');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new CoreError(
      'invalid_arguments',
      `the model endpoint must be http or https, not ${u.protocol}`,
      'baseUrl',
    );
  }
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (!(host === 'localhost' || host === '::1' || LOOPBACK_V4.test(host))) {
    throw new CoreError(
      'invalid_arguments',
      `the model endpoint must be on this machine (localhost, 127.0.0.1 or ::1), not ${u.hostname}: customer data never leaves the laptop`,
      'baseUrl',
    );
  }
  if (u.username || u.password)
    throw new CoreError('invalid_arguments', 'the model endpoint URL must not carry credentials', 'baseUrl');
  return u;
};

export const getLlmSettings = (store: PortfolioStore): LlmSettings => {
  const raw = store.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [META_KEY])?.value;
  if (!raw) return { ...DEFAULT_LLM_SETTINGS };
  try {
    return { ...DEFAULT_LLM_SETTINGS, ...(JSON.parse(raw) as Partial<LlmSettings>) };
  } catch {
    return { ...DEFAULT_LLM_SETTINGS };
  }
};

export const setLlmSettings = (store: PortfolioStore, patch: Partial<LlmSettings>): LlmSettings => {
  const next: LlmSettings = { ...getLlmSettings(store), ...patch };
  assertLoopback(next.baseUrl);
  if (!next.model.trim()) throw new CoreError('invalid_arguments', 'a model name is required', 'model');
  store.write((tx) =>
    tx.run(
      'INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      [META_KEY, JSON.stringify(next)],
    ),
  );
  return next;
};

// -------------------------------------------------------------------------------------------------------
// Redaction

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const PHONE = /(?<![\w-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])/g;
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces personal data with numbered placeholders and restores it in the model's answer. */
export class Redactor {
  private readonly originals = new Map<string, string>();
  private readonly names: { re: RegExp; token: string }[] = [];
  private counts = { PERSON: 0, EMAIL: 0, PHONE: 0 };
  private readonly seen = new Map<string, string>();

  constructor(names: readonly string[]) {
    const full = [...new Set(names.map((n) => n.trim()).filter((n) => n.length >= 2))].sort(
      (a, b) => b.length - a.length,
    );
    const parts: [string, string][] = [];
    for (const name of full) {
      const token = this.token('PERSON', name);
      this.names.push({ re: new RegExp(`\\b${escapeRe(name)}\\b`, 'gi'), token });
      for (const p of name.split(/\s+/)) if (p.length >= 3 && /^[A-Z]/.test(p)) parts.push([p, token]);
    }
    const taken = new Set(full.map((n) => n.toLowerCase()));
    for (const [p, token] of parts) {
      if (taken.has(p.toLowerCase())) continue;
      taken.add(p.toLowerCase());
      this.names.push({ re: new RegExp(`\\b${escapeRe(p)}\\b`, 'g'), token });
    }
  }

  private token(kind: keyof Redactor['counts'], original: string): string {
    const key = `${kind}:${original.toLowerCase()}`;
    const existing = this.seen.get(key);
    if (existing) return existing;
    this.counts[kind] += 1;
    const t = `[${kind}_${this.counts[kind]}]`;
    this.seen.set(key, t);
    this.originals.set(t, original);
    return t;
  }

  redact(text: string): string {
    let out = text.replace(EMAIL, (m) => this.token('EMAIL', m));
    out = out.replace(PHONE, (m) => this.token('PHONE', m));
    for (const { re, token } of this.names) out = out.replace(re, token);
    return out;
  }

  restore(text: string): string {
    return text.replace(/\[(PERSON|EMAIL|PHONE)_\d+\]/g, (t) => this.originals.get(t) ?? t);
  }
}

/** The names a brief may contain: the account's contacts and message authors, and the team. */
export const personalNames = (store: PortfolioStore, accountId: number): string[] => [
  ...store
    .all<{ name: string }>('SELECT name FROM contacts WHERE account_id = ?', [accountId])
    .map((r) => r.name),
  ...store.all<{ name: string }>('SELECT name FROM team_members').map((r) => r.name),
  ...store
    .all<{ name: string }>(
      'SELECT DISTINCT m.author_name AS name FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.account_id = ? AND m.author_name IS NOT NULL',
      [accountId],
    )
    .map((r) => r.name),
];

// -------------------------------------------------------------------------------------------------------
// Drafting

export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body: string;
    redirect: 'error';
    signal: AbortSignal;
  },
) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

export const SYSTEM_PROMPT =
  'You draft internal notes for a customer success team. Write two or three short paragraphs summarising the escalation brief below. ' +
  'Use ONLY the numbered facts given; do not add facts, numbers or names. After each sentence, cite the fact numbers it uses like [3]. ' +
  'Placeholders such as [PERSON_1], [EMAIL_1] or [PHONE_1] stand for personal data: copy them exactly as written.';

/** The facts sent to the model: every grounded statement of the brief, numbered. */
export const briefFacts = (brief: Brief): string[] => [
  brief.headline.text,
  ...brief.sections.flatMap((s) =>
    s.items.filter((i) => i.kind !== 'note').map((i) => `${s.title}: ${i.text}`),
  ),
];

export const draftNarrative = async (
  brief: Brief,
  names: readonly string[],
  settings: LlmSettings,
  now: Date,
  fetchImpl: FetchLike = fetch as unknown as FetchLike,
): Promise<BriefNarrative> => {
  if (!settings.enabled)
    throw new CoreError(
      'invalid_arguments',
      'the local language model is switched off (Settings > Local model)',
      'enabled',
    );
  const base = assertLoopback(settings.baseUrl);
  const redactor = new Redactor(names);
  const facts = briefFacts(brief).map((f, i) => `[${i + 1}] ${redactor.redact(f)}`);
  const body = {
    model: settings.model,
    temperature: 0,
    stream: false,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: `Facts:\n${facts.join('\n')}` },
    ],
  };
  const url = new URL(`${base.pathname.replace(/\/$/, '')}/chat/completions`, base).toString();
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), settings.timeoutMs);
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      redirect: 'error',
      signal: ctrl.signal,
    });
  } catch (e) {
    throw new CoreError(
      'internal',
      `the local model at ${base.host} did not answer: ${(e as Error).message}`,
      'baseUrl',
    );
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) throw new CoreError('internal', `the local model answered HTTP ${res.status}`, 'baseUrl');
  const json = (await res.json()) as { choices?: { message?: { content?: unknown } }[] };
  const content = json.choices?.[0]?.message?.content;
  if (typeof content !== 'string' || !content.trim())
    throw new CoreError('internal', 'the local model returned no text', 'baseUrl');
  return { text: redactor.restore(content.trim()), model: settings.model, draftedAt: now.toISOString() };
};
