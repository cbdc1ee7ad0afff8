/**
 * Offers as IATA NDC 21.3 JSON: an AirShoppingRS with the shared DataLists (PaxList, OriginDestList,
 * PaxJourneyList, PaxSegmentList, PriceClassList for the brands, ServiceDefinitionList for ancillaries)
 * and the OffersGroup: each Offer with its OfferItems (MandatoryInd true for the fare and the brand's
 * bundle, false for extras), Services associated with journeys or service definitions, and Prices.
 * Element names follow the NDC 21.3 schema; amounts are {CurCode, value} with value a decimal string in
 * the currency's minor-unit exponent (exact, no floating point). Checked against
 * schema/ndc-air-shopping-rs.schema.json.
 */
import { currencyExponent } from '../domain/money';
import type { OfferRequestError } from './request';
import type { Offer, OfferItem } from './types';
import type { AncillaryCode } from '../bundling/catalogue';

export interface NdcAmount { CurCode: string; value: string }

export function ndcAmount(amountMinor: number, currency: string): NdcAmount {
  const e = currencyExponent(currency);
  const neg = amountMinor < 0;
  const digits = String(Math.abs(amountMinor)).padStart(e + 1, '0');
  const value = e === 0 ? digits : `${digits.slice(0, -e)}.${digits.slice(-e)}`;
  return { CurCode: currency, value: neg ? `-${value}` : value };
}

/** ISO 8601 duration, e.g. PT5H23M. */
export function isoDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h ? `${h}H` : ''}${m || !h ? `${m}M` : ''}`;
}

const PTC_ORDER = ['ADT', 'CHD', 'INF'] as const;

export interface NdcOptions {
  /** the shopping response id (the store can keep it to find the offers again) */
  responseId: string;
  timestamp: string;
  serviceNames?: Partial<Record<AncillaryCode, string>>;
}

/** The AirShoppingRS for offers answering one request (all offers share the request's passengers). */
export function toNdcAirShoppingRS(offers: readonly Offer[], opts: NdcOptions): Record<string, unknown> {
  const segs = new Map<string, Record<string, unknown>>();
  const segByFlight = new Map<string, string>();
  const journeys = new Map<string, { id: string; segRefs: string[]; duration: string; od: string }>();
  const ods = new Map<string, { id: string; origin: string; dest: string; journeys: string[] }>();
  const classes = new Map<string, Record<string, unknown>>();
  const services = new Map<string, Record<string, unknown>>();
  const serviceName = (c: AncillaryCode) => opts.serviceNames?.[c] ?? c;
  const pax: { PaxID: string; PTC: string }[] = [];
  const paxIds = new Map<string, string[]>();
  const req = offers[0]?.request;
  if (req) {
    for (const t of PTC_ORDER) {
      const ids: string[] = [];
      for (let i = 0; i < req.passengers[t]; i++) { const id = `PAX${pax.length + 1}`; pax.push({ PaxID: id, PTC: t }); ids.push(id); }
      paxIds.set(t, ids);
    }
  }

  const ndcOffers = offers.map((o) => {
    const segRef = new Map<string, string>();
    for (const s of o.segments) {
      let id = segByFlight.get(s.flightId);
      if (!id) {
        id = `SEG${segs.size + 1}`;
        segByFlight.set(s.flightId, id);
        segs.set(id, {
          PaxSegmentID: id,
          Dep: { IATA_LocationCode: s.origin, AircraftScheduledDateTime: s.departureLocal },
          Arrival: { IATA_LocationCode: s.destination, AircraftScheduledDateTime: s.arrivalLocal },
          MarketingCarrierInfo: { CarrierDesigCode: s.marketingCarrier, MarketingCarrierFlightNumberText: String(s.marketingFlightNumber) },
          OperatingCarrierInfo: { CarrierDesigCode: s.operatingCarrier, OperatingCarrierFlightNumberText: String(s.operatingFlightNumber) },
          CabinType: { CabinTypeCode: s.cabin },
          Duration: isoDuration(Math.round((Date.parse(s.arrivalUtc) - Date.parse(s.departureUtc)) / 60_000)),
          ...(s.aircraft ? { DatedOperatingLeg: { CarrierAircraftType: { CarrierAircraftTypeCode: s.aircraft } } } : {}),
        });
      }
      segRef.set(s.id, id);
    }
    const journeyRef = new Map<string, string>();
    for (const j of o.journeys) {
      const refs = j.segmentIds.map((sid) => segRef.get(sid)!);
      const key = refs.join(' ');
      let pj = journeys.get(key);
      if (!pj) {
        const odKey = `${j.origin}-${j.destination}`;
        let od = ods.get(odKey);
        if (!od) { od = { id: `OD${ods.size + 1}`, origin: j.origin, dest: j.destination, journeys: [] }; ods.set(odKey, od); }
        pj = { id: `PJ${journeys.size + 1}`, segRefs: refs, duration: isoDuration(j.durationMinutes), od: od.id };
        od.journeys.push(pj.id);
        journeys.set(key, pj);
      }
      journeyRef.set(j.id, pj.id);
    }
    const pcId = `PC_${o.brand.code}`;
    if (!classes.has(pcId)) {
      classes.set(pcId, {
        PriceClassID: pcId, Code: o.brand.code, Name: o.brand.name,
        Desc: o.brand.includes.length ? o.brand.includes.map((c) => ({ DescText: `INC - ${serviceName(c)}` })) : [{ DescText: 'Fare only' }],
      });
    }
    const segsOf = (journeyId: string) => o.journeys.find((j) => j.id === journeyId)!.segmentIds.map((sid) => segRef.get(sid)!);
    const item = (it: OfferItem) => {
      const paxRefs = paxIds.get(it.paxType) ?? [];
      const taxTotal = it.unitTaxes.reduce((s, t) => s + t.amountMinor, 0) * it.paxCount;
      const price = {
        BaseAmount: ndcAmount(it.unitBaseMinor * it.paxCount, o.currency),
        ...(it.unitTaxes.length ? { TaxSummary: { TotalTaxAmount: ndcAmount(taxTotal, o.currency), Tax: it.unitTaxes.map((t) => ({ TaxCode: t.code, Amount: ndcAmount(t.amountMinor * it.paxCount, o.currency) })) } } : {}),
        TotalAmount: ndcAmount(it.totalMinor, o.currency),
      };
      let svc: Record<string, unknown>[];
      if (it.kind === 'fare') {
        svc = [{ ServiceID: `${it.id}-S1`, PaxRefID: paxRefs, OfferServiceAssociation: { PaxJourneyRef: { PaxJourneyRefID: [journeyRef.get(it.journeyId)!] } } }];
      } else {
        svc = it.services.map((c, k) => {
          const sd = `SD_${c}`;
          if (!services.has(sd)) services.set(sd, { ServiceDefinitionID: sd, OwnerCode: o.ownerCode, Name: serviceName(c), ServiceCode: c, Desc: [{ DescText: serviceName(c) }] });
          return { ServiceID: `${it.id}-S${k + 1}`, PaxRefID: paxRefs, OfferServiceAssociation: { ServiceDefinitionRef: { ServiceDefinitionRefID: sd, PaxSegmentRefID: segsOf(it.journeyId) } } };
        });
      }
      const journey = o.journeys.find((j) => j.id === it.journeyId)!;
      return {
        OfferItemID: it.id,
        MandatoryInd: it.mandatory,
        Price: price,
        ...(it.kind === 'fare' ? {
          FareDetail: [{
            PaxRefID: paxRefs,
            FarePriceType: { Price: { BaseAmount: ndcAmount(it.unitBaseMinor, o.currency), TotalAmount: ndcAmount(it.unitTotalMinor, o.currency) } },
            FareComponent: [{ PaxSegmentRefID: segsOf(it.journeyId), PriceClassRefID: pcId, RBD: { RBD_Code: journey.rbd }, FareBasisCode: { Code: journey.fareBasis }, CabinType: { CabinTypeCode: o.request.cabin } }],
          }],
        } : {}),
        Service: svc,
      };
    };
    const b = o.breakdown;
    return {
      OfferID: o.id,
      OwnerCode: o.ownerCode,
      OfferExpirationTimeLimitDateTime: o.expiresAt,
      PriceGuaranteeTimeLimitDateTime: o.priceGuaranteedUntil,
      JourneyOverview: { JourneyPriceClass: o.journeys.map((j) => ({ PaxJourneyRefID: journeyRef.get(j.id)!, PriceClassRefID: pcId })) },
      TotalPrice: {
        BaseAmount: ndcAmount(b.fareMinor + b.bundleMinor + b.ancillariesMinor, o.currency),
        TaxSummary: { TotalTaxAmount: ndcAmount(b.taxesMinor, o.currency) },
        TotalAmount: ndcAmount(o.total.amountMinor, o.currency),
      },
      OfferItem: o.items.map(item),
    };
  });

  const owners = [...new Set(offers.map((o) => o.ownerCode))];
  return {
    IATA_AirShoppingRS: {
      PayloadAttributes: { VersionNumber: '21.3', Timestamp: opts.timestamp, CorrelationID: opts.responseId },
      Response: {
        ShoppingResponse: { ShoppingResponseID: opts.responseId },
        DataLists: {
          PaxList: { Pax: pax },
          OriginDestList: { OriginDest: [...ods.values()].map((od) => ({ OriginDestID: od.id, OriginCode: od.origin, DestCode: od.dest, PaxJourneyRefID: od.journeys })) },
          PaxJourneyList: { PaxJourney: [...journeys.values()].map((j) => ({ PaxJourneyID: j.id, PaxSegmentRefID: j.segRefs, Duration: j.duration })) },
          PaxSegmentList: { PaxSegment: [...segs.values()] },
          PriceClassList: { PriceClass: [...classes.values()] },
          ServiceDefinitionList: { ServiceDefinition: [...services.values()] },
        },
        OffersGroup: { CarrierOffers: owners.map((owner) => ({ Offer: ndcOffers.filter((x) => x.OwnerCode === owner) })) },
      },
    },
  };
}

/** A refused request as an NDC AirShoppingRS with Errors, one per field (TagText names it). */
export function toNdcErrors(e: OfferRequestError, opts: Pick<NdcOptions, 'responseId' | 'timestamp'>): Record<string, unknown> {
  return {
    IATA_AirShoppingRS: {
      PayloadAttributes: { VersionNumber: '21.3', Timestamp: opts.timestamp, CorrelationID: opts.responseId },
      Error: e.issues.map((i) => ({ Code: 'BAD_REQUEST', TypeCode: 'Validation', DescText: i.message, TagText: i.field })),
    },
  };
}
