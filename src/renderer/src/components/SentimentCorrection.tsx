/**
 * A small control next to a customer message: shows the detected escalation intents (with the words that
 * triggered them) and lets a person correct the message's sentiment and intents. Corrections are stored and
 * teach the scorer the team's own language (Settings → "Learn from corrections").
 */
import { useState } from 'react';
import type { textContract } from '../../../shared/contracts/text';
import type { ApiError } from '../../../shared/result';
import { areaApi } from '../pages/area-api';

const text = areaApi<typeof textContract>();

type Label = 'positive' | 'neutral' | 'negative';
type IntentKind = 'frustration' | 'churn' | 'competitor' | 'executive_legal' | 'outage_defect';
type DetectedIntent = { kind: IntentKind; text: string; source: string; confidence: number };

const LABELS: Label[] = ['negative', 'neutral', 'positive'];
const INTENTS: { kind: IntentKind; label: string }[] = [
  { kind: 'frustration', label: 'Frustration / urgency' },
  { kind: 'churn', label: 'Churn or cancellation' },
  { kind: 'competitor', label: 'Competitor mention' },
  { kind: 'executive_legal', label: 'Executive or legal threat' },
  { kind: 'outage_defect', label: 'Outage or defect' },
];
const INTENT_LABEL = Object.fromEntries(INTENTS.map((i) => [i.kind, i.label])) as Record<IntentKind, string>;
const WHO_KEY = 'bellwether.decider';

const asLabel = (l: string | null): Label | '' => {
  const x = (l ?? '').toLowerCase();
  return x === 'positive' || x === 'neutral' || x === 'negative' ? x : '';
};

export const SentimentCorrection = ({ messageId, label }: { messageId: number; label: string | null }) => {
  const [open, setOpen] = useState(false);
  const [detected, setDetected] = useState<DetectedIntent[] | null>(null);
  const [newLabel, setNewLabel] = useState<Label | ''>(asLabel(label));
  const [intents, setIntents] = useState<Set<IntentKind> | null>(null);
  const [who, setWho] = useState(() => {
    try {
      return localStorage.getItem(WHO_KEY) ?? '';
    } catch {
      return '';
    }
  });
  const [error, setError] = useState<ApiError | string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const expand = async () => {
    setOpen(true);
    setSaved(null);
    if (detected) return;
    const r = await text.call('sentiment.messageIntents', { messageId });
    if (!r.ok) {
      setError(r.error);
      setDetected([]);
      return;
    }
    const list = r.value as DetectedIntent[];
    setDetected(list);
    setIntents(new Set(list.map((i) => i.kind)));
  };

  const save = async () => {
    setError(null);
    if (!who.trim()) {
      setError('Say who is correcting (your name).');
      return;
    }
    const before = new Set(detected?.map((i) => i.kind) ?? []);
    const changedIntents =
      intents !== null && (intents.size !== before.size || [...intents].some((k) => !before.has(k)));
    const changedLabel = newLabel !== '' && newLabel !== asLabel(label);
    if (!changedLabel && !changedIntents) {
      setError('Nothing changed: pick a different sentiment or change the intents.');
      return;
    }
    setBusy(true);
    try {
      localStorage.setItem(WHO_KEY, who.trim());
    } catch {
      // storage may be disabled; the name is still sent
    }
    const r = await text.call('corrections.add', {
      messageId,
      ...(changedLabel && newLabel ? { label: newLabel } : {}),
      ...(changedIntents && intents ? { intents: [...intents] } : {}),
      by: who.trim(),
    });
    setBusy(false);
    if (!r.ok) setError(r.error);
    else {
      setSaved('Correction saved. The scorer learns from it next time it is trained on corrections.');
      setOpen(false);
      setDetected(null);
    }
  };

  return (
    <div className="sentiment-correction" data-testid="sentiment-correction">
      {!open ? (
        <button
          type="button"
          className="btn btn-link btn-small"
          onClick={() => void expand()}
          aria-label={`Correct the sentiment of message ${messageId}`}
        >
          Correct sentiment / intents
        </button>
      ) : (
        <fieldset className="correction-form" style={{ border: '1px solid var(--border)', borderRadius: 6 }}>
          <legend className="small">Correct this message</legend>
          {detected === null ? (
            <p className="small muted">Loading detected intents…</p>
          ) : detected.length ? (
            <p className="small">
              Detected:{' '}
              {detected.map((i) => (
                <span
                  key={`${i.kind}:${i.text}`}
                  className="badge"
                  title={`${i.source}, confidence ${i.confidence}`}
                >
                  {INTENT_LABEL[i.kind] ?? i.kind}: “{i.text}”
                </span>
              ))}
            </p>
          ) : (
            <p className="small muted">No escalation intent detected.</p>
          )}
          <div className="field field-inline">
            <label htmlFor={`corr-label-${messageId}`}>Sentiment</label>
            <select
              id={`corr-label-${messageId}`}
              value={newLabel}
              onChange={(e) => setNewLabel(e.target.value as Label | '')}
            >
              <option value="">(unchanged)</option>
              {LABELS.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="small" style={{ border: 0, padding: 0, margin: '4px 0' }}>
            <legend className="small">Intents this message carries</legend>
            {INTENTS.map((i) => (
              <label key={i.kind} style={{ marginRight: 12, whiteSpace: 'nowrap' }}>
                <input
                  type="checkbox"
                  checked={intents?.has(i.kind) ?? false}
                  disabled={intents === null}
                  onChange={(e) => {
                    const next = new Set(intents ?? []);
                    if (e.target.checked) next.add(i.kind);
                    else next.delete(i.kind);
                    setIntents(next);
                  }}
                />{' '}
                {i.label}
              </label>
            ))}
          </fieldset>
          <div className="toolbar">
            <input
              aria-label="Your name"
              placeholder="Your name"
              value={who}
              onChange={(e) => setWho(e.target.value)}
              size={16}
            />
            <button
              type="button"
              className="btn btn-small btn-primary"
              disabled={busy}
              onClick={() => void save()}
            >
              Save correction
            </button>
            <button type="button" className="btn btn-small btn-link" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </fieldset>
      )}
      {error ? (
        <p className="error-message small" role="alert">
          {typeof error === 'string' ? error : error.message}
        </p>
      ) : null}
      {saved ? (
        <p className="small" role="status">
          {saved}
        </p>
      ) : null}
    </div>
  );
};
