/**
 * Keyset paging for the sandbox's lists: the page token names the last key served (and the query it
 * belongs to), so pages neither skip nor repeat records when the data change between two calls.
 * Stream cursors are the last sequence served.
 */
import { badRequest } from './errors';

interface TokenBody { k: string; q: string }

export function encodePageToken(lastKey: string, query: string): string {
  return Buffer.from(JSON.stringify({ k: lastKey, q: query } satisfies TokenBody)).toString('base64url');
}

export function decodePageToken(token: string, query: string): string {
  let body: TokenBody;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as TokenBody;
  } catch {
    throw badRequest('pageToken', 'is not a token this server issued');
  }
  if (typeof body?.k !== 'string' || typeof body.q !== 'string') throw badRequest('pageToken', 'is not a token this server issued');
  if (body.q !== query) throw badRequest('pageToken', 'belongs to a different query: repeat the other parameters of the first call');
  return body.k;
}

/** The page after `token` of `items` (sorted by key, keys unique). */
export function keysetPage<T>(items: readonly T[], keyOf: (item: T) => string, token: string | null, query: string, limit: number): { page: T[]; nextPageToken: string | null } {
  let start = 0;
  if (token) {
    const after = decodePageToken(token, query);
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyOf(items[mid]!) <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return { page, nextPageToken: more && page.length > 0 ? encodePageToken(keyOf(page[page.length - 1]!), query) : null };
}

/** Stream cursors: "s<sequence>". */
export function encodeCursor(sequence: number): string {
  return `s${sequence}`;
}

export function decodeCursor(cursor: string | null, field = 'after'): number {
  if (cursor === null || cursor === '') return 0;
  const m = /^s(\d{1,15})$/.exec(cursor);
  if (!m) throw badRequest(field, `"${cursor.slice(0, 40)}" is not a cursor this server issued`);
  return Number(m[1]);
}

/** Sorts by a string key (code-unit order, as the keyset comparison uses). */
export function sortByKey<T>(items: T[], keyOf: (item: T) => string): T[] {
  return items.sort((a, b) => {
    const x = keyOf(a);
    const y = keyOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * A small cache of generated lists, keyed by the query and the market's state version, so paging
 * through a list builds it once.
 */
export class ListCache {
  private readonly entries = new Map<string, unknown[]>();
  constructor(private readonly size = 8) {}

  get<T>(key: string, build: () => T[]): T[] {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit as T[];
    }
    const v = build();
    this.entries.set(key, v);
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return v;
  }
}
