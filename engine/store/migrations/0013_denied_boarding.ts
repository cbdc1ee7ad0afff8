// A booking segment can end denied boarding: the PSS accepts authorisation levels above a cabin's seats
// (overbooking), and a passenger who shows up when every seat is taken is not boarded. The status's
// CHECK constraint cannot be altered in place, so the table is rebuilt with its rows and index.
export const sql = `
CREATE TABLE bookings_new (
  id TEXT PRIMARY KEY,
  record_locator TEXT NOT NULL,
  flight_id TEXT NOT NULL,
  rbd TEXT NOT NULL,
  cabin TEXT NOT NULL,
  fare_basis TEXT,
  journey_origin TEXT NOT NULL,
  journey_destination TEXT NOT NULL,
  point_of_sale TEXT NOT NULL,
  channel TEXT NOT NULL,
  passengers INTEGER NOT NULL CHECK (passengers > 0),
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  currency TEXT NOT NULL,
  booked_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'flown', 'no_show', 'denied_boarding')),
  status_at TEXT,
  ancillaries TEXT NOT NULL DEFAULT '[]'
) STRICT;

INSERT INTO bookings_new SELECT id, record_locator, flight_id, rbd, cabin, fare_basis, journey_origin, journey_destination,
  point_of_sale, channel, passengers, amount_minor, currency, booked_at, status, status_at, ancillaries FROM bookings;

DROP TABLE bookings;
ALTER TABLE bookings_new RENAME TO bookings;
CREATE INDEX bookings_flight ON bookings (flight_id, rbd);
`;
