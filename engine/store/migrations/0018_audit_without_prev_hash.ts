// The audit log without its prev_hash column. Each row's hash covers the previous row's hash, so the
// previous hash is the hash of the row before (or, for the first row left after retention, its archive
// anchor's): storing it again took 64 of the row's about 300 bytes, 1.2 million rows a day on the sandbox
// hub network. Verification now hashes each row over the hash it has just read; it finds the same
// edits, deletions and insertions. Archive files keep their lines as before (with the previous hash),
// written from the chain as it is read. SQLite rewrites the rows without the column (about 4.5 s for 2.9
// million rows); the pages keep their free space until retention deletes their rows.
export const sql = `
ALTER TABLE audit_log DROP COLUMN prev_hash;
`;
