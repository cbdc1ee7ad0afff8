/**
 * Real airports the sandbox network is drawn from: IATA code, name, IANA time zone, coordinates
 * (WGS84, degrees) and ISO 3166 country, plus two sandbox-only attributes: `mass`, the relative size
 * of the catchment (drives the gravity model of demand), and `business`, the share of business
 * travellers the city attracts.
 */
import type { Airport } from '../domain/types';

export interface SandboxAirport extends Airport {
  country: string;
  mass: number;
  business: number;
  /** short haul or long haul from the hub */
  region: 'europe' | 'long_haul';
}

const A = (code: string, name: string, timeZone: string, lat: number, lon: number, country: string, mass: number, business: number, region: 'europe' | 'long_haul' = 'europe'): SandboxAirport =>
  ({ code, name, timeZone, lat, lon, country, mass, business, region });

export const SANDBOX_AIRPORTS: readonly SandboxAirport[] = [
  A('FRA', 'Frankfurt am Main Airport', 'Europe/Berlin', 50.0379, 8.5622, 'DE', 4.0, 0.45),
  A('BER', 'Berlin Brandenburg Airport', 'Europe/Berlin', 52.3667, 13.5033, 'DE', 2.6, 0.45),
  A('HAM', 'Hamburg Airport', 'Europe/Berlin', 53.6304, 9.9882, 'DE', 1.8, 0.5),
  A('MUC', 'Munich Airport', 'Europe/Berlin', 48.3538, 11.7861, 'DE', 2.4, 0.5),
  A('LHR', 'London Heathrow Airport', 'Europe/London', 51.47, -0.4543, 'GB', 4.5, 0.5),
  A('MAN', 'Manchester Airport', 'Europe/London', 53.365, -2.2728, 'GB', 1.6, 0.35),
  A('DUB', 'Dublin Airport', 'Europe/Dublin', 53.4264, -6.2499, 'IE', 1.5, 0.35),
  A('CDG', 'Paris Charles de Gaulle Airport', 'Europe/Paris', 49.0097, 2.5479, 'FR', 4.2, 0.45),
  A('NCE', "Nice Côte d'Azur Airport", 'Europe/Paris', 43.6584, 7.2159, 'FR', 1.2, 0.2),
  A('AMS', 'Amsterdam Airport Schiphol', 'Europe/Amsterdam', 52.3105, 4.7683, 'NL', 2.8, 0.45),
  A('BRU', 'Brussels Airport', 'Europe/Brussels', 50.9014, 4.4844, 'BE', 1.6, 0.55),
  A('MAD', 'Adolfo Suárez Madrid–Barajas Airport', 'Europe/Madrid', 40.4983, -3.5676, 'ES', 3.0, 0.35),
  A('BCN', 'Josep Tarradellas Barcelona–El Prat Airport', 'Europe/Madrid', 41.2974, 2.0833, 'ES', 2.6, 0.25),
  A('PMI', 'Palma de Mallorca Airport', 'Europe/Madrid', 39.5517, 2.7388, 'ES', 1.3, 0.08),
  A('LIS', 'Lisbon Humberto Delgado Airport', 'Europe/Lisbon', 38.7742, -9.1342, 'PT', 1.6, 0.25),
  A('FCO', 'Rome Fiumicino Airport', 'Europe/Rome', 41.8003, 12.2389, 'IT', 2.8, 0.3),
  A('MXP', 'Milan Malpensa Airport', 'Europe/Rome', 45.6306, 8.7281, 'IT', 2.2, 0.5),
  A('VIE', 'Vienna International Airport', 'Europe/Vienna', 48.1103, 16.5697, 'AT', 1.9, 0.45),
  A('ZRH', 'Zurich Airport', 'Europe/Zurich', 47.4582, 8.5555, 'CH', 2.0, 0.55),
  A('GVA', 'Geneva Airport', 'Europe/Zurich', 46.2381, 6.109, 'CH', 1.2, 0.55),
  A('CPH', 'Copenhagen Airport', 'Europe/Copenhagen', 55.618, 12.6508, 'DK', 1.7, 0.45),
  A('ARN', 'Stockholm Arlanda Airport', 'Europe/Stockholm', 59.6498, 17.9238, 'SE', 1.8, 0.45),
  A('OSL', 'Oslo Airport, Gardermoen', 'Europe/Oslo', 60.1976, 11.1004, 'NO', 1.5, 0.45),
  A('HEL', 'Helsinki Airport', 'Europe/Helsinki', 60.3172, 24.9633, 'FI', 1.3, 0.45),
  A('WAW', 'Warsaw Chopin Airport', 'Europe/Warsaw', 52.1657, 20.9671, 'PL', 1.7, 0.4),
  A('PRG', 'Václav Havel Airport Prague', 'Europe/Prague', 50.1008, 14.26, 'CZ', 1.4, 0.35),
  A('BUD', 'Budapest Ferenc Liszt International Airport', 'Europe/Budapest', 47.4298, 19.2611, 'HU', 1.3, 0.3),
  A('ATH', 'Athens International Airport', 'Europe/Athens', 37.9364, 23.9445, 'GR', 1.6, 0.2),
  A('JFK', 'John F. Kennedy International Airport', 'America/New_York', 40.6413, -73.7781, 'US', 4.5, 0.4, 'long_haul'),
  A('ORD', "Chicago O'Hare International Airport", 'America/Chicago', 41.9742, -87.9073, 'US', 3.5, 0.45, 'long_haul'),
  A('BOS', 'Boston Logan International Airport', 'America/New_York', 42.3656, -71.0096, 'US', 2.2, 0.45, 'long_haul'),
  A('DXB', 'Dubai International Airport', 'Asia/Dubai', 25.2532, 55.3657, 'AE', 2.5, 0.35, 'long_haul'),
  A('SIN', 'Singapore Changi Airport', 'Asia/Singapore', 1.3644, 103.9915, 'SG', 2.5, 0.4, 'long_haul'),
];

/** Currency of each country the sandbox sells in (ISO 3166 → ISO 4217). */
export const COUNTRY_CURRENCY: Readonly<Record<string, string>> = {
  DE: 'EUR', GB: 'GBP', IE: 'EUR', FR: 'EUR', NL: 'EUR', BE: 'EUR', ES: 'EUR', PT: 'EUR', IT: 'EUR', AT: 'EUR',
  CH: 'CHF', DK: 'DKK', SE: 'SEK', NO: 'NOK', FI: 'EUR', PL: 'PLN', CZ: 'CZK', HU: 'HUF', GR: 'EUR', US: 'USD',
  AE: 'AED', SG: 'SGD',
};

/** Units per euro at the start of the sandbox's history, and the daily volatility of each rate. */
export const FX_START: Readonly<Record<string, { rate: number; vol: number }>> = {
  GBP: { rate: 0.855, vol: 0.0035 },
  CHF: { rate: 0.945, vol: 0.003 },
  DKK: { rate: 7.46, vol: 0.0002 },
  SEK: { rate: 11.35, vol: 0.004 },
  NOK: { rate: 11.6, vol: 0.0045 },
  PLN: { rate: 4.31, vol: 0.0035 },
  CZK: { rate: 25.1, vol: 0.003 },
  HUF: { rate: 392, vol: 0.005 },
  USD: { rate: 1.09, vol: 0.0045 },
  AED: { rate: 4.0, vol: 0.0045 },
  SGD: { rate: 1.46, vol: 0.0035 },
};
