import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { shopOffers } from './assembler';
import { ndcAmount, isoDuration, toNdcAirShoppingRS, toNdcErrors } from './ndc';
import { OfferRequestError } from './request';
import { offerFixture, FIXTURE_NOW } from './test-fixture';

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'schema', 'ndc-air-shopping-rs.schema.json'), 'utf8'));
// Ajv's default strict mode (unknown keywords and formats are errors)
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-only JSON walking

function check(doc: unknown): void {
  const ok = validate(doc);
  expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
  expect(ok).toBe(true);
}

describe('NDC 21.3 JSON', () => {
  const { ctx } = offerFixture();
  const family = shopOffers({ origin: 'LHR', destination: 'MAD', departureDate: '2026-03-02', passengers: { ADT: 2, CHD: 1, INF: 1 }, pointOfSale: 'GB', ancillaries: ['BAG1'] }, ctx);
  const doc = toNdcAirShoppingRS(family.offers, { responseId: 'SR1', timestamp: FIXTURE_NOW }) as Json;
  const rs = doc.IATA_AirShoppingRS.Response;

  it('a one-way family shop validates against the committed schema', () => {
    check(doc);
    expect(doc.IATA_AirShoppingRS.PayloadAttributes.VersionNumber).toBe('21.3');
    expect(rs.DataLists.PaxList.Pax.map((p: Json) => p.PTC)).toEqual(['ADT', 'ADT', 'CHD', 'INF']);
    expect(rs.OffersGroup.CarrierOffers[0].Offer).toHaveLength(family.offers.length);
  });

  it('fare and bundle items are mandatory, extras are not; bundle services point at service definitions', () => {
    const offers: Json[] = rs.OffersGroup.CarrierOffers[0].Offer;
    const classic = offers.find((o) => o.JourneyOverview.JourneyPriceClass[0].PriceClassRefID === 'PC_CLASSIC')!;
    const light = offers.find((o) => o.JourneyOverview.JourneyPriceClass[0].PriceClassRefID === 'PC_LIGHT')!;
    const kinds = (o: Json) => o.OfferItem.map((i: Json) => [i.MandatoryInd, i.FareDetail ? 'fare' : i.Service[0].OfferServiceAssociation.ServiceDefinitionRef.ServiceDefinitionRefID]);
    expect(kinds(classic)).toEqual([[true, 'fare'], [true, 'SD_BAG1'], [true, 'fare'], [true, 'SD_BAG1'], [true, 'fare']]);
    expect(classic.OfferItem[1].Service.map((s: Json) => s.OfferServiceAssociation.ServiceDefinitionRef.ServiceDefinitionRefID)).toEqual(['SD_BAG1', 'SD_SEAT_STD', 'SD_FLEX_CHG']);
    expect(kinds(light)).toEqual([[true, 'fare'], [false, 'SD_BAG1'], [true, 'fare'], [false, 'SD_BAG1'], [true, 'fare']]);
    const defs = new Set(rs.DataLists.ServiceDefinitionList.ServiceDefinition.map((d: Json) => d.ServiceDefinitionID));
    const journeys = new Set(rs.DataLists.PaxJourneyList.PaxJourney.map((j: Json) => j.PaxJourneyID));
    const segs = new Set(rs.DataLists.PaxSegmentList.PaxSegment.map((s: Json) => s.PaxSegmentID));
    const classes = new Set(rs.DataLists.PriceClassList.PriceClass.map((c: Json) => c.PriceClassID));
    for (const o of offers) {
      for (const jp of o.JourneyOverview.JourneyPriceClass) { expect(journeys.has(jp.PaxJourneyRefID)).toBe(true); expect(classes.has(jp.PriceClassRefID)).toBe(true); }
      for (const it of o.OfferItem) for (const s of it.Service) {
        const a = s.OfferServiceAssociation;
        if (a.ServiceDefinitionRef) { expect(defs.has(a.ServiceDefinitionRef.ServiceDefinitionRefID)).toBe(true); for (const r of a.ServiceDefinitionRef.PaxSegmentRefID) expect(segs.has(r)).toBe(true); }
        else for (const r of a.PaxJourneyRef.PaxJourneyRefID) expect(journeys.has(r)).toBe(true);
      }
    }
    // each leg appears once in the data lists, however many offers use it
    expect(rs.DataLists.PaxSegment).toBeUndefined();
    expect(rs.DataLists.PaxSegmentList.PaxSegment).toHaveLength(new Set(family.offers.flatMap((o) => o.segments.map((s) => s.flightId))).size);
  });

  it('amounts add up: the offer total is the sum of its items, exactly, in decimal strings', () => {
    for (const [i, o] of (rs.OffersGroup.CarrierOffers[0].Offer as Json[]).entries()) {
      const minor = (a: Json) => Math.round(Number(a.value) * 100);
      expect(o.OfferItem.reduce((s: number, it: Json) => s + minor(it.Price.TotalAmount), 0)).toBe(minor(o.TotalPrice.TotalAmount));
      expect(o.TotalPrice.TotalAmount).toEqual(ndcAmount(family.offers[i]!.total.amountMinor, 'EUR'));
    }
  });

  it('a round trip, a codeshare and a refused request validate too', () => {
    const rt = shopOffers({ origin: 'LHR', destination: 'JFK', departureDate: '2026-03-02', returnDate: '2026-03-04', passengers: { ADT: 1 }, pointOfSale: 'GB' }, ctx);
    const d = toNdcAirShoppingRS(rt.offers, { responseId: 'SR2', timestamp: FIXTURE_NOW }) as Json;
    check(d);
    const dl = d.IATA_AirShoppingRS.Response.DataLists;
    expect(dl.OriginDestList.OriginDest.map((x: Json) => `${x.OriginCode}-${x.DestCode}`)).toEqual(['LHR-JFK', 'JFK-LHR']);
    expect(dl.PaxSegmentList.PaxSegment.some((s: Json) => s.OperatingCarrierInfo.CarrierDesigCode === 'PA' && s.MarketingCarrierInfo.CarrierDesigCode === 'DF')).toBe(true);
    const err = toNdcErrors(new OfferRequestError([{ field: 'passengers.INF', message: 'too many infants' }]), { responseId: 'SR3', timestamp: FIXTURE_NOW }) as Json;
    check(err);
    expect(err.IATA_AirShoppingRS.Error[0]).toEqual({ Code: 'BAD_REQUEST', TypeCode: 'Validation', DescText: 'too many infants', TagText: 'passengers.INF' });
  });

  it('the schema catches a missing MandatoryInd, an unknown element and a float amount', () => {
    const broken = JSON.parse(JSON.stringify(doc));
    delete broken.IATA_AirShoppingRS.Response.OffersGroup.CarrierOffers[0].Offer[0].OfferItem[0].MandatoryInd;
    expect(validate(broken)).toBe(false);
    expect(validate.errors!.some((e) => e.message === "must have required property 'MandatoryInd'")).toBe(true);
    const extra = JSON.parse(JSON.stringify(doc));
    extra.IATA_AirShoppingRS.Response.OffersGroup.CarrierOffers[0].Offer[0].Discount = 5;
    expect(validate(extra)).toBe(false);
    const float = JSON.parse(JSON.stringify(doc));
    float.IATA_AirShoppingRS.Response.OffersGroup.CarrierOffers[0].Offer[0].TotalPrice.TotalAmount.value = 123.45;
    expect(validate(float)).toBe(false);
  });

  it('formats amounts in the currency exponent and durations in ISO 8601', () => {
    expect(ndcAmount(12345, 'EUR')).toEqual({ CurCode: 'EUR', value: '123.45' });
    expect(ndcAmount(5, 'EUR').value).toBe('0.05');
    expect(ndcAmount(-250, 'USD').value).toBe('-2.50');
    expect(ndcAmount(12345, 'JPY').value).toBe('12345');
    expect(ndcAmount(12345, 'KWD').value).toBe('12.345');
    expect(isoDuration(323)).toBe('PT5H23M');
    expect(isoDuration(120)).toBe('PT2H');
    expect(isoDuration(45)).toBe('PT45M');
  });
});
