// A cycle's per-cabin contexts (about 1.5 KB of JSON each) were kept in a WITHOUT ROWID table, whose
// rows live in an index b-tree: there a row keeps at most about 1 KB of a 4 KB page in place and the
// rest goes to an overflow page of its own, so each context took 4.7 KB on disk (772 MB of a 1.25 GB
// store after one cycle of 82,500 departures, and most of the cycle's write time). In a rowid table
// a row of up to about 4 KB stays in its page: the same contexts take a third of the space. Their key
// becomes a unique index.
export const sql = `
CREATE TABLE pricing_contexts_new (
  id INTEGER PRIMARY KEY,
  cycle_id TEXT NOT NULL REFERENCES pricing_cycles(id) ON DELETE CASCADE,
  flight_id TEXT NOT NULL,
  cabin TEXT NOT NULL,
  context TEXT NOT NULL
) STRICT;

INSERT INTO pricing_contexts_new (cycle_id, flight_id, cabin, context)
SELECT cycle_id, flight_id, cabin, context FROM pricing_contexts ORDER BY cycle_id, flight_id, cabin;

DROP TABLE pricing_contexts;
ALTER TABLE pricing_contexts_new RENAME TO pricing_contexts;
CREATE UNIQUE INDEX pricing_contexts_key ON pricing_contexts (cycle_id, flight_id, cabin);
`;
