/**
 * A small seeded uniform generator (mulberry32): the same seed gives the same sequence. For synthetic
 * data, retry jitter and fault injection, where tests need the same draws again; not for anything
 * security-related.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
