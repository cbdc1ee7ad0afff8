import { describe, expect, it } from 'vitest';
import { decodeExplanation, encodeExplanation } from './explanationCodec';
import type { ExplanationStep } from './types';

const fare: ExplanationStep[] = [
  { key: 'base', label: 'Fare filed now (rbd C, referenceMinor 318000)', amount: 318000 },
  { key: 'forecast', label: 'Demand to come against seats left (demandToCome 0.12, sd 0.58, remainingSeats 30, pressure 0.004, daysToDeparture 0.25, method additive)', amount: -31800 },
  { key: 'protection', label: 'Class closed by protection levels (availableSeats 30, closed false)', amount: 0 },
  { key: 'bid_price', label: 'Not below the bid price (bidPriceMinor 0)', amount: 0 },
  { key: 'competitor', label: 'Competitor strategy (strategy match the competitor quartile band, sellingTargetMinor 371480, minMinor 355960)', amount: 23800 },
  { key: 'elasticity', label: 'Price elasticity (estimate -0.527, se 0.2, observations 0, used -1.1, reference -1.6, shrinkWeight 0.8)', amount: 23800 },
  { key: 'price_point', label: 'Price point (step 100, ending 0)', amount: 0 },
  { key: 'ladder_rung', label: 'Ladder rung (mode continuous)', amount: 0 },
  { key: 'max_change', label: 'Guardrail: maximum change per cycle (maxChangePct 20, lowMinor 254400, highMinor 381600)', amount: 0 },
  { key: 'monotone_ladder', label: 'Guardrail: monotone ladder (classAbove J, classAbovePriceMinor 405200)', amount: 0 },
  { key: 'floor', label: 'Guardrail: floor', amount: 0 },
  { key: 'ceiling', label: 'Guardrail: ceiling', amount: 0 },
];

describe('decision explanation storage', () => {
  it('gives back exactly the steps it was given, a fare\'s in about 60 % of the JSON', () => {
    const text = encodeExplanation(fare);
    expect(decodeExplanation(text)).toEqual(fare);
    expect(JSON.stringify(decodeExplanation(text))).toBe(JSON.stringify(fare)); // key order too
    expect(text.length).toBeLessThan(0.65 * JSON.stringify(fare).length);
    const others: ExplanationStep[][] = [
      [{ key: 'authorised_capacity', label: 'Authorised capacity (156 seats + overbooking)', amount: 171 }, { key: 'protected_above', label: 'Protected for higher classes (emsrb, demand 30.0 ± 5.7 at 27100)', amount: -16 },
        { key: 'bounds', label: 'Closed: inefficient under fare transformation', amount: -155 }],
      [{ key: 'bid_price:dp', label: 'Bid price by DP with 26 seats left (DP 0.3 % above EMSR-b)', amount: 19775 }],
      // a forecast under demand influences (the label keeps them past its first six inputs)
      [{ key: 'forecast', label: 'Demand to come against seats left (demandToCome 0.12, sd 0.58, remainingSeats 30, pressure 0.004, daysToDeparture 0.25, method additive, influence Strike −35 %; Fair, hall 3 +100 %)', amount: -31800 }],
      // a manual proposal, an override, a label in other words than its key's, an empty label
      [{ key: 'manual', label: 'Proposed by rita: spring sale', amount: 9900 }, { key: 'override:replace', label: 'Override by rita (replace until 2026-12-01T00:00Z): sale', amount: -100 },
        { key: 'base', label: 'Value of decision 12', amount: 5 }, { key: 'floor', label: '', amount: 0 }],
      [],
    ];
    for (const steps of others) expect(decodeExplanation(encodeExplanation(steps))).toEqual(steps);
  });

  it('keeps a known step under its number and a fare\'s details as values under their names\' bits; a label it cannot give back exactly stays text', () => {
    const text = encodeExplanation(fare);
    expect(text.length).toBeLessThan(0.3 * JSON.stringify(fare).length);
    expect(JSON.parse(text)[1]).toEqual([1, -31800, 63, 0.12, 0.58, 30, 0.004, 0.25, [6]]);
    expect(JSON.parse(text)[4]).toEqual([4, 23800, 0b100011, [2], 371480, 355960]);
    const odd: ExplanationStep[] = [
      { key: 'forecast', label: 'Demand to come against seats left (demandToCome NaN, sd Infinity, remainingSeats -0, pressure 1e21, method a, b)', amount: 1 },
      { key: 'forecast', label: 'Demand to come against seats left (sd 1, demandToCome 2)', amount: 2 }, // names out of their order
      { key: 'forecast', label: 'Demand to come against seats left (demandToCome 1, surprise 2)', amount: 3 }, // a name it does not know
      { key: 'forecast', label: 'Demand to come against seats left (demandToCome 1,sd 2)', amount: 4 },
      { key: 'base', label: 'Fare filed now (rbd , referenceMinor 0)', amount: 5 },
      { key: 'base', label: 'Fare filed now (rbd 007, referenceMinor 0.10)', amount: 6 },
      { key: 'ladder_rung', label: 'Ladder rung ()', amount: 7 },
      { key: 'ladder_rung', label: 'Ladder rung', amount: 8 },
      { key: 'competitor', label: 'Competitor strategy (strategy undercut the minimum by 5 %, note none, weight 1)', amount: 9 },
    ];
    const stored = encodeExplanation(odd);
    expect(JSON.parse(stored)).toEqual(JSON.parse(JSON.stringify(JSON.parse(stored)))); // nothing JSON cannot hold
    expect(JSON.stringify(decodeExplanation(stored))).toBe(JSON.stringify(odd));
    expect(JSON.parse(stored)[5]).toEqual([0, 6, 3, '007', '0.10']);
    expect(JSON.parse(stored)[8]).toEqual([4, 9, 0b11000000001, 'undercut the minimum by 5 %', 'none', 1]);
    // a row from a newer build with a detail this one has no name for
    expect(() => decodeExplanation('[["ladder_rung",0,3,"continuous","x"]]')).toThrow(/step "ladder_rung" is stored with details this build does not know/);
  });

  it('reads the rows written before as they are, and refuses a step it cannot complete, naming it', () => {
    expect(decodeExplanation(JSON.stringify(fare))).toEqual(fare);
    expect(decodeExplanation('[]')).toEqual([]);
    expect(() => decodeExplanation('[["future_step",1," (x)"]]')).toThrow(/step "future_step" is stored without the wording of its label/);
    expect(() => decodeExplanation('[[99,1," (x)"]]')).toThrow(/step number 99 is not one this build knows/);
    expect(() => decodeExplanation('[[7,0,1,[999]]]')).toThrow(/decision explanation: phrase \[999\] is not one this build knows/);
    expect(decodeExplanation('[[7,0,1,[10]]]')).toEqual([{ key: 'ladder_rung', label: 'Ladder rung (mode continuous)', amount: 0 }]);
  });
});
