/**
 * Every push of one decision key (`@key`): the decisions still in the store and the replaced fares
 * retention moved to `price_history` (migration 17). Columns: id (the decision's), pushed_at, sequence,
 * current_value, proposed_value, archived (1: the decision itself is in an archive file).
 */
export const PUSHES_OF_KEY = `(SELECT id, pushed_at, sequence, current_value, proposed_value, 0 AS archived FROM decisions WHERE key = @key AND pushed_at IS NOT NULL
    UNION ALL SELECT h.decision_id, h.pushed_at, h.sequence, h.current_value, h.proposed_value, 1 FROM price_history h JOIN price_keys k ON k.id = h.key_id WHERE k.key = @key)`;
