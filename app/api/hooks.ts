import { useEffect, useRef } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient, type UseQueryOptions } from '@tanstack/react-query';
import type { ApiInput, ApiOutput, MethodName, EventMessage } from '../../engine/api/contract';
import { call, subscribe, ApiClientError } from './client';

export function apiQueryKey<K extends MethodName>(method: K, input: ApiInput<K>) {
  return [method, input] as const;
}

/** A react-query query over one API method. */
export function useApi<K extends MethodName>(
  method: K,
  input: ApiInput<K>,
  options: Omit<UseQueryOptions<ApiOutput<K>, ApiClientError>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<ApiOutput<K>, ApiClientError>({
    queryKey: apiQueryKey(method, input),
    queryFn: ({ signal }) => call(method, input, signal),
    ...options,
  });
}

/**
 * A mutation over one API method. On success it invalidates the active queries, so every screen
 * shows what the mutation changed.
 */
export function useApiMutation<K extends MethodName>(method: K) {
  const qc = useQueryClient();
  return useMutation<ApiOutput<K>, ApiClientError, ApiInput<K>>({
    mutationFn: (input) => call(method, input),
    onSuccess: () => { void qc.invalidateQueries(); },
  });
}

type Listener = (m: EventMessage) => void;

/** Subscribes to push events while mounted (the latest listener is called; no resubscribe per render). */
export function useApiEvents(listener: Listener): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => subscribe((m) => ref.current(m)), []);
}

/**
 * After a login, logout or first-run setup: forget every cached answer (it belonged to someone else)
 * except the system info, and ask again who is signed in.
 */
export async function sessionChanged(qc: QueryClient): Promise<void> {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'system.info' && q.queryKey[0] !== 'auth.status' });
  await qc.refetchQueries({ queryKey: ['auth.status'] });
}

/** Invalidates the queries of the methods whose names start with one of the prefixes. */
export function invalidateMethods(qc: QueryClient, prefixes: readonly string[]): void {
  void qc.invalidateQueries({ predicate: (q) => typeof q.queryKey[0] === 'string' && prefixes.some((p) => (q.queryKey[0] as string).startsWith(p)) });
}

/** Which queries each push event makes stale. */
export function staleAfter(m: EventMessage): readonly string[] {
  switch (m.name) {
    case 'feed.run': return m.payload.status === 'running' ? ['feeds.'] : ['feeds.', 'fares.', 'flights.', 'analytics.', 'monitoring.', 'settings.pricing', 'engines.'];
    case 'feed.status': return ['feeds.status'];
    case 'decisions.changed': return ['decisions.', 'analytics.reviewSummary', 'audit.search'];
    case 'push.result': return ['decisions.'];
    case 'alert.raised': case 'alert.updated': return ['monitoring.alerts'];
    case 'audit.verified': return ['audit.status'];
    case 'cycle.run': return m.payload.status === 'running' ? ['cycle.'] : ['cycle.', 'decisions.', 'analytics.', 'feeds.', 'fares.', 'monitoring.'];
    case 'simulation.progress': return m.payload.state === 'running' ? ['simulations.job'] : ['simulations.'];
    default: return [];
  }
}

/**
 * Coalesces stale-query prefixes: the first event refreshes at once, later ones within `windowMs` are
 * gathered and refreshed together when the window ends. A bulk approval in slices or a cycle publishing
 * its proposals sends an event per slice; without this each would refetch the review grid.
 */
export function coalescer(refresh: (prefixes: readonly string[]) => void, windowMs = 500): { add(prefixes: readonly string[]): void; stop(): void } {
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    if (pending.size === 0) return;
    const prefixes = [...pending];
    pending.clear();
    refresh(prefixes);
    timer = setTimeout(flush, windowMs);
  };
  return {
    add(prefixes) {
      for (const p of prefixes) pending.add(p);
      if (timer === null) flush();
    },
    stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending.clear();
    },
  };
}

/** Wires push events to the query cache. */
export function connectEventsToCache(qc: QueryClient): () => void {
  const stale = coalescer((prefixes) => invalidateMethods(qc, prefixes));
  const unsubscribe = subscribe((m) => {
    const prefixes = staleAfter(m);
    if (prefixes.length) stale.add(prefixes);
  });
  return () => { unsubscribe(); stale.stop(); };
}
