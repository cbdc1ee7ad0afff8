/**
 * Pages of a long list for ag-grid's infinite row model, fetched one page ahead.
 *
 * The grid asks for a block when its first row comes into the row buffer. Fetched only then, the rows
 * show as "loading" for a few frames and are all drawn again when the page arrives: scrolling 100,000
 * rows, each block boundary cost two to four frames of 50-100 ms. Here every page served starts the
 * fetch of the next one shortly after; when the grid asks for it, the page is answered at once
 * (synchronously, so with no load debounce on the grid the rows are drawn with their data the first time).
 *
 * A page fetched ahead is used once, and only while it is fresh (`maxAgeMs`); `clear()` forgets every
 * page fetched ahead and any fetch still running (the list changed: a refresh must read it again).
 */
export interface Page<T> {
  rows: T[];
  total: number;
}

/** Fetches `limit` rows from `offset` in the order `sort` names (a key of the grid's sort model). */
export type FetchPage<T, S extends string> = (offset: number, limit: number, sort: S) => Promise<Page<T>>;

interface Ahead<T> {
  /** set when the fetch has answered */
  page?: Page<T>;
  error?: Error;
  promise: Promise<Page<T>>;
  startedAt: number;
}

export class PageSource<T, S extends string> {
  private readonly ahead = new Map<string, Ahead<T>>();
  private generation = 0;

  constructor(
    private readonly fetchPage: FetchPage<T, S>,
    private readonly opts: {
      maxAgeMs?: number;
      now?: () => number;
      /** runs the fetch of the next page: by default a quarter second after a page is served, so the
       * fetch ahead does not compete with drawing the page just served (a new filter, a first load) */
      defer?: (fetch: () => void) => void;
    } = {},
  ) {}

  /**
   * Answers the page at `offset` through `onPage` (synchronously when it was fetched ahead and has
   * arrived) or `onError`, and fetches the page after it.
   */
  get(offset: number, limit: number, sort: S, onPage: (p: Page<T>) => void, onError: (e: Error) => void): void {
    const key = keyOf(offset, limit, sort);
    const now = this.now();
    let entry = this.ahead.get(key);
    this.ahead.delete(key);
    if (entry && (entry.error || now - entry.startedAt > this.maxAgeMs)) entry = undefined;
    const serve = (p: Page<T>) => {
      if (offset + limit < p.total) this.defer(() => this.fetchAhead(offset + limit, limit, sort));
      onPage(p);
    };
    if (entry?.page) { serve(entry.page); return; }
    // a page still on its way is awaited; if that fetch fails, the page is asked for once more
    const fetched = entry ? entry.promise.catch(() => this.fetchPage(offset, limit, sort)) : this.fetchPage(offset, limit, sort);
    fetched.then(serve, (e: unknown) => onError(e instanceof Error ? e : new Error(String(e))));
  }

  /** Forgets the pages fetched ahead (the list changed). */
  clear(): void {
    this.generation++;
    this.ahead.clear();
  }

  /** How many pages are held ahead (for tests). */
  get size(): number {
    return this.ahead.size;
  }

  private fetchAhead(offset: number, limit: number, sort: S): void {
    const key = keyOf(offset, limit, sort);
    if (this.ahead.has(key)) return;
    const entry: Ahead<T> = { promise: this.fetchPage(offset, limit, sort), startedAt: this.now() };
    this.ahead.set(key, entry);
    // a failed fetch ahead is not reported here: the grid's own request for the page asks again
    entry.promise.then((p) => { entry.page = p; }, (e: unknown) => { entry.error = e instanceof Error ? e : new Error(String(e)); });
  }

  private defer(fetch: () => void): void {
    const generation = this.generation;
    const run = () => { if (generation === this.generation) fetch(); }; // not after a clear()
    if (this.opts.defer) this.opts.defer(run);
    else setTimeout(run, 250);
  }

  private get maxAgeMs(): number {
    return this.opts.maxAgeMs ?? 20_000;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}

const keyOf = (offset: number, limit: number, sort: string) => `${sort}@${offset}+${limit}`;
