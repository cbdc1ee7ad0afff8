/**
 * Hostile values for the fuzz campaigns (fast-check arbitraries): wrong types, huge and negative numbers,
 * unknown codes, invalid dates, SQL and script text, control characters, oversized strings and arrays.
 * Shared by the API campaign (apiFuzz.ts) and the ingestion campaigns (e2e/soak/fuzz).
 */
import fc from 'fast-check';

/** text an attacker or a broken system sends: SQL, script and markup, path and format tricks */
export const HOSTILE_TEXT = [
  "'; DROP TABLE bookings; --",
  "' OR '1'='1",
  '1; DELETE FROM decisions WHERE 1=1',
  'Robert"); UPDATE fares SET amount_minor = 0; --',
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(document.cookie)">',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '../../../../etc/passwd',
  '%s%s%s%n',
  '${process.exit(1)}',
  '__proto__',
  'constructor',
  '\u0000NUL',
  '\u202Eevil\u202C',
  'ZZZ',
  'XX9',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '2026-04-01T25:61:00Z',
  'not-a-date',
  '-1',
  '1e309',
  'NaN',
  '',
  ' ',
] as const;

export const HOSTILE_NUMBERS = [
  -1, -0, 0, -100_000, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, Number.MIN_SAFE_INTEGER, 2 ** 63, 1.5, 0.1 + 0.2, 1e-300,
] as const;

/** a hostile scalar (or a wrong-typed value) */
export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...HOSTILE_TEXT),
  fc.constantFrom<unknown>(...HOSTILE_NUMBERS),
  fc.constantFrom<unknown>(null, true, false, [], {}, [null], { $gt: '' }, { __proto__: { polluted: true } }),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())),
);

/** an oversized value: a long string or a long array */
export const oversized: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'A'.repeat(n)),
  fc.integer({ min: 10_000, max: 100_000 }).map((n) => Array.from({ length: n }, (_, i) => i)),
  fc.constant('<script>'.repeat(20_000)),
);

/** any hostile value: mostly scalars, sometimes structures of them, rarely oversized */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: hostileScalar },
  { weight: 2, arbitrary: fc.array(hostileScalar, { maxLength: 5 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.constantFrom('a', 'id', 'amount', '__proto__', 'constructor'), hostileScalar, { maxKeys: 3 }) },
  { weight: 1, arbitrary: oversized },
  { weight: 1, arbitrary: fc.anything() },
);

/** A record derived from a valid one: `fields` of its keys replaced with hostile values, or deleted, or unknown keys added. */
export function mutateRecord<T extends Record<string, unknown>>(valid: T): fc.Arbitrary<{ record: Record<string, unknown>; changed: string[] }> {
  const keys = Object.keys(valid);
  return fc.array(
    fc.record({ key: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'extra', 'constructor') }), op: fc.constantFrom('set', 'set', 'set', 'delete'), value: hostileValue }),
    { minLength: 1, maxLength: 3 },
  ).map((ops) => {
    const record: Record<string, unknown> = { ...valid };
    const changed: string[] = [];
    for (const o of ops) {
      if (o.op === 'delete') delete record[o.key];
      else Object.defineProperty(record, o.key, { value: o.value, enumerable: true, writable: true, configurable: true });
      changed.push(o.key);
    }
    return { record, changed };
  });
}
