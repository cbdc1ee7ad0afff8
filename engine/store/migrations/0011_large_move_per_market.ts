// Large-move alerts were raised one per decision key, fares and authorisation levels alike: a first cycle
// on the sandbox raised 92,122 (nested booking limits of lower classes routinely swing by 100 %). They are
// now one per market, for fare moves only (engine/monitoring/alerts.ts); the old per-key ones are resolved
// here with the reason, so the next cycle's per-market alerts replace them. The partial index answers
// "how many pending fare proposals of a market move beyond ±x %, and which most" from the large ones alone.
export const sql = `
CREATE INDEX decisions_pending_fare_moves ON decisions (origin, destination, change_pct) WHERE state = 'proposed' AND kind = 'fare';

UPDATE alerts
SET resolved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
    detail = json_set(detail, '$.resolution', 'replaced by one large-move alert per market, for fare moves only')
WHERE kind = 'large_move' AND resolved_at IS NULL;
`;
