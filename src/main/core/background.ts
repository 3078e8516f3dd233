/**
 * What runs while the app is open (desktop or web mode), on one interval: the routing automations (SLA clocks,
 * escalation paths, the notification outbox; they catch up after sleep) and the daily rescore, so days to
 * renewal, time windows and the model's probabilities move on with the calendar even when no record changes.
 * The first daily check waits a little, so opening the app is not slowed down.
 */
import type { Core } from './core';
import { rescoreIfNewDay } from './risk/engine';
import { startAutomations } from './routing/automations';

export const startBackgroundJobs = (
  core: Core,
  opts: {
    intervalMs?: number;
    firstRescoreAfterMs?: number;
    onError?: (what: string, e: unknown) => void;
  } = {},
): (() => void) => {
  const intervalMs = opts.intervalMs ?? 60_000;
  const stopAutomations = startAutomations(core, intervalMs, (e) => opts.onError?.('automations', e));
  const daily = (): void => {
    try {
      rescoreIfNewDay(core); // emits data.changed (risk_scores) itself, so open pages refresh
    } catch (e) {
      opts.onError?.('daily rescore', e);
    }
  };
  const first = setTimeout(daily, opts.firstRescoreAfterMs ?? 30_000);
  const timer = setInterval(daily, intervalMs);
  first.unref?.();
  timer.unref?.();
  return () => {
    stopAutomations();
    clearTimeout(first);
    clearInterval(timer);
  };
};
