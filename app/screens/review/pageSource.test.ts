import { describe, expect, it } from 'vitest';
import { PageSource, type Page } from './pageSource';

/** A list of `n` numbers served a page at a time; every request is recorded; `fail` makes the next requests fail. */
function server(n: number) {
  const rows = Array.from({ length: n }, (_, i) => i);
  const requests: string[] = [];
  const state = { fail: 0, version: 0 };
  const fetchPage = async (offset: number, limit: number, sort: 'asc' | 'desc'): Promise<Page<string>> => {
    requests.push(`${sort}@${offset}`);
    if (state.fail > 0) { state.fail--; throw new Error('the API is down'); }
    const ordered = sort === 'asc' ? rows : [...rows].reverse();
    return { rows: ordered.slice(offset, offset + limit).map((r) => `${r}v${state.version}`), total: n };
  };
  return { fetchPage, requests, state };
}

/** Asks for a page of 10; answers the page (or the error). */
const ask = <S extends string>(src: PageSource<string, S>, offset: number, sort: S) =>
  new Promise<Page<string>>((resolve, reject) => src.get(offset, 10, sort, resolve, reject));

/** Lets every pending promise settle (a macrotask turn: no wall-clock wait). */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('PageSource', () => {
  it('fetches the next page ahead and serves it at once, synchronously', async () => {
    const s = server(35);
    const src = new PageSource(s.fetchPage, { defer: (f) => f() });
    let got: Page<string> | null = null;
    src.get(0, 10, 'asc', (p) => { got = p; }, () => undefined);
    expect(got).toBeNull(); // the first page is fetched on demand
    await settle();
    expect(got!.rows[0]).toBe('0v0');
    expect(s.requests).toEqual(['asc@0', 'asc@10']); // …and the next one ahead
    await settle();
    let second: Page<string> | null = null;
    src.get(10, 10, 'asc', (p) => { second = p; }, () => undefined);
    expect(second).not.toBeNull(); // answered before get returned
    expect(second!.rows).toEqual(Array.from({ length: 10 }, (_, i) => `${10 + i}v0`));
    expect(s.requests).toEqual(['asc@0', 'asc@10', 'asc@20']);
  });

  it('does not fetch past the end of the list, and uses a page fetched ahead only once', async () => {
    const s = server(25);
    const src = new PageSource(s.fetchPage, { defer: (f) => f() });
    await ask(src, 10, 'asc'); // fetches 10, then 20 ahead
    await settle();
    await ask(src, 20, 'asc'); // served ahead; 30 is past the end
    expect(s.requests).toEqual(['asc@10', 'asc@20']);
    await ask(src, 20, 'asc'); // the same page again is fetched again (it may have changed)
    expect(s.requests).toEqual(['asc@10', 'asc@20', 'asc@20']);
    expect(src.size).toBe(0);
  });

  it('keeps pages of each sort order apart', async () => {
    const s = server(30);
    const src = new PageSource(s.fetchPage, { defer: (f) => f() });
    await ask(src, 0, 'asc');
    await settle();
    const desc = await ask(src, 10, 'desc');
    expect(desc.rows[0]).toBe('19v0');
    expect(s.requests).toEqual(['asc@0', 'asc@10', 'desc@10', 'desc@20']);
  });

  it('waits for a page still on its way instead of asking twice', async () => {
    const s = server(40);
    const src = new PageSource(s.fetchPage, { defer: (f) => f() });
    const first = ask(src, 0, 'asc');
    await first; // the fetch of 10 has started, not answered
    const second = ask(src, 10, 'asc');
    expect((await second).rows[0]).toBe('10v0');
    expect(s.requests.filter((r) => r === 'asc@10')).toHaveLength(1);
  });

  it('after clear() the list is read again: nothing fetched before is served', async () => {
    const s = server(30);
    const src = new PageSource(s.fetchPage, { defer: (f) => f() });
    await ask(src, 0, 'asc');
    await settle();
    s.state.version = 1; // the decisions changed; the grid refreshes
    src.clear();
    expect(src.size).toBe(0);
    const page = await ask(src, 10, 'asc');
    expect(page.rows[0]).toBe('10v1');
  });

  it('does not serve a page fetched ahead once it is older than maxAgeMs', async () => {
    const s = server(30);
    let now = 1_000;
    const src = new PageSource(s.fetchPage, { maxAgeMs: 5_000, now: () => now, defer: (f) => f() });
    await ask(src, 0, 'asc');
    await settle();
    s.state.version = 1;
    now += 5_001;
    const page = await ask(src, 10, 'asc');
    expect(page.rows[0]).toBe('10v1');
    expect(s.requests).toEqual(['asc@0', 'asc@10', 'asc@10', 'asc@20']);
  });

  it('fetches ahead through the deferral it is given, and not after a clear()', async () => {
    const s = server(30);
    const deferred: (() => void)[] = [];
    const src = new PageSource(s.fetchPage, { defer: (f) => deferred.push(f) });
    await ask(src, 0, 'asc');
    expect(s.requests).toEqual(['asc@0']);
    expect(deferred).toHaveLength(1);
    deferred.shift()!();
    expect(s.requests).toEqual(['asc@0', 'asc@10']);
    await ask(src, 10, 'asc');
    src.clear();
    deferred.shift()!(); // the fetch of 20 was deferred before the list changed: it does not run
    expect(s.requests).toEqual(['asc@0', 'asc@10']);
  });

  it('reports a failed page to the grid and fetches nothing ahead of it', async () => {
    const s = server(30);
    const src = new PageSource(s.fetchPage, { defer: (f) => f() });
    s.state.fail = 1;
    await expect(ask(src, 0, 'asc')).rejects.toThrow('the API is down');
    expect(src.size).toBe(0);
    expect((await ask(src, 0, 'asc')).rows[0]).toBe('0v0'); // the grid's retry
  });

  it('asks again for a page whose fetch ahead failed, without reporting that failure', async () => {
    const s = server(30);
    const src = new PageSource(s.fetchPage, { defer: (f) => f() });
    await ask(src, 0, 'asc'); // 10 is fetched ahead
    await settle();
    s.state.fail = 1; // the fetch ahead of 20 will fail
    await ask(src, 10, 'asc');
    await settle();
    expect((await ask(src, 20, 'asc')).rows[0]).toBe('20v0');
    expect(s.requests).toEqual(['asc@0', 'asc@10', 'asc@20', 'asc@20']);
  });
});
