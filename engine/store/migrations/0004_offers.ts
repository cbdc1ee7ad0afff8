/**
 * Schema 4: offers (engine/offers) — each priced, time-limited offer with its totals for querying and the
 * full record as JSON, and the legs it sells (to find the offers a schedule or inventory change touches).
 */
export const sql = `
CREATE TABLE offers (
  id TEXT PRIMARY KEY,
  owner_code TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  price_guaranteed_until TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (length(origin) = 3),
  destination TEXT NOT NULL CHECK (length(destination) = 3),
  departure_date TEXT NOT NULL,
  return_date TEXT,
  cabin TEXT NOT NULL,
  channel TEXT NOT NULL,
  point_of_sale TEXT NOT NULL,
  passengers INTEGER NOT NULL CHECK (passengers BETWEEN 1 AND 9),
  brand TEXT NOT NULL,
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  total_minor INTEGER NOT NULL CHECK (total_minor >= 0),
  fare_minor INTEGER NOT NULL,
  bundle_minor INTEGER NOT NULL,
  taxes_minor INTEGER NOT NULL,
  ancillaries_minor INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'offered' CHECK (status IN ('offered', 'ordered', 'expired', 'replaced')),
  status_at TEXT NOT NULL,
  replaced_by TEXT REFERENCES offers(id),
  order_id TEXT,
  shopping_response_id TEXT,
  record TEXT NOT NULL CHECK (json_valid(record)),
  CHECK (total_minor = fare_minor + bundle_minor + taxes_minor + ancillaries_minor),
  CHECK (price_guaranteed_until <= expires_at),
  CHECK ((status = 'ordered') = (order_id IS NOT NULL)),
  CHECK ((status = 'replaced') = (replaced_by IS NOT NULL))
) STRICT;
CREATE INDEX offers_status_expiry ON offers (status, expires_at);
CREATE INDEX offers_market ON offers (origin, destination, departure_date);
CREATE INDEX offers_response ON offers (shopping_response_id) WHERE shopping_response_id IS NOT NULL;

CREATE TABLE offer_segments (
  offer_id TEXT NOT NULL REFERENCES offers(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL CHECK (seq >= 1),
  flight_id TEXT NOT NULL,
  rbd TEXT NOT NULL CHECK (length(rbd) BETWEEN 1 AND 2),
  PRIMARY KEY (offer_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX offer_segments_flight ON offer_segments (flight_id);
`;
