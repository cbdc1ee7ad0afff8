// A decision archive's ids still to delete from the store. Retention writes the file, records it, then
// deletes the archived rows in slices: a process stopped between slices left the rest in the store, and
// the next run archived them again, into another file (the archive search then found them twice). The
// record now keeps the ids (JSON) until the last slice is deleted; the next run finishes those deletes
// before it looks for more (engine/workflow/retention.ts).
export const sql = `
ALTER TABLE decision_archives ADD COLUMN pending TEXT;
`;
