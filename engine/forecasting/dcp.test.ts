import { describe, expect, it } from 'vitest';
import { DEFAULT_DCPS, firstOpenPeriod, normaliseDcps, periodOfDbd } from './dcp';

const MKT3 = normaliseDcps([63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1]);

describe('DCP periods', () => {
  it('appends departure (0) when missing and validates the list', () => {
    expect(MKT3).toHaveLength(17);
    expect(MKT3[16]).toBe(0);
    expect(normaliseDcps(DEFAULT_DCPS)).toEqual(DEFAULT_DCPS);
    expect(() => normaliseDcps([10, 20])).toThrow(/strictly decreasing: DCP 2 \(20\) follows 10/);
    expect(() => normaliseDcps([])).toThrow(/empty/);
    expect(() => normaliseDcps([3.5])).toThrow(/whole number/);
  });

  it('puts bookings before the first DCP in the first period', () => {
    expect(periodOfDbd(MKT3, 200)).toBe(0);
    expect(periodOfDbd(MKT3, 63)).toBe(0);
    expect(periodOfDbd(MKT3, 62.5)).toBe(1);
    expect(periodOfDbd(MKT3, 56)).toBe(1);
    expect(periodOfDbd(MKT3, 0.2)).toBe(16);
    expect(periodOfDbd(MKT3, -1)).toBe(16);
  });

  it('knows which periods are still to come', () => {
    expect(firstOpenPeriod(MKT3, 100)).toBe(0);
    expect(firstOpenPeriod(MKT3, 63)).toBe(1);
    expect(firstOpenPeriod(MKT3, 60)).toBe(1);
    expect(firstOpenPeriod(MKT3, 56)).toBe(2);
    expect(firstOpenPeriod(MKT3, 0)).toBe(17);
  });
});
