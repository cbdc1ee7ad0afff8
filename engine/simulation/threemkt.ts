/**
 * The 3MKT scenario (PODS research tradition, as shipped with PassengerSim): two identical carriers
 * AL1 and AL2 fly BOS-ORD and ORD-LAX twice a day; BOS-LAX passengers connect at ORD. The loader takes
 * the parsed JSON (no file I/O here), checks its shape, and fills what the file leaves to us —
 * restriction disutilities and schedule sensitivity — by seeded draws within THREE_MKT_RANGES.
 */
import { z } from 'zod';
import { Rng } from './rng';
import { draw, THREE_MKT_RANGES } from './behaviour';
import type { FareSpec, Restriction, ScenarioSpec, SegmentSpec } from './scenario';
import { normaliseDcpList } from './scenario';
import threeMktJson from './scenarios/3mkt.json';

const restriction = z.enum(['R1', 'R2', 'R3']);
const ThreeMktSchema = z.object({
  name: z.string(),
  about: z.string().optional(),
  dcps: z.array(z.number().int().nonnegative()).min(1),
  classes: z.array(z.string().min(1).max(2)).min(1),
  bookingCurves: z.record(z.string(), z.record(z.string(), z.number())),
  choiceModels: z.record(z.string(), z.object({ kind: z.string(), emult: z.number().gt(1) })),
  places: z.record(z.string(), z.object({ label: z.string(), timeZone: z.string(), lat: z.number(), lon: z.number() })),
  legs: z.array(z.object({
    carrier: z.string(), flight: z.number().int(), orig: z.string(), dest: z.string(),
    dep: z.string().regex(/^\d{2}:\d{2}$/), arr: z.string().regex(/^\d{2}:\d{2}$/), capacity: z.number().int().positive(),
  })).min(1),
  demands: z.array(z.object({
    orig: z.string(), dest: z.string(), segment: z.string(), baseDemand: z.number().nonnegative(),
    referenceFare: z.number().positive(), curve: z.string(),
  })).min(1),
  fares: z.array(z.object({
    carrier: z.string(), orig: z.string(), dest: z.string(), rbd: z.string(), price: z.number().nonnegative(),
    advancePurchaseDays: z.number().int().nonnegative(), restrictions: z.array(restriction),
  })).min(1),
  simulationControls: z.object({
    sys_k_factor: z.number().nonnegative(),
    mkt_k_factor: z.number().nonnegative(),
    simple_k_factor: z.number().nonnegative(),
    tf_k_factor: z.number().nonnegative(),
    max_connect_time: z.number().positive(),
    disable_ap: z.boolean(),
    demand_multiplier: z.number().positive(),
  }).passthrough(),
}).passthrough();

export type ThreeMktFile = z.infer<typeof ThreeMktSchema>;

export interface ThreeMktOptions {
  /** which carrier is ours (default AL1) */
  ownCarrier?: string;
  /** seed for the parameters the file leaves open */
  seed?: number;
  /** scales demand on top of the file's demand_multiplier (low / medium / high runs) */
  demandMultiplier?: number;
  /** inventory control of the other carriers (default 'E', as in the PODS experiments) */
  competitorRm?: 'E' | 'fcfs';
  /** days before departure at which flights open for sale (default: first DCP + 7) */
  saleOpensDays?: number;
}

/** The 3MKT scenario file as committed in engine/simulation/scenarios. */
export const THREE_MKT_FILE: unknown = threeMktJson;

/** Builds the 3MKT scenario from its parsed JSON. */
export function loadThreeMkt(json: unknown = THREE_MKT_FILE, opts: ThreeMktOptions = {}): ScenarioSpec {
  const parsed = ThreeMktSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`3MKT scenario: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const f = parsed.data;
  const rng = new Rng(opts.seed ?? 42, 0x3a4b);
  const carriers = [...new Set(f.legs.map((l) => l.carrier))];
  const own = opts.ownCarrier ?? 'AL1';
  if (!carriers.includes(own)) throw new Error(`3MKT scenario: ownCarrier "${own}" is not one of ${carriers.join(', ')}`);
  const dcps = normaliseDcpList(f.dcps);
  const ctl = f.simulationControls;

  // class definitions: restrictions and advance purchase as the first market's fares file them
  const classDef = new Map<string, { restrictions: Restriction[]; ap: number }>();
  for (const x of f.fares) if (!classDef.has(x.rbd)) classDef.set(x.rbd, { restrictions: x.restrictions, ap: x.advancePurchaseDays });
  for (const c of f.classes) if (!classDef.has(c)) throw new Error(`3MKT scenario: class ${c} has no fare`);

  const curves: Record<string, number[]> = {};
  for (const [name, curve] of Object.entries(f.bookingCurves)) {
    curves[name] = dcps.map((d) => {
      if (d === 0) return 1;
      const v = curve[String(d)];
      if (v === undefined) throw new Error(`3MKT scenario: bookingCurves.${name} has no value for DCP ${d}`);
      return v;
    });
    curves[name]![curves[name]!.length - 1] = 1;
  }

  const segments: SegmentSpec[] = Object.entries(f.choiceModels).map(([code, cm]) => {
    const r = THREE_MKT_RANGES[code === 'business' ? 'business' : 'leisure'];
    return {
      code,
      emult: cm.emult,
      restrictionCost: { R1: draw(rng, r.r1), R2: draw(rng, r.r2), R3: draw(rng, r.r3) },
      restrictionCostCv: draw(rng, r.restrictionCostCv),
      connectionCost: draw(rng, r.connectionCost),
      elapsedCostPerHour: 0,
      timeCostPerHour: draw(rng, r.timeCostPerHour),
      preferredTimes: code === 'business' ? [{ hour: 8, sdHours: 2, weight: 0.5 }, { hour: 15, sdHours: 2, weight: 0.5 }] : [{ hour: 12, sdHours: 4, weight: 1 }],
      cabinValue: { Y: 0 },
      groupSize: [1],
      cancelProbability: 0,
      noShowProbability: 0,
      channelMix: { direct: 1 },
      homePosShare: 1,
      siteLoyaltyCost: 0,
      otaEmultFactor: 1,
      dowFactors: [1, 1, 1, 1, 1, 1, 1],
      season: { a1: 0, peak1: 0, a2: 0, peak2: 0 },
      ancillaryPropensity: {},
    };
  });

  const fares: FareSpec[] = f.fares.map((x) => ({
    carrier: x.carrier,
    origin: x.orig,
    destination: x.dest,
    rbd: x.rbd,
    pointOfSale: 'US',
    currency: 'USD',
    amountMinor: Math.round(x.price * 100),
    fareBasis: `${x.rbd}${x.advancePurchaseDays > 0 ? `AP${x.advancePurchaseDays}` : ''}${x.restrictions.join('')}`,
    advancePurchaseDays: x.advancePurchaseDays,
    restrictions: x.restrictions,
  }));

  const marketMap = new Map<string, ScenarioSpec['markets'][number]>();
  for (const d of f.demands) {
    const k = `${d.orig}-${d.dest}`;
    if (!marketMap.has(k)) marketMap.set(k, { origin: d.orig, destination: d.dest, demand: [] });
    marketMap.get(k)!.demand.push({ segment: d.segment, baseDemand: d.baseDemand, referenceFare: d.referenceFare, curve: d.curve });
  }

  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return {
    name: f.name,
    about: f.about,
    baseCurrency: 'USD',
    cabins: ['Y'],
    dcps,
    saleOpensDays: opts.saleOpensDays ?? dcps[0]! + 7,
    carriers: carriers.map((code) => ({
      code,
      name: `Airline ${code.slice(2) || code}`,
      role: code === own ? 'own' as const : 'competitor' as const,
      rm: code === own ? 'E' as const : opts.competitorRm ?? 'E',
    })),
    airports: Object.entries(f.places).map(([code, p]) => ({ code, name: p.label, timeZone: p.timeZone, lat: p.lat, lon: p.lon, country: 'US' })),
    pointsOfSale: [{ code: 'US', currency: 'USD' }],
    channels: ['direct'],
    ladders: carriers.map((carrier) => ({
      carrier,
      rbds: f.classes.map((rbd) => ({
        rbd,
        cabin: 'Y',
        restrictions: classDef.get(rbd)!.restrictions,
        advancePurchaseDays: classDef.get(rbd)!.ap,
        brand: classDef.get(rbd)!.restrictions.length === 0 ? 'Flex' : classDef.get(rbd)!.restrictions.length === 3 ? 'Light' : 'Classic',
      })),
    })),
    schedule: f.legs.map((l) => ({
      carrier: l.carrier,
      flightNumber: l.flight,
      origin: l.orig,
      destination: l.dest,
      departureLocal: l.dep,
      arrivalLocal: l.arr,
      arrivalDayOffset: minutes(l.arr) < minutes(l.dep) ? 1 : 0,
      daysOfWeek: '1234567',
      capacity: { Y: l.capacity },
    })),
    markets: [...marketMap.values()],
    fares,
    segments,
    curves,
    variability: { sys: ctl.sys_k_factor, mkt: ctl.mkt_k_factor, seg: ctl.simple_k_factor, tf: ctl.tf_k_factor },
    calendar: [],
    fx: { initial: {}, dailyVolatility: {} },
    ancillaries: [],
    minConnectMinutes: 30,
    maxConnectMinutes: ctl.max_connect_time,
    cutoffMinutes: 30,
    advancePurchaseEnforced: !ctl.disable_ap,
    cancellationsEnabled: false,
    demandMultiplier: ctl.demand_multiplier * (opts.demandMultiplier ?? 1),
  };
}
