/**
 * The override editor: a new value (replace until an expiry) or a bias (influence), always with a
 * reason; outside the guardrails it needs an explicit confirmation, which the API asks for. Used as
 * the review grid's popup cell editor and on the detail screen.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { ICellEditorComp, ICellEditorParams } from 'ag-grid-community';
import type { ApiInput, DecisionRow } from '../../../engine/api/contract';
import { ApiClientError } from '../../api/client';
import { formatValue, moneyInputValue, parseMoneyInput, parseSeatsInput, formatSignedPct } from '../../components/format';

export type OverrideInput = ApiInput<'decisions.override'>;
export type OverrideTarget = Pick<DecisionRow, 'id' | 'kind' | 'currency' | 'currentValue' | 'recommendedValue' | 'proposedValue' | 'guardrails' | 'travelDateTo' | 'origin' | 'destination' | 'rbd'>;

export interface OverrideFormState {
  mode: 'replace' | 'influence';
  value: string;
  biasPct: string;
  halfLifeDays: string;
  expiresOn: string;
  reason: string;
  confirmOutside: boolean;
}

export function initialOverrideState(t: OverrideTarget): OverrideFormState {
  return {
    mode: 'replace',
    value: t.currency ? moneyInputValue(t.proposedValue, t.currency) : String(t.proposedValue),
    biasPct: '',
    halfLifeDays: '7',
    expiresOn: t.travelDateTo,
    reason: '',
    confirmOutside: false,
  };
}

export type BuildResult = { ok: true; input: OverrideInput } | { ok: false; field: keyof OverrideFormState; error: string };

/** Checks the form and builds the API input; the first problem names its field. */
export function buildOverride(t: OverrideTarget, s: OverrideFormState, today: string): BuildResult {
  if (s.reason.trim().length < 3) return { ok: false, field: 'reason', error: 'Say why you override, in a few words (required).' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s.expiresOn)) return { ok: false, field: 'expiresOn', error: 'Choose the date the override expires.' };
  if (s.expiresOn < today) return { ok: false, field: 'expiresOn', error: 'The expiry is in the past.' };
  const common = { id: t.id, mode: s.mode, expiresAt: `${s.expiresOn}T23:59:59Z`, reason: s.reason.trim(), confirmOutsideGuardrails: s.confirmOutside };
  if (s.mode === 'replace') {
    const v = t.currency ? parseMoneyInput(s.value, t.currency) : parseSeatsInput(s.value);
    if (!v.ok) return { ok: false, field: 'value', error: v.error };
    return { ok: true, input: { ...common, value: v.value } };
  }
  const bias = Number(s.biasPct.trim().replace(',', '.'));
  if (s.biasPct.trim() === '' || !Number.isFinite(bias)) return { ok: false, field: 'biasPct', error: 'Enter the bias in percent, e.g. 5 or -3.' };
  if (bias === 0) return { ok: false, field: 'biasPct', error: 'A bias of 0 % changes nothing.' };
  if (bias < -90 || bias > 500) return { ok: false, field: 'biasPct', error: 'The bias lies between −90 % and +500 %.' };
  const hl = Number(s.halfLifeDays);
  if (!Number.isFinite(hl) || hl < 0.25 || hl > 365) return { ok: false, field: 'halfLifeDays', error: 'The half-life lies between 0.25 and 365 days.' };
  return { ok: true, input: { ...common, biasPct: bias, halfLifeDays: hl } };
}

function guardrailText(t: OverrideTarget): string | null {
  const g = t.guardrails;
  if (!g) return null;
  const parts: string[] = [];
  if (g.floor !== null) parts.push(`floor ${formatValue(g.floor, t.currency)}`);
  if (g.ceiling !== null) parts.push(`ceiling ${formatValue(g.ceiling, t.currency)}`);
  if (g.maxChangePct !== null) parts.push(`max change ±${g.maxChangePct} %`);
  return parts.length ? parts.join(' · ') : null;
}

export function OverrideForm({ target, onSubmit, onCancel, today, autoFocus = true }: {
  target: OverrideTarget;
  onSubmit: (input: OverrideInput) => Promise<unknown>;
  onCancel: () => void;
  today: string;
  autoFocus?: boolean;
}) {
  const [s, setS] = useState<OverrideFormState>(() => initialOverrideState(target));
  const [problem, setProblem] = useState<{ field: string | null; message: string } | null>(null);
  const [needsConfirm, setNeedsConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => { if (autoFocus) { first.current?.focus(); first.current?.select(); } }, [autoFocus, s.mode]);
  const set = <K extends keyof OverrideFormState>(k: K, v: OverrideFormState[K]) => setS((x) => ({ ...x, [k]: v }));
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const built = buildOverride(target, s, today);
    if (!built.ok) { setProblem({ field: built.field, message: built.error }); return; }
    setBusy(true);
    setProblem(null);
    try {
      await onSubmit(built.input);
    } catch (err) {
      const field = err instanceof ApiClientError ? err.field ?? null : null;
      if (field === 'confirmOutsideGuardrails') setNeedsConfirm(true);
      setProblem({ field, message: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const invalid = (f: keyof OverrideFormState) => problem?.field === f || undefined;
  const unit = target.currency ?? 'seats';
  const g = guardrailText(target);
  return (
    <form className="override-form" onSubmit={(e) => void submit(e)} aria-label="Override" data-testid="override-form"
      onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onCancel(); } }}>
      <div className="override-head">
        <strong>Override {target.origin}-{target.destination} {target.rbd}</strong>
        <span className="muted small">current {formatValue(target.currentValue, target.currency)} · recommended {formatValue(target.recommendedValue, target.currency)}</span>
        {g && <span className="muted small" data-testid="override-guardrails">Guardrails: {g}</span>}
      </div>
      <div className="segmented" role="radiogroup" aria-label="Override mode">
        <label><input type="radio" name="mode" checked={s.mode === 'replace'} onChange={() => set('mode', 'replace')} /> Replace until expiry</label>
        <label><input type="radio" name="mode" checked={s.mode === 'influence'} onChange={() => set('mode', 'influence')} disabled={target.kind !== 'fare'} /> Influence (bias)</label>
      </div>
      {s.mode === 'replace' ? (
        <label>New value ({unit})
          <input ref={first} inputMode="decimal" value={s.value} onChange={(e) => set('value', e.target.value)} aria-invalid={invalid('value')} data-testid="override-value" />
        </label>
      ) : (
        <div className="form-row">
          <label>Bias (%)<input ref={first} inputMode="decimal" value={s.biasPct} onChange={(e) => set('biasPct', e.target.value)} aria-invalid={invalid('biasPct')} data-testid="override-bias" /></label>
          <label>Half-life (days)<input inputMode="decimal" value={s.halfLifeDays} onChange={(e) => set('halfLifeDays', e.target.value)} aria-invalid={invalid('halfLifeDays')} /></label>
        </div>
      )}
      {s.mode === 'replace' && target.currentValue !== null && (() => {
        const v = target.currency ? parseMoneyInput(s.value, target.currency) : parseSeatsInput(s.value);
        return v.ok && target.currentValue > 0 ? <span className="muted small" data-testid="override-change">{formatSignedPct(((v.value - target.currentValue) / target.currentValue) * 100)} against current</span> : null;
      })()}
      <label>Expires on (end of day, UTC)<input type="date" value={s.expiresOn} min={today} onChange={(e) => set('expiresOn', e.target.value)} aria-invalid={invalid('expiresOn')} data-testid="override-expires" /></label>
      <label>Reason <span className="muted small">(required)</span>
        <textarea rows={2} value={s.reason} onChange={(e) => set('reason', e.target.value)} aria-invalid={invalid('reason')} data-testid="override-reason"
          onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); void submit(); } }} />
      </label>
      {needsConfirm && (
        <label className="confirm-outside">
          <input type="checkbox" checked={s.confirmOutside} onChange={(e) => set('confirmOutside', e.target.checked)} data-testid="override-confirm-outside" />
          I confirm this value outside the guardrails (it will be marked)
        </label>
      )}
      {problem && <p className="error-text small" role="alert" data-testid="override-error">{problem.message}</p>}
      <div className="row-actions">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="submit" className="primary" disabled={busy} data-testid="override-submit">{busy ? 'Saving…' : 'Save override'}</button>
      </div>
    </form>
  );
}

export interface OverrideEditorParams {
  onSubmit: (input: OverrideInput) => Promise<unknown>;
  today: () => string;
}

/**
 * The review grid's popup cell editor: the form, in a React root of its own (the grid is drawn by
 * ag-grid's DOM renderer, see DomGrid). The cell's value does not change here: the grid is refreshed
 * from the API after the save.
 */
export class OverrideCellEditorComp implements ICellEditorComp<DecisionRow> {
  private readonly el = document.createElement('div');
  private root: Root | null = null;
  private value: number | null | undefined = null;

  init(p: ICellEditorParams<DecisionRow, number | null> & OverrideEditorParams): void {
    this.el.className = 'override-popup';
    this.value = p.value;
    const row = p.data;
    if (!row) return;
    this.root = createRoot(this.el);
    this.root.render(
      <OverrideForm target={row} today={p.today()}
        onSubmit={async (input) => { await p.onSubmit(input); p.stopEditing(); }}
        onCancel={() => p.api.stopEditing(true)} />,
    );
  }

  getGui(): HTMLElement {
    return this.el;
  }

  getValue(): number | null | undefined {
    return this.value;
  }

  destroy(): void {
    const root = this.root;
    this.root = null;
    // the grid closes the editor from the form's own handlers (save, cancel): unmount after them
    if (root) queueMicrotask(() => root.unmount());
  }
}
