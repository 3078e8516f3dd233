import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlm, startFakeLlm } from '../../../../tests/fakes/llm-server';
import { DEFAULT_LLM_SETTINGS } from '../../../shared/brief-types';
import { PortfolioStore } from '../db/store';
import { buildBrief } from './brief';
import {
  assertLoopback,
  draftNarrative,
  getLlmSettings,
  personalNames,
  Redactor,
  setLlmSettings,
} from './llm';
import { buildFixture, FIXTURE_AS_OF, type FixtureIds } from './test-fixture';

let store: PortfolioStore;
let ids: FixtureIds;
let fake: FakeLlm | null = null;

beforeAll(async () => {
  store = await PortfolioStore.memory();
  ids = buildFixture(store);
});
afterEach(async () => {
  await fake?.close();
  fake = null;
});

describe('local language model settings', () => {
  it('is off by default and accepts loopback endpoints only', () => {
    expect(getLlmSettings(store)).toEqual(DEFAULT_LLM_SETTINGS);
    expect(DEFAULT_LLM_SETTINGS.enabled).toBe(false);
    for (const ok of [
      'http://127.0.0.1:11434/v1',
      'http://localhost:1234/v1',
      'http://[::1]:8080/v1',
      'http://127.8.9.10/v1',
    ]) {
      expect(() => assertLoopback(ok)).not.toThrow();
    }
    for (const bad of [
      'http://10.0.0.5:11434/v1',
      'https://api.openai.com/v1',
      'http://localhost.evil.com/v1',
      'http://127.0.0.1.nip.io/v1',
      'file:///etc/passwd',
      'http://user:pw@127.0.0.1/v1',
    ]) {
      expect(() => assertLoopback(bad), bad).toThrow();
    }
    expect(() => setLlmSettings(store, { baseUrl: 'http://192.168.1.20:11434/v1' })).toThrow(
      /on this machine/,
    );
    expect(getLlmSettings(store).baseUrl).toBe(DEFAULT_LLM_SETTINGS.baseUrl);
  });
});

describe('redaction', () => {
  it('replaces names, emails and phone numbers, and restores them', () => {
    const r = new Redactor(['Sarah Sampleton', 'Tom Fixture']);
    const text =
      'Sarah Sampleton left; Tom wrote from tom.fixture@techflow.example, call 555-201-3344 or +1 (415) 555-0100. Fixture is upset.';
    const red = r.redact(text);
    expect(red).not.toMatch(/Sarah|Sampleton|Tom|Fixture|@|555/);
    expect(red).toContain('[PERSON_1]');
    expect(red).toContain('[EMAIL_1]');
    expect(red).toContain('[PHONE_1]');
    expect(r.restore('[PERSON_1] and [EMAIL_1]')).toBe('Sarah Sampleton and tom.fixture@techflow.example');
    expect(r.redact('Renewal on 2027-02-06, ARR $380K')).toBe('Renewal on 2027-02-06, ARR $380K');
  });
});

describe('drafting the brief prose with a local model', () => {
  it('refuses when switched off', async () => {
    const brief = buildBrief(store, { accountId: ids.techflow }, FIXTURE_AS_OF);
    await expect(draftNarrative(brief, [], DEFAULT_LLM_SETTINGS, FIXTURE_AS_OF)).rejects.toThrow(
      /switched off/,
    );
  });

  it('sends only redacted grounded facts to a loopback endpoint and restores names in the answer', async () => {
    fake = await startFakeLlm();
    const settings = setLlmSettings(store, {
      enabled: true,
      baseUrl: fake.baseUrl,
      model: 'fake-model',
      timeoutMs: 5000,
    });
    const brief = buildBrief(store, { accountId: ids.techflow }, FIXTURE_AS_OF);
    const names = personalNames(store, ids.techflow);
    expect(names).toContain('Sarah Sampleton');
    const n = await draftNarrative(brief, names, settings, FIXTURE_AS_OF);
    expect(fake.received).toHaveLength(1);
    expect(fake.paths[0]).toBe('/v1/chat/completions');
    const sent = fake.received[0]!;
    for (const name of [...names, 'Sarah', 'Sampleton', 'Fixture', 'Sample'])
      expect(sent, name).not.toContain(name);
    expect(sent).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
    expect(sent).not.toContain('555-201-3344');
    expect(sent).toContain('DataPilot');
    expect(sent).toContain('TechFlow Industries');
    const body = JSON.parse(sent) as { model: string; messages: { role: string }[] };
    expect(body.model).toBe('fake-model');
    expect(n.text).toContain('Sarah Sampleton');
    expect(n.text).not.toMatch(/\[PERSON_\d+\]/);
    expect(n.model).toBe('fake-model');
  });

  it('reports an endpoint failure clearly', async () => {
    fake = await startFakeLlm({ status: 500 });
    const brief = buildBrief(store, { accountId: ids.quiet }, FIXTURE_AS_OF);
    await expect(
      draftNarrative(
        brief,
        [],
        { ...DEFAULT_LLM_SETTINGS, enabled: true, baseUrl: fake.baseUrl },
        FIXTURE_AS_OF,
      ),
    ).rejects.toThrow(/HTTP 500/);
  });
});
