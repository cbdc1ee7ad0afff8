// A cabin's recommendations (a fare and an authorisation level per class, a bid price) are stored in its
// pricing_contexts row instead of a row each in `recommendations`: every reader reads them a departure
// or a whole cycle at a time, and the 7 rows a cabin took (each repeating the cycle, the flight, the
// market and the date, under a long text key) were most of the pricing cycle's insert cost. The
// column holds '[]' (nothing recommended) or the JSON array
//   [origin, destination, departure date, days to departure, [[kind, rbd, current, recommended, currency, explanation], ...]]
// with each explanation as `recommendations.explanation` held it (engine/pricing/store.ts reads both
// back into the objects the cycle produced). The rows already stored move over; a recommendation
// without its cabin's context (only a cycle whose writing failed midway leaves one, and
// loadRecommendations refused to read it) goes with the old table.
export const sql = `
ALTER TABLE pricing_contexts ADD COLUMN recommendations TEXT NOT NULL DEFAULT '[]';

UPDATE pricing_contexts SET recommendations = g.recs
FROM (
  SELECT cycle_id, flight_id, cabin,
    json_array(min(origin), min(destination), min(departure_date), min(days_to_departure),
      json_group_array(json_array(kind, rbd, current_value, recommended_value, currency, json(explanation)) ORDER BY key, kind)) AS recs
  FROM recommendations GROUP BY cycle_id, flight_id, cabin
) AS g
WHERE g.cycle_id = pricing_contexts.cycle_id AND g.flight_id = pricing_contexts.flight_id AND g.cabin = pricing_contexts.cabin;

DROP TABLE recommendations;
`;
