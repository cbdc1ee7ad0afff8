/**
 * Sorting a day's agenda keys (distinct whole numbers below 2^53, mostly spread over the day) in
 * ascending order, in place: a bucket pass on the key's share of the range, then insertion sort
 * within each bucket (the native sort for a crowded one). The keys are distinct, so the result is the one any ascending sort gives
 * (Float64Array.prototype.sort, which it replaces because the engine's typed-array sort costs about
 * five times as much on a day of requests).
 */
export class AgendaSorter {
  private counts = new Int32Array(256);
  private tmp = new Float64Array(256);

  /** Sorts keys[0 .. n−1] ascending; `max` is an exclusive upper bound of the keys. */
  sort(keys: Float64Array, n: number, max: number): void {
    if (n < 64) { insertion(keys, 0, n); return; }
    let nb = 1;
    while (nb * 4 < n) nb *= 2;
    if (this.counts.length < nb + 1) this.counts = new Int32Array(nb * 2 + 1);
    if (this.tmp.length < n) this.tmp = new Float64Array(n * 2);
    const counts = this.counts;
    const tmp = this.tmp;
    counts.fill(0, 0, nb + 1);
    const scale = nb / max;
    for (let i = 0; i < n; i++) {
      let b = Math.floor(keys[i]! * scale);
      if (b >= nb) b = nb - 1; else if (!(b >= 0)) b = 0;
      counts[b + 1]!++;
    }
    for (let b = 0; b < nb; b++) counts[b + 1] += counts[b]!;
    // counts[b] is now the start of bucket b; scatter, advancing the starts
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      let b = Math.floor(k * scale);
      if (b >= nb) b = nb - 1; else if (!(b >= 0)) b = 0;
      tmp[counts[b]!++] = k;
    }
    // bucket b now ends at counts[b]; sort each bucket back into keys
    let start = 0;
    for (let b = 0; b < nb; b++) {
      const end = counts[b]!;
      for (let i = start; i < end; i++) keys[i] = tmp[i]!;
      if (end - start > 48) keys.subarray(start, end).sort(); // keys bunched in one part of the range
      else if (end - start > 1) insertion(keys, start, end);
      start = end;
    }
  }
}

function insertion(a: Float64Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= from && a[j]! > v) { a[j + 1] = a[j]!; j--; }
    a[j + 1] = v;
  }
}
