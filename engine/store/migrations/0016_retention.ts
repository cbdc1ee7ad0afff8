// Retention: old audit rows, decisions that ended unpushed and those of long-departed flights move out of the database into gzip JSON-lines files
// under `<dataDir>/archive/` (engine/workflow/retention.ts), so a store under a daily cycle stops
// growing by the cycle's whole output every day. Nothing is dropped: every row moved is in a file whose
// SHA-256 is recorded here.
//
// The audit log stays append-only. A row can be deleted only once an archive anchor covers it: the
// anchor records the last archived row's sequence and hash, so the chain left in the database still
// verifies from there (AuditLog.verify), and the archive file verifies up to the same hash. Anchors
// themselves cannot be changed or deleted.
export const sql = `
CREATE TABLE audit_archives (
  id INTEGER PRIMARY KEY,
  first_seq INTEGER NOT NULL CHECK (first_seq >= 1),
  through_seq INTEGER NOT NULL,
  through_hash TEXT NOT NULL CHECK (length(through_hash) = 64),
  file TEXT NOT NULL,
  file_sha256 TEXT NOT NULL CHECK (length(file_sha256) = 64),
  archived_at TEXT NOT NULL,
  CHECK (through_seq >= first_seq)
) STRICT;
CREATE UNIQUE INDEX audit_archives_through ON audit_archives (through_seq);
CREATE TRIGGER audit_archives_no_update BEFORE UPDATE ON audit_archives
BEGIN SELECT RAISE(ABORT, 'audit_archives is append-only: anchors cannot be changed'); END;
CREATE TRIGGER audit_archives_no_delete BEFORE DELETE ON audit_archives
BEGIN SELECT RAISE(ABORT, 'audit_archives is append-only: anchors cannot be deleted'); END;

DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.seq > coalesce((SELECT max(through_seq) FROM audit_archives), 0)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted (only rows an archive anchor in audit_archives covers)'); END;

-- decisions.override_of refers to decisions(id): without an index on it, every decision deleted made
-- SQLite's foreign-key check read the whole table (100,000 deletes took more than 14 minutes)
CREATE INDEX decisions_override_of ON decisions (override_of) WHERE override_of IS NOT NULL;

CREATE TABLE decision_archives (
  id INTEGER PRIMARY KEY,
  ended_before TEXT,
  departed_before TEXT,
  decisions INTEGER NOT NULL CHECK (decisions >= 0),
  outbox_items INTEGER NOT NULL CHECK (outbox_items >= 0),
  file TEXT NOT NULL,
  file_sha256 TEXT NOT NULL CHECK (length(file_sha256) = 64),
  archived_at TEXT NOT NULL
) STRICT;
`;
