import { describe, expect, it } from 'vitest';
import { easterSunday } from './calendar';
import { compileNetwork } from './network';
import { generateSandboxScenario, HUB, OWN_CARRIER } from './sandbox-network';
import { loadThreeMkt, THREE_MKT_FILE } from './threemkt';
import { validateScenario } from './scenario';

describe('3MKT scenario', () => {
  it('loads the committed file: two carriers, three markets, connections at ORD within the connect window', () => {
    const spec = loadThreeMkt();
    const net = compileNetwork(spec);
    expect(net.carriers.map((c) => `${c.code}:${c.spec.role}`)).toEqual(['AL1:own', 'AL2:competitor']);
    expect(net.patterns.n).toBe(8);
    expect(net.markets.n).toBe(3);
    expect(net.dcps).toEqual([63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1, 0]);
    const bosLax = net.markets.key.get('BOS-LAX')!;
    const paths = [];
    for (let i = net.markets.pathStart[bosLax]!; i < net.markets.pathStart[bosLax + 1]!; i++) {
      paths.push(`${net.carriers[net.paths.carrier[i]!]!.code}${net.patterns.flightNumber[net.paths.leg0[i]!]}+${net.patterns.flightNumber[net.paths.leg1[i]!]}`);
    }
    // 10:00 → 11:00 and 16:00 → 17:00 connect (60 min); 10:00 → 17:00 exceeds the 120-minute maximum
    expect(paths.sort()).toEqual(['AL1101+111', 'AL1102+112', 'AL2201+211', 'AL2202+212']);
    expect(spec.curves.c1!.at(-1)).toBe(1);
    expect(spec.advancePurchaseEnforced).toBe(false);
  });

  it('takes our carrier from the options and rejects an unknown one, and a malformed file names the field', () => {
    expect(loadThreeMkt(undefined, { ownCarrier: 'AL2' }).carriers.find((c) => c.role === 'own')!.code).toBe('AL2');
    expect(() => loadThreeMkt(undefined, { ownCarrier: 'ZZ' })).toThrow(/ownCarrier "ZZ"/);
    const bad = JSON.parse(JSON.stringify(THREE_MKT_FILE)) as { legs: { capacity: unknown }[] };
    bad.legs[0]!.capacity = -5;
    expect(() => loadThreeMkt(bad)).toThrow(/legs\.0\.capacity/);
  });

  it('draws the parameters the file leaves open per seed, within their ranges', () => {
    const a = loadThreeMkt(undefined, { seed: 1 });
    const b = loadThreeMkt(undefined, { seed: 2 });
    expect(a.segments[0]!.restrictionCost.R1).not.toBe(b.segments[0]!.restrictionCost.R1);
    for (const s of [a, b]) {
      const biz = s.segments.find((x) => x.code === 'business')!;
      expect(biz.restrictionCost.R1).toBeGreaterThanOrEqual(0.6);
      expect(biz.restrictionCost.R1).toBeLessThanOrEqual(0.9);
      expect(biz.emult).toBe(1.6);
    }
  });
});

describe('sandbox network', () => {
  const spec = generateSandboxScenario({ seed: 5, calendarFromYear: 2025, calendarToYear: 2026 });
  const net = compileNetwork(spec);

  it('is a hub network of our carrier with at least 20 routes, real airports and time zones', () => {
    const own = spec.schedule.filter((f) => f.carrier === OWN_CARRIER);
    const routes = new Set(own.map((f) => (f.origin === HUB ? f.destination : f.origin)));
    expect(routes.size).toBeGreaterThanOrEqual(20);
    expect(own.every((f) => f.origin === HUB || f.destination === HUB)).toBe(true);
    expect(own.length).toBeGreaterThanOrEqual(60);
    expect(own.length).toBeLessThanOrEqual(100);
    for (const a of spec.airports) {
      expect(a.code).toMatch(/^[A-Z]{3}$/);
      expect(() => new Intl.DateTimeFormat('en', { timeZone: a.timeZone })).not.toThrow();
      expect(Math.abs(a.lat)).toBeLessThanOrEqual(90);
    }
    // 1 to 3 daily departures per route and direction
    const perRoute = new Map<string, number>();
    for (const f of own) perRoute.set(`${f.origin}-${f.destination}`, (perRoute.get(`${f.origin}-${f.destination}`) ?? 0) + 1);
    expect(Math.max(...perRoute.values())).toBeLessThanOrEqual(3);
  });

  it('has two cabins, at least ten RBDs for us, a codeshare partner and competitors pricing in GBP and USD', () => {
    expect(spec.cabins).toEqual(['J', 'Y']);
    expect(spec.ladders.find((l) => l.carrier === OWN_CARRIER)!.rbds.map((r) => r.rbd).join('')).toBe('JCDYBMHQKLVSNO');
    expect(spec.carriers.filter((c) => c.role === 'partner')).toHaveLength(1);
    expect(spec.carriers.map((c) => c.pricingCurrency).filter(Boolean)).toEqual(expect.arrayContaining(['GBP', 'USD']));
    const ourCodeOnPartner = spec.schedule.filter((f) => f.carrier !== OWN_CARRIER && f.codeshares?.some((c) => c.carrier === OWN_CARRIER));
    expect(ourCodeOnPartner.length).toBeGreaterThan(0);
    expect(spec.fares.some((f) => f.carrier === 'BX' && f.currency === 'GBP')).toBe(true);
    expect(spec.pointsOfSale.length).toBeGreaterThan(5);
    expect(spec.channels).toEqual(['direct', 'mobile', 'ota', 'gds']);
  });

  it('connects over the hub within the minimum and maximum connecting times, codeshares included', () => {
    let connections = 0;
    let codeshare = 0;
    const p = net.patterns;
    for (let i = 0; i < net.paths.n; i++) {
      if (net.paths.nLegs[i] !== 2) continue;
      connections++;
      const a = net.paths.leg0[i]!;
      const b = net.paths.leg1[i]!;
      const conn = net.paths.leg1DayOffset[i]! * 1440 + p.depMin[b]! - (p.arrDayOffset[a]! * 1440 + p.arrMin[a]!);
      expect(conn).toBeGreaterThanOrEqual(spec.minConnectMinutes);
      expect(conn).toBeLessThanOrEqual(spec.maxConnectMinutes);
      if (net.paths.opCarrier0[i] !== net.paths.carrier[i] || net.paths.opCarrier1[i] !== net.paths.carrier[i]) codeshare++;
    }
    expect(connections).toBeGreaterThan(200);
    expect(codeshare).toBeGreaterThan(0);
  });

  it('is reproducible from its seed and differs between seeds', () => {
    const again = generateSandboxScenario({ seed: 5, calendarFromYear: 2025, calendarToYear: 2026 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(spec));
    const other = generateSandboxScenario({ seed: 6, calendarFromYear: 2025, calendarToYear: 2026 });
    expect(other.segments[0]!.emult).not.toBe(spec.segments[0]!.emult);
    expect(() => validateScenario(spec)).not.toThrow();
  });

  it('has a holiday calendar with Easter where it belongs', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(spec.calendar.find((e) => e.name === 'Easter' && e.from.startsWith('2026'))!.from).toBe('2026-04-02');
  });
});
