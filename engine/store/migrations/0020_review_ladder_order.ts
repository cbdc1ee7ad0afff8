// The review grid lists a flight's classes in the order of its fare ladder (the carrier's RBD ranks: Y B M H Q K L …,
// as the PSS nests them), not alphabetically (B H K L M …): a revenue manager reads down a cabin's ladder and sees
// at once where it is not monotone. Each decision keeps its class's rank (0 where the carrier lists no rank, as for a
// cabin's bid price), set when it is written (engine/workflow/decisions.ts), and the review indexes order by it.
export const sql = `
ALTER TABLE decisions ADD COLUMN rbd_rank INTEGER NOT NULL DEFAULT 0 CHECK (rbd_rank >= 0);
UPDATE decisions SET rbd_rank = r.rank FROM rbds r WHERE r.carrier = decisions.carrier AND r.rbd = decisions.rbd AND r.rank <> 0;
DROP INDEX decisions_review;
CREATE INDEX decisions_review ON decisions (travel_date, origin, destination, flight_id, cabin, rbd_rank, rbd, id);
DROP INDEX decisions_state_travel;
CREATE INDEX decisions_state_travel ON decisions (state, travel_date, origin, destination, flight_id, cabin, rbd_rank, rbd, id, kind);
DROP INDEX decisions_state_market;
CREATE INDEX decisions_state_market ON decisions (state, origin, destination, travel_date, flight_id, cabin, rbd_rank, rbd, id, kind);
`;
