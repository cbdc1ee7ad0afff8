/** What a feed run's counts need beside them: records received that repeated others of the run, merged (never written twice). */
import type { FeedRunRow } from '../../engine/api/contract';
import { formatCount } from '../components/format';

/** The records a run merged into others as their duplicates (its streams' `duplicates`, connectors/pss/sync-kit.ts). */
export function mergedDuplicates(run: Pick<FeedRunRow, 'detail'> | null | undefined): number {
  const streams = run?.detail?.streams;
  if (!streams || typeof streams !== 'object') return 0;
  let n = 0;
  for (const s of Object.values(streams as Record<string, unknown>)) {
    const d = (s as { duplicates?: unknown } | null)?.duplicates;
    if (typeof d === 'number' && d > 0) n += d;
  }
  return n;
}

/** A run's written count in a table, with the duplicates it merged beside it. */
export function WrittenCell({ run }: { run: Pick<FeedRunRow, 'detail' | 'recordsWritten'> }) {
  const merged = mergedDuplicates(run);
  return (
    <td className="num" title={merged ? `${formatCount(merged)} duplicate(s) merged: received, written once` : undefined}>
      {formatCount(run.recordsWritten)}{merged > 0 && <span className="muted small"> +{formatCount(merged)} merged</span>}
    </td>
  );
}
