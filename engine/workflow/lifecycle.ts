/**
 * The decision lifecycle of DESIGN.md as a transition table: one place says which moves are legal, and
 * an illegal one is refused with the decision, where it stands and where it may go.
 */
export type DecisionState = 'recommended' | 'proposed' | 'approved' | 'rejected' | 'queued' | 'pushed' | 'failed' | 'superseded' | 'expired';
export const DECISION_STATES: readonly DecisionState[] = ['recommended', 'proposed', 'approved', 'rejected', 'queued', 'pushed', 'failed', 'superseded', 'expired'];

const NEXT: Readonly<Record<DecisionState, readonly DecisionState[]>> = {
  recommended: ['proposed', 'superseded'],
  proposed: ['approved', 'rejected', 'superseded', 'expired'],
  approved: ['queued', 'superseded', 'expired'],
  queued: ['pushed', 'failed', 'superseded', 'expired'],
  failed: ['queued', 'superseded', 'expired'],
  // only an override reaches expired from pushed (replace until expiry, influence past its end)
  pushed: ['expired'],
  rejected: [],
  superseded: [],
  expired: [],
};

/** States from which a newer decision for the same key supersedes (every one not yet pushed). */
export const SUPERSEDABLE: readonly DecisionState[] = ['recommended', 'proposed', 'approved', 'queued', 'failed'];
/** States of a decision that still stands or may yet reach the PSS. */
export const ACTIVE: readonly DecisionState[] = ['proposed', 'approved', 'queued', 'failed', 'pushed'];

export function allowedNext(from: DecisionState): readonly DecisionState[] {
  return NEXT[from];
}

export function canTransition(from: DecisionState, to: DecisionState): boolean {
  return NEXT[from].includes(to);
}

const VERB: Partial<Record<DecisionState, string>> = {
  proposed: 'proposed', approved: 'approved', rejected: 'rejected', queued: 'queued', pushed: 'marked pushed',
  failed: 'marked failed', superseded: 'superseded', expired: 'expired',
};

export class TransitionError extends Error {
  constructor(readonly decisionId: number, readonly from: DecisionState, readonly to: DecisionState) {
    const allowed = NEXT[from];
    super(`decision ${decisionId} is ${from}; it cannot be ${VERB[to] ?? to}` +
      (allowed.length ? ` (from ${from} it may become: ${allowed.join(', ')})` : ` (${from} is final)`));
    this.name = 'TransitionError';
  }
}

export function assertTransition(decisionId: number, from: DecisionState, to: DecisionState): void {
  if (!canTransition(from, to)) throw new TransitionError(decisionId, from, to);
}
