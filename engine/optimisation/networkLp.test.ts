import { describe, expect, it } from 'vitest';
import hand from './fixtures/network-lp-hand.json';
import { isOpen, networkBidPrices } from './networkLp';

describe('network LP bid prices (HiGHS)', () => {
  /*
   * Solved by hand. Leg B (50 seats) is wanted by B/local-120 (30) and AB/connect-150 (40); leg A
   * (60 seats) by A/local-100 (30), the connection, and A/local-60 (100).
   * Guess the marginal products: A/local-60 partly sold on A, the connection partly sold on both.
   * Complementary slackness (a partly sold product has zero reduced cost) then gives
   *   π_A = 60                    (A/local-60:  60 − π_A = 0)
   *   π_B = 150 − π_A = 90        (connection: 150 − π_A − π_B = 0)
   * Check every other product's reduced cost against its allocation:
   *   A/local-100: 100 − 60 = 40 > 0 → sold in full, 30
   *   B/local-120: 120 − 90 = 30 > 0 → sold in full, 30
   *   AB/connect-140: 140 − 150 < 0 → not sold
   *   AB/connect-160: 160 − 150 > 0 → would be sold in full, but has no demand
   * Capacities then fix the partial ones: B: 30 + x_conn = 50 → x_conn = 20 (in (0, 40): truly partial);
   * A: 30 + 20 + x_60 = 60 → x_60 = 10 (in (0, 100)). Both rows bind with positive duals, so the
   * duals are unique. Revenue 30·100 + 30·120 + 20·150 + 10·60 = 10,200.
   * Open rule (fare strictly above the bid-price sum): A/local-100 (100 > 60) and B/local-120 (120 > 90)
   * open; the connection at 150 = 60 + 90 and A/local-60 at 60 = 60 are on the margin, closed;
   * AB/connect-160 (160 > 150) open; AB/connect-140 closed.
   */
  it('gives the hand-computed duals, allocation and revenue', async () => {
    const r = await networkBidPrices(hand);
    expect(r.status).toBe('Optimal');
    Array.from(r.bidPrices).forEach((b, i) => expect(b).toBeCloseTo(hand.expected.bidPrices[i]!, 6));
    Array.from(r.allocation).forEach((x, i) => expect(x).toBeCloseTo(hand.expected.allocation[i]!, 6));
    expect(r.objective).toBeCloseTo(hand.expected.objective, 6);
    expect(r.open).toEqual(hand.expected.open);
  });

  it('opens a connecting fare only above the sum of its legs bid prices', () => {
    expect(isOpen(151, [0, 1], [60, 90])).toBe(true);
    expect(isOpen(150, [0, 1], [60, 90])).toBe(false);
    expect(isOpen(100, [0], [60, 90])).toBe(true);
  });

  it('gives zero bid prices when no leg is short of seats', async () => {
    const r = await networkBidPrices({ legs: [{ id: 'A', capacity: 500 }], products: [{ id: 'p', legs: [0], fare: 80, demand: 10 }] });
    expect(r.bidPrices[0]).toBe(0);
    expect(r.open).toEqual([true]);
  });

  it('refuses a product naming a missing leg', async () => {
    await expect(networkBidPrices({ legs: [{ id: 'A', capacity: 5 }], products: [{ id: 'p', legs: [3], fare: 1, demand: 1 }] })).rejects.toThrow(/product 0 \(p\) names leg index 3/);
  });
});
