/** Length of haul: great-circle distance between two airports and its band. */
import type { Airport } from '../domain/types';

export type HaulBand = 'short' | 'medium' | 'long';
export const HAUL_BANDS: readonly HaulBand[] = ['short', 'medium', 'long'];

export interface HaulBands {
  /** distances below this (km) are short haul */
  shortBelowKm: number;
  /** distances below this (km) and not short are medium haul; the rest long */
  mediumBelowKm: number;
}

/** Common industry split (short < 1,500 km, medium < 4,000 km, long beyond). */
export const DEFAULT_HAUL_BANDS: HaulBands = { shortBelowKm: 1500, mediumBelowKm: 4000 };

const EARTH_RADIUS_KM = 6371.0088;

/** Haversine great-circle distance in km. */
export function greatCircleKm(a: Pick<Airport, 'lat' | 'lon'>, b: Pick<Airport, 'lat' | 'lon'>): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function haulBand(distanceKm: number, bands: HaulBands = DEFAULT_HAUL_BANDS): HaulBand {
  if (distanceKm < bands.shortBelowKm) return 'short';
  if (distanceKm < bands.mediumBelowKm) return 'medium';
  return 'long';
}

/** Band of a market from an airport table; throws naming the airport when it is unknown. */
export function marketHaul(airports: ReadonlyMap<string, Airport>, origin: string, destination: string, bands: HaulBands = DEFAULT_HAUL_BANDS): { km: number; band: HaulBand } {
  const o = airports.get(origin);
  if (!o) throw new Error(`unknown airport "${origin}": add it to the airport reference data`);
  const d = airports.get(destination);
  if (!d) throw new Error(`unknown airport "${destination}": add it to the airport reference data`);
  const km = greatCircleKm(o, d);
  return { km, band: haulBand(km, bands) };
}
