/**
 * A fare explanation's steps in words. The engine stores each step's inputs after its name as
 * "(name value, name value, …)" with the engine's own names ("demandToCome 0.07, sd 0.31, remainingSeats 22").
 * A revenue manager reads "Demand to come 0.07 ± 0.31 passengers against 22 seats left", amounts as money and
 * a "closed false" as an open class. Steps of other kinds (authorisation levels, bid prices) are already
 * written in words; a label this module cannot read is shown with its amounts as money (readableStep).
 */
import { fareStepInputs } from '../../engine/domain/fareExplanation';
import { formatMoney } from '../components/format';

export interface StepWords {
  /** the step's short name (the chart's axis) */
  name: string;
  /** the step in words, with its inputs */
  text: string;
}

/** A step in words (see the module comment); `currency`: the decision's, for the amounts in minor units. */
export function describeStep(step: { key: string; label: string }, currency: string | null): StepWords {
  const parsed = currency ? fareStepInputs(step.key, step.label) : null;
  const text = parsed ? fareStepText(step.key, parsed.inputs, currency!) : null;
  if (!parsed || text === null) return { name: stepTitle(step), text: readableStep(step.label, currency) };
  return { name: stepTitle(step), text };
}

/** A step's short name: its stored name, except a protection step that left the class open (stored as "Class closed by protection levels"). */
export function stepTitle(step: { key: string; label: string }): string {
  if (step.key === 'protection' && step.label.includes('closed false')) return 'Protection levels';
  const i = step.label.indexOf(' (');
  return i > 0 ? step.label.slice(0, i) : step.label;
}

/**
 * A step's text for people where it cannot be put in words: amounts the engine gives in minor units
 * ("bidPriceMinor 11329") as money in the decision's currency ("bidPrice 113.29 EUR"); without a currency
 * the text is left as it is.
 */
export function readableStep(label: string, currency: string | null): string {
  if (!currency) return label;
  return label.replace(/\b([a-z]\w*?)Minor (-?\d+)\b/g, (_m, name: string, n: string) => `${name} ${formatMoney(Number(n), currency)}`);
}

function fareStepText(key: string, v: Map<string, string>, currency: string): string | null {
  const money = (name: string): string | null => {
    const t = v.get(name);
    if (t === undefined || t === 'null') return null;
    const n = Number(t);
    return Number.isFinite(n) ? formatMoney(n, currency) : null;
  };
  const num = (name: string): string | null => {
    const t = v.get(name);
    return t === undefined || t === 'null' ? null : t.replace(/^-/, '−');
  };
  const join = (...parts: (string | null | false)[]) => parts.filter((p): p is string => Boolean(p)).join('; ');
  switch (key) {
    case 'base':
      return join(`Fare filed now${v.has('rbd') ? ` in class ${v.get('rbd')}` : ''}`, money('referenceMinor') && `the class's reference fare ${money('referenceMinor')}`);
    case 'forecast': {
      const seats = num('remainingSeats');
      const days = num('daysToDeparture');
      return join(
        `Demand to come ${num('demandToCome') ?? '—'}${num('sd') !== null ? ` ± ${num('sd')}` : ''} passengers against ${seats ?? '—'} seat${seats === '1' ? '' : 's'} left`
          + `${days !== null ? `, ${days} day${days === '1' ? '' : 's'} before departure` : ''}${v.has('method') ? ` (${v.get('method')} pickup)` : ''}`,
        num('pressure') !== null && `pressure ${num('pressure')}`,
        num('factor') !== null && `reference fare × ${num('factor')}`,
        num('weight') !== null && `weight ${num('weight')}`,
        v.has('influence') && `under the demand influence ${v.get('influence')}`,
      );
    }
    case 'protection': {
      const seats = num('availableSeats');
      if (seats === null) return null;
      if (v.get('closed') === 'false') return `Class open: ${seats} seat${seats === '1' ? '' : 's'} available within the protection levels`;
      const above = v.get('pricedAs');
      return `Class closed by the protection levels (${seats} seats available)${above && above !== 'null' ? `: priced up to class ${above}, the lowest open class above` : ': no class above is open'}`;
    }
    case 'bid_price': {
      const bid = v.get('bidPriceMinor');
      if (bid === undefined) return null;
      return Number(bid) > 0 ? `Kept at or above the bid price of ${money('bidPriceMinor')}` : 'No bid price on the flight (0)';
    }
    case 'competitor': {
      const n = num('competitors');
      const band = money('q1Minor') && money('q3Minor') ? `, middle half ${money('q1Minor')} – ${money('q3Minor')}` : '';
      // the label keeps the first six inputs set: the count may be cut off
      const seen = n === '0' ? (v.get('note') ?? 'no competitor fare seen')
        : join(n !== null ? `${n} competitor${n === '1' ? '' : 's'}${money('minMinor') ? `, lowest ${money('minMinor')}` : ''}${band}`
          : money('minMinor') ? `lowest competitor fare ${money('minMinor')}${band}` : null, v.get('note') ?? null);
      return join(
        `Strategy: ${v.get('strategy') ?? '—'}`,
        seen,
        money('sellingMinor') && `our selling fare ${money('sellingMinor')}${money('sellingReferenceMinor') ? ` (its reference ${money('sellingReferenceMinor')})` : ''}`,
        money('sellingTargetMinor') && `target ${money('sellingTargetMinor')}`,
        num('factor') !== null && `reference fare × ${num('factor')}`,
        num('weight') !== null && `weight ${num('weight')}`,
      );
    }
    case 'elasticity': {
      const obs = num('observations');
      const estimate = num('estimate') === null
        ? 'No elasticity estimate for this market'
        : `Elasticity estimated at ${num('estimate')}${num('se') !== null ? ` ± ${num('se')}` : ''}${obs !== null ? ` (${obs} observation${obs === '1' ? '' : 's'})` : ''}`;
      return join(
        estimate,
        num('used') !== null && `${num('used')} used${num('reference') !== null ? `, shrunk toward the reference ${num('reference')}` : ''}${num('shrinkWeight') !== null ? ` (weight of the estimate ${num('shrinkWeight')})` : ''}`,
        num('factor') !== null && `reference fare × ${num('factor')}`,
        num('weight') !== null && `weight ${num('weight')}`,
      );
    }
    case 'price_point': {
      const ending = Number(v.get('ending') ?? 0);
      return money('step') ? `Rounded to a price point: steps of ${money('step')}${ending > 0 ? `, ending in ${money('ending')}` : ''}` : null;
    }
    case 'ladder_rung':
      return v.get('mode') === 'ladder' ? 'Moved to the nearest fare of the filed ladder' : `Pricing mode ${v.get('mode') ?? '—'}: no ladder rung`;
    case 'max_change':
      return num('maxChangePct') === null
        ? 'No limit on the change per cycle'
        : `At most ${num('maxChangePct')} % change per cycle${money('lowMinor') && money('highMinor') ? `: ${money('lowMinor')} to ${money('highMinor')}` : ''}`;
    case 'monotone_ladder':
      return v.has('classAbove') && money('classAbovePriceMinor') ? `No dearer than class ${v.get('classAbove')} above it, at ${money('classAbovePriceMinor')}` : 'Top class of the cabin: no class above';
    case 'floor':
      return money('floorMinor') ? `Floor ${money('floorMinor')}` : 'No floor';
    case 'ceiling':
      return money('ceilingMinor') ? `Ceiling ${money('ceilingMinor')}` : 'No ceiling';
    default:
      return null;
  }
}
