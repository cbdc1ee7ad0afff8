/**
 * Column specifications of the CSV batch files: per file kind, which columns, of which type, required or
 * not, with which allowed values or ranges. One typed object serves three purposes: it checks each row,
 * it gives the row its TypeScript type (`RowOf`), and it prints as the human-readable interface document
 * a real integration must meet (`specToMarkdown`).
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A column's type: parses the (trimmed, non-empty) text of a cell. */
export interface ColumnType<T> {
  /** e.g. "integer", "date" */
  readonly name: string;
  /** the rule in words, e.g. "integer from 0 to 999" */
  readonly rule: string;
  parse(text: string): Parsed<T>;
}

export interface ColumnSpec<T = unknown, R extends boolean = boolean> {
  type: ColumnType<T>;
  /** the column must be in the header and every row must give a value */
  required: R;
  description: string;
  /** an example value for the document */
  example?: string;
}

export interface FileSpec<C extends Record<string, ColumnSpec> = Record<string, ColumnSpec>> {
  /** e.g. "pros-demand" */
  kind: string;
  title: string;
  description: string;
  /** which files of a drop folder are of this kind, e.g. /^demand_.*\.csv$/i */
  fileNamePattern: RegExp;
  /** keyed by header name (matched case-insensitively); the document lists them in this order */
  columns: C;
  /** default "," */
  delimiter?: string;
  /** columns that identify a row: a second row with the same key in one file is quarantined */
  key?: readonly string[];
  /** share of bad rows (0–1) above which the whole file is rejected rather than applied (default 0.5) */
  maxBadRowShare?: number;
}

/** The row type a spec describes: required columns give T, optional ones T | null. */
export type RowOf<S extends FileSpec> = {
  [K in keyof S['columns']]: S['columns'][K] extends ColumnSpec<infer T, infer R> ? (R extends true ? T : T | null) : never;
};

/** Declares a spec, keeping the literal types of its columns. */
export function defineFileSpec<const C extends Record<string, ColumnSpec>>(spec: FileSpec<C> & { key?: readonly (keyof C & string)[] }): FileSpec<C> {
  for (const name of Object.keys(spec.columns)) {
    if (name.trim() !== name || name === '') throw new Error(`file spec ${spec.kind}: column name "${name}" must be non-empty without surrounding blanks`);
  }
  for (const k of spec.key ?? []) if (!(k in spec.columns)) throw new Error(`file spec ${spec.kind}: key column "${k}" is not a column`);
  const share = spec.maxBadRowShare ?? 0.5;
  if (!(share >= 0 && share <= 1)) throw new Error(`file spec ${spec.kind}: maxBadRowShare must lie in [0, 1], got ${share}`);
  return spec;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });

/** "YYYY-MM-DD" naming a real calendar day (proleptic Gregorian). */
function isCalendarDate(t: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
}
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

function range(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}

/** Column type builders. */
export const col = {
  string(opts: { maxLength?: number; pattern?: RegExp; patternHint?: string } = {}): ColumnType<string> {
    const rule = `text${opts.maxLength ? ` of at most ${opts.maxLength} characters` : ''}${opts.pattern ? `, ${opts.patternHint ?? `matching ${opts.pattern}`}` : ''}`;
    return {
      name: 'string', rule,
      parse: (t) => {
        if (opts.maxLength !== undefined && t.length > opts.maxLength) return bad(`"${t}" is longer than ${opts.maxLength} characters`);
        if (opts.pattern && !opts.pattern.test(t)) return bad(`"${t}" is not ${opts.patternHint ?? `matching ${opts.pattern}`}`);
        return ok(t);
      },
    };
  },

  integer(opts: { min?: number; max?: number } = {}): ColumnType<number> {
    return {
      name: 'integer', rule: `integer${range(opts.min, opts.max)}`,
      parse: (t) => {
        if (!/^[+-]?\d+$/.test(t)) return bad(`"${t}" is not an integer`);
        const n = Number(t);
        if (!Number.isSafeInteger(n)) return bad(`"${t}" is too large`);
        if (opts.min !== undefined && n < opts.min) return bad(`${n} is below the minimum ${opts.min}`);
        if (opts.max !== undefined && n > opts.max) return bad(`${n} is above the maximum ${opts.max}`);
        return ok(n);
      },
    };
  },

  /** a decimal number with a "." separator and at most `maxDecimals` decimals */
  decimal(opts: { min?: number; max?: number; maxDecimals?: number } = {}): ColumnType<number> {
    const dec = opts.maxDecimals;
    return {
      name: 'decimal', rule: `decimal number (dot separator${dec !== undefined ? `, at most ${dec} decimals` : ''})${range(opts.min, opts.max)}`,
      parse: (t) => {
        const m = /^[+-]?\d+(?:\.(\d+))?$/.exec(t);
        if (!m) return bad(`"${t}" is not a decimal number (use a dot, no thousands separators)`);
        if (dec !== undefined && (m[1]?.length ?? 0) > dec) return bad(`"${t}" has more than ${dec} decimals`);
        const n = Number(t);
        if (opts.min !== undefined && n < opts.min) return bad(`${n} is below the minimum ${opts.min}`);
        if (opts.max !== undefined && n > opts.max) return bad(`${n} is above the maximum ${opts.max}`);
        return ok(n);
      },
    };
  },

  /** a calendar date YYYY-MM-DD */
  date(opts: { min?: string; max?: string } = {}): ColumnType<string> {
    return {
      name: 'date', rule: `date YYYY-MM-DD${opts.min ? `, from ${opts.min}` : ''}${opts.max ? `, until ${opts.max}` : ''}`,
      parse: (t) => {
        if (!isCalendarDate(t)) return bad(`"${t}" is not a date YYYY-MM-DD`);
        if (opts.min && t < opts.min) return bad(`${t} is before ${opts.min}`);
        if (opts.max && t > opts.max) return bad(`${t} is after ${opts.max}`);
        return ok(t);
      },
    };
  },

  /** an instant in ISO-8601 with a UTC offset ("Z" or ±HH:MM); normalised to UTC */
  instant(): ColumnType<string> {
    return {
      name: 'instant', rule: 'instant ISO-8601 with a time zone (e.g. 2025-03-01T08:30:00Z), stored in UTC',
      parse: (t) => {
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(t)) return bad(`"${t}" is not an ISO-8601 instant with a time zone`);
        const ms = Date.parse(t);
        if (Number.isNaN(ms)) return bad(`"${t}" is not a possible instant`);
        return ok(new Date(ms).toISOString());
      },
    };
  },

  oneOf<const V extends readonly string[]>(values: V): ColumnType<V[number]> {
    return {
      name: 'enum', rule: `one of ${values.map((v) => `"${v}"`).join(', ')}`,
      parse: (t) => ((values as readonly string[]).includes(t) ? ok(t as V[number]) : bad(`"${t}" is not one of ${values.join(', ')}`)),
    };
  },

  airport(): ColumnType<string> {
    return col.string({ pattern: /^[A-Z]{3}$/, patternHint: 'an IATA airport code (three capital letters)' });
  },

  carrier(): ColumnType<string> {
    return col.string({ pattern: /^[A-Z0-9]{2}[A-Z]?$/, patternHint: 'an airline designator (two characters, or three letters)' });
  },

  currency(): ColumnType<string> {
    return col.string({ pattern: /^[A-Z]{3}$/, patternHint: 'an ISO 4217 currency code (three capital letters)' });
  },
};

/** The interface document of a file kind, in Markdown. */
export function specToMarkdown(spec: FileSpec): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `## ${spec.title} (\`${spec.kind}\`)`,
    '',
    spec.description,
    '',
    `- File names: \`${spec.fileNamePattern.source}\`${spec.fileNamePattern.flags.includes('i') ? ' (any case)' : ''}`,
    `- Format: CSV (RFC 4180), UTF-8, delimiter \`${spec.delimiter ?? ','}\`, first line is the header; column order is free, names match in any case.`,
    '- A file is taken once it is complete: write it under a temporary name (`.tmp`, `.part`) and rename it, or leave its size unchanged for a few seconds.',
    `- Rows that break a rule are quarantined with the file, line and reason; the other rows are applied together in one transaction. A file with more than ${Math.round((spec.maxBadRowShare ?? 0.5) * 100)} % bad rows, a missing required column or unreadable content is rejected whole (moved to \`rejected/\` with a reason file) and nothing of it is applied.`,
    ...(spec.key?.length ? [`- Key: ${spec.key.map((k) => `\`${k}\``).join(', ')}; a repeated key within one file is quarantined.`] : []),
    '',
    '| column | required | type and rule | description | example |',
    '|---|---|---|---|---|',
    ...Object.entries(spec.columns).map(([name, c]) => `| \`${name}\` | ${c.required ? 'yes' : 'no'} | ${esc(c.type.rule)} | ${esc(c.description)} | ${c.example ? `\`${esc(c.example)}\`` : ''} |`),
    '',
  ];
  return lines.join('\n');
}
