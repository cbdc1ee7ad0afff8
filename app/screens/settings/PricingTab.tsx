/** Guardrails (floor, ceiling per cabin, maximum change), the smallest fare change to file and competitor strategies, per market and as defaults. */
import { useState } from 'react';
import type { ApiInput, CompetitorStrategy, EnginePricingDefaults, MarketPricingSetting, PricingSettings } from '../../../engine/api/contract';
import { MAX_MIN_CHANGE_PCT } from '../../../engine/domain/fareChange';
import { OVERBOOKING_MAX_PCT } from '../../../engine/domain/overbooking';
import { useApi, useApiMutation } from '../../api/hooks';
import { useSession, needsRole } from '../../api/session';
import { ErrorNote, QueryState } from '../../components/States';
import { formatCount, formatMoney, formatInstant, moneyInputValue, parseMoneyInput, viewerZone } from '../../components/format';

type SaveInput = ApiInput<'settings.savePricing'>;

export function describeStrategy(s: CompetitorStrategy | null, currency: string | null): string {
  if (!s) return 'inherit';
  if (s.kind === 'ignore') return 'ignore competitors';
  const ref = s.reference === 'min' ? 'the competitor minimum' : 'the competitor quartile band';
  if (s.kind === 'match') return `match ${ref}`;
  const by = s.pct !== undefined ? `${s.pct} %` : minorText(s.amountMinor ?? 0, currency);
  return `${s.kind === 'undercut' ? 'undercut' : 'premium over'} ${ref} by ${by}`;
}

/** What a market inherits: the defaults' values where they set one, else the engine's. */
export function marketFallback(defaults: MarketPricingSetting, engine: EnginePricingDefaults): EnginePricingDefaults {
  return {
    pricingMode: defaults.pricingMode ?? engine.pricingMode,
    competitor: defaults.competitor ?? engine.competitor,
    maxChangePct: defaults.maxChangePct ?? engine.maxChangePct,
    minChangePct: defaults.minChangePct ?? engine.minChangePct,
    pricePoints: defaults.pricePoints ?? engine.pricePoints,
    overbookingMaxPct: defaults.overbookingMaxPct ?? engine.overbookingMaxPct,
    deniedBoardingCostMinor: defaults.deniedBoardingCostMinor ?? engine.deniedBoardingCostMinor,
  };
}

/**
 * An amount in minor units: money in the market's currency; on the defaults' row (no currency: each market's own),
 * the minor units with what they are in a currency of cents ("40,000 minor units, 400.00 in a 2-decimal currency").
 */
export function minorText(amountMinor: number, currency: string | null): string {
  return currency ? formatMoney(amountMinor, currency) : `${formatCount(amountMinor)} minor units (${(amountMinor / 100).toFixed(2)} in a 2-decimal currency)`;
}

const pointsText = (p: NonNullable<MarketPricingSetting['pricePoints']>, currency: string | null) =>
  `steps of ${minorText(p.step, currency)}${p.ending ? ` ending ${minorText(p.ending, currency)}` : ''}`;

/**
 * A row's settings in words, each value it leaves unset shown as the one that applies, marked with where it
 * comes from (`from`: "engine default" on the defaults' row, "inherited" on a market's): what the next
 * cycle uses, not a bare "inherit".
 */
export function describeSetting(s: MarketPricingSetting, fb: EnginePricingDefaults, from: string): { mode: string; competitor: string; change: string; pricePoints: string; overbooking: string } {
  const tag = (text: string, inherited: boolean) => (inherited ? `${text} (${from})` : text);
  const cur = s.currency;
  const maxPct = s.maxChangePct ?? fb.maxChangePct;
  let change = tag(maxPct === null ? 'no limit' : `±${maxPct} %`, s.maxChangePct === null);
  const minPct = s.minChangePct ?? fb.minChangePct;
  if (s.minChangePct !== null || minPct > 0) change += `; ${tag(`files moves of ${minPct} % or more`, s.minChangePct === null)}`;
  const obMax = s.overbookingMaxPct ?? fb.overbookingMaxPct;
  let overbooking: string;
  if (obMax === 0) overbooking = tag('none', s.overbookingMaxPct === null);
  else {
    const cost = s.deniedBoardingCostMinor ?? fb.deniedBoardingCostMinor;
    const costText = minorText(cost, cur);
    overbooking = `${tag(`up to ${obMax} %`, s.overbookingMaxPct === null)}, ${tag(`denied boarding ${costText}`, s.deniedBoardingCostMinor === null)}`;
  }
  return {
    mode: tag(s.pricingMode ?? fb.pricingMode, s.pricingMode === null),
    competitor: tag(describeStrategy(s.competitor ?? fb.competitor, cur), s.competitor === null),
    change,
    pricePoints: tag(pointsText(s.pricePoints ?? fb.pricePoints, cur), s.pricePoints === null),
    overbooking,
  };
}

interface FormState {
  pricingMode: '' | 'ladder' | 'continuous';
  kind: '' | CompetitorStrategy['kind'];
  reference: 'min' | 'quartile-band';
  byPct: boolean;
  amount: string;
  maxChangePct: string;
  minChangePct: string;
  step: string;
  ending: string;
  guardrails: Record<string, { floor: string; ceiling: string }>;
  overbookingMaxPct: string;
  /** in the market's currency; for the defaults, minor units */
  deniedBoardingCost: string;
  reason: string;
}

function toForm(s: MarketPricingSetting, cabins: string[]): FormState {
  const c = s.competitor;
  const money = (v: number | null) => (v === null || !s.currency ? '' : moneyInputValue(v, s.currency));
  return {
    pricingMode: s.pricingMode ?? '',
    kind: c?.kind ?? '',
    reference: c && c.kind !== 'ignore' ? c.reference : 'min',
    byPct: !(c && (c.kind === 'undercut' || c.kind === 'premium') && c.amountMinor !== undefined),
    amount: c && (c.kind === 'undercut' || c.kind === 'premium') ? (c.pct !== undefined ? String(c.pct) : money(c.amountMinor ?? null)) : '',
    maxChangePct: s.maxChangePct === null ? '' : String(s.maxChangePct),
    minChangePct: s.minChangePct === null ? '' : String(s.minChangePct),
    step: s.pricePoints ? String(s.pricePoints.step) : '',
    ending: s.pricePoints?.ending !== undefined ? String(s.pricePoints.ending) : '',
    guardrails: Object.fromEntries(cabins.map((cab) => [cab, { floor: money(s.guardrails[cab]?.floorMinor ?? null), ceiling: money(s.guardrails[cab]?.ceilingMinor ?? null) }])),
    overbookingMaxPct: s.overbookingMaxPct === null ? '' : String(s.overbookingMaxPct),
    deniedBoardingCost: s.deniedBoardingCostMinor === null ? '' : s.currency ? money(s.deniedBoardingCostMinor) : String(s.deniedBoardingCostMinor),
    reason: '',
  };
}

/** The form as the API's input; the first problem names its field. */
export function fromForm(f: FormState, target: { origin: string | null; destination: string | null; currency: string | null }): { ok: true; input: SaveInput } | { ok: false; error: string } {
  let competitor: CompetitorStrategy | null = null;
  if (f.kind === 'match') competitor = { kind: 'match', reference: f.reference };
  else if (f.kind === 'ignore') competitor = { kind: 'ignore' };
  else if (f.kind === 'undercut' || f.kind === 'premium') {
    if (f.byPct) {
      const pct = Number(f.amount);
      if (f.amount.trim() === '' || !Number.isFinite(pct) || pct < 0) return { ok: false, error: 'Enter the undercut or premium in percent.' };
      competitor = { kind: f.kind, reference: f.reference, pct };
    } else {
      if (!target.currency) return { ok: false, error: 'An amount needs the market currency: use a percentage for the defaults.' };
      const a = parseMoneyInput(f.amount, target.currency);
      if (!a.ok) return { ok: false, error: a.error };
      competitor = { kind: f.kind, reference: f.reference, amountMinor: a.value };
    }
  }
  const num = (t: string) => (t.trim() === '' ? null : Number(t));
  const maxChangePct = num(f.maxChangePct);
  if (maxChangePct !== null && (!Number.isFinite(maxChangePct) || maxChangePct < 0)) return { ok: false, error: 'The maximum change is a percentage of 0 or more.' };
  const minChangePct = num(f.minChangePct);
  if (minChangePct !== null && (!Number.isFinite(minChangePct) || minChangePct < 0 || minChangePct > MAX_MIN_CHANGE_PCT)) return { ok: false, error: `The smallest change to file is a percentage from 0 (every change) to ${MAX_MIN_CHANGE_PCT}.` };
  if (minChangePct !== null && maxChangePct !== null && minChangePct > maxChangePct) return { ok: false, error: 'The smallest change to file is above the maximum change per cycle.' };
  const step = num(f.step);
  const ending = num(f.ending);
  if (step !== null && (!Number.isInteger(step) || step < 1)) return { ok: false, error: 'The price point step is a whole number of minor units (e.g. 100).' };
  const overbookingMaxPct = num(f.overbookingMaxPct);
  if (overbookingMaxPct !== null && (!Number.isFinite(overbookingMaxPct) || overbookingMaxPct < 0 || overbookingMaxPct > OVERBOOKING_MAX_PCT)) return { ok: false, error: `Overbooking is a percentage of the seats from 0 (none) to ${OVERBOOKING_MAX_PCT}.` };
  let deniedBoardingCostMinor: number | null = null;
  if (f.deniedBoardingCost.trim()) {
    if (target.currency) {
      const c = parseMoneyInput(f.deniedBoardingCost, target.currency);
      if (!c.ok) return { ok: false, error: `Denied-boarding cost: ${c.error}` };
      deniedBoardingCostMinor = c.value;
    } else {
      const c = Number(f.deniedBoardingCost);
      if (!Number.isInteger(c) || c < 0) return { ok: false, error: 'The default denied-boarding cost is a whole number of minor units of each market\'s currency (e.g. 40000).' };
      deniedBoardingCostMinor = c;
    }
  }
  const guardrails: SaveInput['guardrails'] = {};
  for (const [cabin, g] of Object.entries(f.guardrails)) {
    if (!g.floor.trim() && !g.ceiling.trim()) continue;
    if (!target.currency) return { ok: false, error: 'Floors and ceilings are set per market.' };
    const floor = g.floor.trim() ? parseMoneyInput(g.floor, target.currency) : null;
    const ceiling = g.ceiling.trim() ? parseMoneyInput(g.ceiling, target.currency) : null;
    if (floor && !floor.ok) return { ok: false, error: `Cabin ${cabin} floor: ${floor.error}` };
    if (ceiling && !ceiling.ok) return { ok: false, error: `Cabin ${cabin} ceiling: ${ceiling.error}` };
    guardrails[cabin] = { floorMinor: floor?.ok ? floor.value : null, ceilingMinor: ceiling?.ok ? ceiling.value : null };
  }
  return {
    ok: true,
    input: {
      origin: target.origin, destination: target.destination, currency: target.currency,
      pricingMode: f.pricingMode || null, competitor, maxChangePct, minChangePct,
      pricePoints: step === null ? null : { step, ...(ending !== null ? { ending } : {}) },
      guardrails, overbookingMaxPct, deniedBoardingCostMinor, ...(f.reason.trim() ? { reason: f.reason.trim() } : {}),
    },
  };
}

function Editor({ setting, cabins, onDone }: { setting: MarketPricingSetting; cabins: string[]; onDone: () => void }) {
  const save = useApiMutation('settings.savePricing');
  const [f, setF] = useState<FormState>(() => toForm(setting, cabins));
  const [problem, setProblem] = useState<string | null>(null);
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF({ ...f, [k]: v });
  const isMarket = setting.origin !== null;
  const unit = setting.currency ?? '';
  return (
    <form className="form-grid pricing-editor" aria-label="Pricing settings" data-testid="pricing-editor" onSubmit={(e) => {
      e.preventDefault();
      const r = fromForm(f, setting);
      if (!r.ok) { setProblem(r.error); return; }
      setProblem(null);
      save.mutate(r.input, { onSuccess: onDone });
    }}>
      <h3>{isMarket ? `${setting.origin}-${setting.destination}` : 'Defaults for every market'} {setting.currency && <span className="muted small">(amounts in {setting.currency})</span>}</h3>
      <label>Pricing mode
        <select value={f.pricingMode} onChange={(e) => set('pricingMode', e.target.value as FormState['pricingMode'])}>
          <option value="">inherit</option><option value="continuous">continuous (any price point)</option><option value="ladder">ladder (filed rungs)</option>
        </select>
      </label>
      <fieldset>
        <legend>Competitor strategy</legend>
        <select value={f.kind} onChange={(e) => set('kind', e.target.value as FormState['kind'])} data-testid="pricing-strategy" aria-label="Strategy">
          <option value="">inherit</option><option value="match">match</option><option value="undercut">undercut</option><option value="premium">hold a premium</option><option value="ignore">ignore competitors</option>
        </select>
        {f.kind && f.kind !== 'ignore' && (
          <select value={f.reference} onChange={(e) => set('reference', e.target.value as FormState['reference'])} aria-label="Reference">
            <option value="min">the competitor minimum</option><option value="quartile-band">the quartile band</option>
          </select>
        )}
        {(f.kind === 'undercut' || f.kind === 'premium') && (
          <>
            <input className="narrow" value={f.amount} onChange={(e) => set('amount', e.target.value)} aria-label="By" data-testid="pricing-strategy-amount" />
            <select value={f.byPct ? 'pct' : 'amount'} onChange={(e) => set('byPct', e.target.value === 'pct')} aria-label="Unit">
              <option value="pct">%</option>{isMarket && <option value="amount">{unit}</option>}
            </select>
          </>
        )}
      </fieldset>
      <label>Maximum change per cycle (%)<input className="narrow" value={f.maxChangePct} onChange={(e) => set('maxChangePct', e.target.value)} placeholder="inherit" data-testid="pricing-max-change" /></label>
      <label title="A recommended fare closer than this to the fare in force is not proposed: no filing churn for small moves">Smallest fare change to file (%; 0: every change)<input className="narrow" value={f.minChangePct} onChange={(e) => set('minChangePct', e.target.value)} placeholder="inherit" data-testid="pricing-min-change" /></label>
      <label>Price points: step (minor units)<input className="narrow" value={f.step} onChange={(e) => set('step', e.target.value)} placeholder="inherit" /></label>
      <label>ending<input className="narrow" value={f.ending} onChange={(e) => set('ending', e.target.value)} placeholder="0" /></label>
      <label>Overbooking: at most (% of the seats; 0: none)<input className="narrow" value={f.overbookingMaxPct} onChange={(e) => set('overbookingMaxPct', e.target.value)} placeholder="inherit" data-testid="pricing-overbooking-max" /></label>
      <label>Denied-boarding cost ({isMarket ? `${unit} a passenger` : 'minor units of each market\'s currency'})<input className="narrow" value={f.deniedBoardingCost} onChange={(e) => set('deniedBoardingCost', e.target.value)} placeholder="inherit" data-testid="pricing-denied-cost" /></label>
      {isMarket && (
        <table className="table compact">
          <thead><tr><th>Cabin</th><th>Floor ({unit})</th><th>Ceiling ({unit})</th></tr></thead>
          <tbody>{cabins.map((c) => (
            <tr key={c}><td>{c}</td>
              <td><input className="narrow" value={f.guardrails[c]?.floor ?? ''} onChange={(e) => set('guardrails', { ...f.guardrails, [c]: { ...f.guardrails[c]!, floor: e.target.value } })} aria-label={`Cabin ${c} floor`} data-testid={`pricing-floor-${c}`} /></td>
              <td><input className="narrow" value={f.guardrails[c]?.ceiling ?? ''} onChange={(e) => set('guardrails', { ...f.guardrails, [c]: { ...f.guardrails[c]!, ceiling: e.target.value } })} aria-label={`Cabin ${c} ceiling`} data-testid={`pricing-ceiling-${c}`} /></td>
            </tr>
          ))}</tbody>
        </table>
      )}
      <label>Why (goes to the audit log)<input value={f.reason} onChange={(e) => set('reason', e.target.value)} data-testid="pricing-reason" /></label>
      {problem && <p className="error-text" role="alert">{problem}</p>}
      {save.error && <ErrorNote error={save.error} />}
      <div className="row-actions"><button type="button" onClick={onDone}>Cancel</button><button type="submit" className="primary" disabled={save.isPending} data-testid="pricing-save">Save</button></div>
    </form>
  );
}

/** describeSetting's text with its "(engine default)" and "(inherited)" marks muted. */
function marked(text: string) {
  return text.split(/( \((?:engine default|inherited)\))/).map((part, i) => (i % 2 === 1 ? <span key={i} className="muted small">{part}</span> : part));
}

function Row({ s, known, fallback, canEdit, blocked, onEdit, onDelete }: { s: MarketPricingSetting; known: PricingSettings['knownMarkets'][number] | undefined; fallback: EnginePricingDefaults; canEdit: boolean; blocked?: string; onEdit: () => void; onDelete?: () => void }) {
  const cur = s.currency;
  const d = describeSetting({ ...s, currency: cur ?? known?.currency ?? null }, fallback, s.origin ? 'inherited' : 'engine default');
  const g = Object.entries(s.guardrails).map(([c, x]) => `${c}: ${x.floorMinor !== null && cur ? formatMoney(x.floorMinor, cur) : '—'} … ${x.ceilingMinor !== null && cur ? formatMoney(x.ceilingMinor, cur) : '—'}`).join('; ');
  return (
    <tr data-testid={`pricing-row-${s.origin ? `${s.origin}-${s.destination}` : 'defaults'}`}>
      <td>{s.origin ? `${s.origin}-${s.destination}` : <strong>Defaults</strong>}</td>
      <td>{marked(d.mode)}</td><td>{marked(d.competitor)}</td>
      <td data-testid="pricing-change">{marked(d.change)}</td><td>{marked(d.pricePoints)}</td>
      <td data-testid="pricing-guardrails">{g || '—'}</td>
      <td data-testid="pricing-overbooking">{marked(d.overbooking)}</td>
      <td className="small muted">{s.updatedBy ? `${s.updatedBy}, ${formatInstant(s.updatedAt, viewerZone())}` : ''}</td>
      <td className="row-actions">
        <button type="button" className="small-button" disabled={!canEdit} title={blocked} onClick={onEdit}>Edit</button>
        {onDelete && <button type="button" className="small-button" disabled={!canEdit} title={blocked} onClick={onDelete}>Remove</button>}
      </td>
    </tr>
  );
}

export function PricingTab() {
  const session = useSession();
  const blocked = needsRole(session, 'decide');
  const q = useApi('settings.pricing', {});
  const del = useApiMutation('settings.deletePricing');
  const [editing, setEditing] = useState<MarketPricingSetting | null>(null);
  const [add, setAdd] = useState('');
  return (
    <QueryState q={q} what="pricing settings">
      {(p) => {
        const known = (o: string | null, d: string | null) => p.knownMarkets.find((m) => m.origin === o && m.destination === d);
        const cabinsOf = (s: MarketPricingSetting) => known(s.origin, s.destination)?.cabins ?? Object.keys(s.guardrails);
        const startMarket = (key: string) => {
          const [o, d] = key.split('-') as [string, string];
          const existing = p.markets.find((m) => m.origin === o && m.destination === d);
          const k = known(o, d);
          setEditing(existing ? { ...existing, currency: existing.currency ?? k?.currency ?? null } : { origin: o, destination: d, currency: k?.currency ?? null, pricingMode: null, competitor: null, maxChangePct: null, minChangePct: null, pricePoints: null, guardrails: {}, overbookingMaxPct: null, deniedBoardingCostMinor: null, updatedBy: '', updatedAt: '' });
        };
        return (
          <div className="settings-section" data-testid="pricing-tab">
            <p className="muted">The next pricing cycle uses these. A market's own settings override the defaults; what is left to inherit takes the engine's default. Overrides outside a market's guardrails need an explicit confirmation.</p>
            <div className="table-wrap">
              <table className="table compact" data-testid="pricing-table">
                <thead><tr><th>Market</th><th>Mode</th><th>Competitor strategy</th><th>Change per cycle</th><th>Price points</th><th>Floors … ceilings</th><th>Overbooking</th><th>Changed</th><th /></tr></thead>
                <tbody>
                  <Row s={p.defaults} known={undefined} fallback={p.engine} canEdit={!blocked} blocked={blocked} onEdit={() => setEditing(p.defaults)} />
                  {p.markets.map((m) => <Row key={`${m.origin}-${m.destination}`} s={m} known={known(m.origin, m.destination)} fallback={marketFallback(p.defaults, p.engine)} canEdit={!blocked} blocked={blocked} onEdit={() => startMarket(`${m.origin}-${m.destination}`)} onDelete={() => del.mutate({ origin: m.origin!, destination: m.destination! })} />)}
                </tbody>
              </table>
            </div>
            <div className="filter-bar">
              <label>Set a market{' '}
                <select value={add} onChange={(e) => setAdd(e.target.value)} data-testid="pricing-add-market">
                  <option value="">Choose…</option>
                  {p.knownMarkets.map((m) => <option key={`${m.origin}-${m.destination}`} value={`${m.origin}-${m.destination}`}>{m.origin}-{m.destination} ({m.currency})</option>)}
                </select>
              </label>
              <button type="button" disabled={!add || Boolean(blocked)} title={blocked} onClick={() => startMarket(add)} data-testid="pricing-add">Edit market settings</button>
            </div>
            {del.error && <ErrorNote error={del.error} />}
            {editing && <Editor key={`${editing.origin}-${editing.destination}`} setting={editing} cabins={cabinsOf(editing)} onDone={() => setEditing(null)} />}
          </div>
        );
      }}
    </QueryState>
  );
}
