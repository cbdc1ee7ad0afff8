/**
 * The schedule port (network planning and codeshare): the planned schedule (from SSIM chapter 7 files or
 * an API), codeshare agreements, airport reference data and the holiday/event calendar.
 *
 * The planned schedule is not the operated one: the PSS's flights are. The engine reconciles the two
 * and flags mismatches (`ScheduleMismatch`); it never overwrites one with the other.
 */
import type { Airport, AirportCode, CarrierCode, FlightLeg } from '../domain/types';
import type { PortAnswer } from './answer';

/** One dated leg departure of the planned schedule: a FlightLeg plus what the plan says about it. */
export interface PlannedLeg extends FlightLeg {
  /** SSIM service type (Appendix C), e.g. "J" scheduled passenger, "F" cargo, "P" ferry */
  serviceType: string;
  /** false for cargo, ferry, training and other non-passenger services (kept, not in the passenger schedule) */
  passenger: boolean;
  /** SSIM operational suffix, "" when none */
  operationalSuffix: string;
  itineraryVariation: number;
  legSequence: number;
  /** local wall times "HH:MM" and the local arrival date at the destination */
  departureLocalTime: string;
  arrivalLocalTime: string;
  arrivalLocalDate: string;
  /** UTC offsets in minutes as the plan states them (local = UTC + offset) */
  departureUtcOffsetMinutes: number;
  arrivalUtcOffsetMinutes: number;
  /** the plan's aircraft configuration text, e.g. "J14W34Y316VV364" */
  aircraftConfiguration: string;
  /** where the leg came from, e.g. "schedule.ssim line 17" */
  sourceRef: string;
}

/** A codeshare: a flight sold under a marketing carrier's number and operated by another. */
export interface CodeshareAgreement {
  marketingCarrier: CarrierCode;
  /** null when the source names the marketing carrier only */
  marketingFlightNumber: number | null;
  operatingCarrier: CarrierCode;
  /** null when the source names the operating carrier only */
  operatingFlightNumber: number | null;
  /** the segment it applies to, when the source restricts it */
  origin: AirportCode | null;
  destination: AirportCode | null;
  /** inclusive local dates "YYYY-MM-DD" */
  validFrom: string;
  validTo: string;
  /** where it came from, e.g. "ssim DEI 10 line 24" or "api" */
  sourceRef: string;
}

/** A public holiday or event that moves demand. */
export interface CalendarEvent {
  /** inclusive local dates */
  fromDate: string;
  toDate: string;
  name: string;
  kind: 'holiday' | 'event' | 'school_holiday';
  /** ISO 3166 country, or null */
  country: string | null;
  /** the airport or city concerned, or null for a whole country */
  airport: AirportCode | null;
}

export type ScheduleMismatchKind = 'missing_in_pss' | 'missing_in_plan' | 'time_changed' | 'aircraft_changed' | 'route_changed';

/** A difference between the planned schedule and the PSS's operated flights, flagged for review. */
export interface ScheduleMismatch {
  flightId: string;
  kind: ScheduleMismatchKind;
  /** what differs, e.g. "departure 08:00 planned, 08:30 in the PSS" */
  detail: string;
}

export interface ScheduleQuery {
  /** inclusive local dates */
  fromDate: string;
  toDate: string;
  carrier?: CarrierCode;
}

export interface SchedulePort {
  /** the planned schedule; falls back to the last good schedule (flagged) */
  schedule(query: ScheduleQuery, signal?: AbortSignal): Promise<PortAnswer<PlannedLeg[]>>;
  codeshares(query: ScheduleQuery, signal?: AbortSignal): Promise<PortAnswer<CodeshareAgreement[]>>;
  airports(signal?: AbortSignal): Promise<PortAnswer<Airport[]>>;
  calendar(query: { fromDate: string; toDate: string }, signal?: AbortSignal): Promise<PortAnswer<CalendarEvent[]>>;
}
