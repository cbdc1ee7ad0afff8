// Each decision transaction (a cycle's slice of proposals, a slice of a bulk approval) first reads the
// overrides in force and the decisions due to expire. Without these indexes those reads scanned every
// live decision, ~30 ms per transaction at 20,000 proposals and growing with the table, which was most of
// a small slice's time. The partial indexes hold only overrides and only live decisions with an expiry.
export const sql = `
CREATE INDEX decisions_overrides ON decisions (key, id) WHERE source = 'override';
CREATE INDEX decisions_influences ON decisions (key, id) WHERE override_mode = 'influence';
CREATE INDEX decisions_due ON decisions (expires_at) WHERE expires_at IS NOT NULL AND state IN ('proposed', 'approved', 'queued', 'failed', 'pushed');
`;
