import { describe, expect, it } from 'vitest';
import { dateString, isoInstant } from './format';

describe('format', () => {
  it('writes instants exactly as toISOString does', () => {
    for (const ms of [0, 1, 999, 86_399_999, 1_700_000_000_123, Date.parse('2026-03-01T23:59:59.999Z'), Date.parse('2024-02-29T12:00:00Z')]) {
      expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
    }
    expect(dateString(20_000)).toBe(new Date(20_000 * 86_400_000).toISOString().slice(0, 10));
  });
});
