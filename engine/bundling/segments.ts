/**
 * Passenger segments for ancillary estimation: travel purpose × channel × length of haul.
 *
 * The PSS does not reveal why someone travels, so the purpose is a proxy from what it does reveal: the
 * cabin, how high the booking class sits on its fare ladder and how far ahead the booking was made.
 * Late bookings and high classes are business-like; early bookings in the lower classes leisure-like.
 */
import type { HaulBand } from './haul';

export type TravelPurpose = 'business' | 'leisure';

export interface SegmentKey {
  purpose: TravelPurpose;
  channel: string;
  haul: HaulBand;
}

export function segmentId(k: SegmentKey): string {
  return `${k.purpose}/${k.channel}/${k.haul}`;
}

export interface PurposeProxyRules {
  /** cabins whose passengers count as business travellers */
  premiumCabins: string[];
  /** classes in the top fraction of their cabin's ladder (0 = highest class) are business-like */
  businessTopRankFraction: number;
  /** bookings made this many days or fewer before departure are business-like */
  businessMaxAdvanceDays: number;
}

export const DEFAULT_PURPOSE_RULES: PurposeProxyRules = {
  premiumCabins: ['F', 'J'],
  businessTopRankFraction: 0.25,
  businessMaxAdvanceDays: 7,
};

export interface PurposeEvidence {
  cabin: string;
  /** rank / (classes in the cabin − 1): 0 for the highest class, 1 for the lowest; undefined if unknown */
  rankFraction: number | undefined;
  /** days between booking and departure */
  advanceDays: number;
}

export function purposeProxy(e: PurposeEvidence, rules: PurposeProxyRules = DEFAULT_PURPOSE_RULES): TravelPurpose {
  if (rules.premiumCabins.includes(e.cabin)) return 'business';
  if (e.rankFraction !== undefined && e.rankFraction <= rules.businessTopRankFraction) return 'business';
  if (e.advanceDays <= rules.businessMaxAdvanceDays) return 'business';
  return 'leisure';
}
