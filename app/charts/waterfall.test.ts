import { describe, expect, it } from 'vitest';
import { axisLabel, residual, waterfallBars } from './waterfall';

describe('explanation waterfall', () => {
  it('floats each step from the running sum and ends with the total', () => {
    const steps = [
      { key: 'base', label: 'Base fare', amount: 40_000 },
      { key: 'forecast', label: 'Forecast', amount: 3_000 },
      { key: 'competitor', label: 'Competitor', amount: -1_500 },
      { key: 'floor', label: 'Floor', amount: 500 },
    ];
    expect(waterfallBars(steps, 'Proposed', 100)).toEqual([
      { key: 'base', label: 'Base fare', amount: 400, base: 0, size: 400, end: 400, kind: 'up' },
      { key: 'forecast', label: 'Forecast', amount: 30, base: 400, size: 30, end: 430, kind: 'up' },
      { key: 'competitor', label: 'Competitor', amount: -15, base: 415, size: 15, end: 415, kind: 'down' },
      { key: 'floor', label: 'Floor', amount: 5, base: 415, size: 5, end: 420, kind: 'up' },
      { key: 'total', label: 'Proposed', amount: 420, base: 0, size: 420, end: 420, kind: 'total' },
    ]);
    expect(residual(steps, 42_000)).toBe(0);
    expect(residual(steps, 42_100)).toBe(100);
  });

  it('draws a step that crosses zero from its lower end', () => {
    const bars = waterfallBars([{ key: 'a', label: 'a', amount: 10 }, { key: 'b', label: 'b', amount: -25 }]);
    expect(bars[1]).toMatchObject({ base: -15, size: 25, end: -15, kind: 'down' });
    expect(bars[2]).toMatchObject({ base: -15, size: 15, kind: 'total' });
  });
});

describe('explanation step text', () => {
  it('shortens long step names on the axis only', () => {
    expect(axisLabel('Fare filed now')).toBe('Fare filed now');
    expect(axisLabel('Demand to come against seats left')).toBe('Demand to come against…');
    expect(axisLabel('Guardrail: maximum change per cycle')).toBe('Guardrail: maximum chan…');
    expect(axisLabel('x'.repeat(24))).toBe('x'.repeat(24));
  });
});
