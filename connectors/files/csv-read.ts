/**
 * Reading one CSV batch file against its column specification (csv-parse underneath).
 *
 * The rule (documented for integrators in `specToMarkdown`):
 * - a file that cannot be read at all is rejected whole: not UTF-8 text, broken quoting (the record
 *   boundaries after it are uncertain), no header, a missing required column, a repeated column, or more
 *   bad rows than the spec's `maxBadRowShare`;
 * - otherwise every row that breaks a rule (wrong field count, a missing required value, a value outside
 *   its type or range, a repeated key) is quarantined with the file, its line and the reason, and the
 *   valid rows are applied — all of them in one transaction, or none.
 */
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { QuarantinedRecord } from '../../engine/ports/feed-sync';
import type { FileSpec, RowOf } from './column-spec';

export interface CsvRow<Row> {
  /** the line the row starts on (1-based; the header is line 1) */
  line: number;
  value: Row;
}

export interface CsvContent<Row> {
  kind: string;
  /** the file's name (no folder) */
  file: string;
  /** hex SHA-256 of the file's bytes: the identity of its content */
  sha256: string;
  /** data rows read (valid + quarantined) */
  rowsIn: number;
  rows: CsvRow<Row>[];
  quarantined: QuarantinedRecord[];
  /** header columns the spec does not know (ignored) */
  unknownColumns: string[];
}

export type CsvReadResult<Row> =
  | { ok: true; content: CsvContent<Row> }
  | { ok: false; sha256: string; reason: string; details: string[] };

interface ParsedRecord {
  record: string[];
  info: { lines: number };
  raw: string;
}

/** Reads a file's bytes against a spec. Pure: no I/O. */
export function readCsv<S extends FileSpec>(bytes: Buffer, fileName: string, spec: S): CsvReadResult<RowOf<S>> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const reject = (reason: string, details: string[] = []): CsvReadResult<RowOf<S>> => ({ ok: false, sha256, reason, details });

  if (bytes.includes(0)) return reject('not a text file (it contains NUL bytes): is it a spreadsheet or an archive rather than CSV?');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return reject('not UTF-8 text: save the file as CSV UTF-8');
  }
  // one line ending, so that csv-parse's line numbers are exact
  text = text.replace(/\r\n?/g, '\n');

  let records: ParsedRecord[];
  try {
    records = parse(text, {
      bom: true, delimiter: spec.delimiter ?? ',', relax_column_count: true, skip_empty_lines: true, info: true, raw: true,
    }) as unknown as ParsedRecord[];
  } catch (e) {
    // broken quoting: csv-parse cannot know where the records after it begin, so nothing after it is certain
    const line = (e as { lines?: unknown }).lines;
    return reject(`not readable as CSV${typeof line === 'number' ? ` (at line ${line})` : ''}: ${(e as Error).message}. Fix the quoting (a quote inside a quoted field is written "")`);
  }

  const data = records.filter((r) => r.record.some((f) => f.trim() !== ''));
  const header = data.shift();
  if (!header) return reject('empty file: no header line');

  // header: names, case-insensitively
  const names = header.record.map((h) => h.trim());
  const specNames = Object.keys(spec.columns);
  const byLower = new Map(specNames.map((n) => [n.toLowerCase(), n]));
  const position = new Map<string, number>();
  const repeated: string[] = [];
  const unknownColumns: string[] = [];
  names.forEach((h, i) => {
    const name = byLower.get(h.toLowerCase());
    if (!name) unknownColumns.push(h);
    else if (position.has(name)) repeated.push(h);
    else position.set(name, i);
  });
  const missing = specNames.filter((n) => spec.columns[n]!.required && !position.has(n));
  if (missing.length > 0 || repeated.length > 0) {
    const problems = [
      ...(missing.length ? [`missing required column(s) ${missing.join(', ')}`] : []),
      ...(repeated.length ? [`repeated column(s) ${repeated.join(', ')}`] : []),
    ];
    return reject(`wrong header for a ${spec.kind} file: ${problems.join('; ')}. Expected columns: ${specNames.join(', ')}; found: ${names.join(', ')}`);
  }

  const source = `file ${fileName}`;
  const quarantined: QuarantinedRecord[] = [];
  const rows: CsvRow<RowOf<S>>[] = [];
  const keys = new Map<string, number>();
  for (const r of data) {
    const line = r.info.lines - innerNewlines(r.raw);
    const payload = () => Object.fromEntries(names.map((h, i) => [h, r.record[i] ?? null]));
    if (r.record.length !== names.length) {
      quarantined.push({ source, location: `line ${line}`, reason: `the row has ${r.record.length} fields, the header ${names.length}`, payload: payload() });
      continue;
    }
    const value: Record<string, unknown> = {};
    const problems: { field: string; reason: string }[] = [];
    for (const name of specNames) {
      const c = spec.columns[name]!;
      const i = position.get(name);
      const cell = i === undefined ? '' : (r.record[i] ?? '').trim();
      if (cell === '') {
        if (c.required) problems.push({ field: name, reason: 'a value is required' });
        value[name] = null;
        continue;
      }
      const p = c.type.parse(cell);
      if (p.ok) value[name] = p.value;
      else problems.push({ field: name, reason: p.reason });
    }
    if (problems.length > 0) {
      quarantined.push({ source, location: `line ${line}`, field: problems[0]!.field, reason: problems.map((p) => `${p.field}: ${p.reason}`).join('; '), payload: payload() });
      continue;
    }
    if (spec.key?.length) {
      const k = JSON.stringify(spec.key.map((n) => value[n]));
      const first = keys.get(k);
      if (first !== undefined) {
        quarantined.push({ source, location: `line ${line}`, field: spec.key[0], reason: `repeats the key (${spec.key.join(', ')}) of line ${first}`, payload: payload() });
        continue;
      }
      keys.set(k, line);
    }
    rows.push({ line, value: value as RowOf<S> });
  }

  const rowsIn = rows.length + quarantined.length;
  const limit = spec.maxBadRowShare ?? 0.5;
  if (rowsIn > 0 && quarantined.length / rowsIn > limit) {
    return reject(
      `${quarantined.length} of ${rowsIn} rows break the ${spec.kind} column specification (more than ${Math.round(limit * 100)} %): the file looks wrong, nothing of it was applied`,
      quarantined.slice(0, 50).map((q) => `${q.location}: ${q.reason}`),
    );
  }
  return { ok: true, content: { kind: spec.kind, file: fileName, sha256, rowsIn, rows, quarantined, unknownColumns } };
}

/**
 * Line breaks inside a record's raw text (csv-parse counts lines up to the record's end; the raw text may
 * start with skipped blank lines and ends with the record delimiter).
 */
function innerNewlines(raw: string): number {
  let start = 0;
  while (raw.charCodeAt(start) === 10) start++;
  const end = raw.endsWith('\n') ? raw.length - 1 : raw.length;
  let n = 0;
  for (let i = raw.indexOf('\n', start); i !== -1 && i < end; i = raw.indexOf('\n', i + 1)) n++;
  return n;
}
