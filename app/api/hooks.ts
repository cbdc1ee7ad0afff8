import { useEffect } from 'react';
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

/** Subscribes to push events while mounted. */
export function useApiEvents(listener: Listener): void {
  useEffect(() => subscribe(listener), [listener]);
}

/** Wires push events to the query cache: a finished feed run refreshes what it wrote. */
export function connectEventsToCache(qc: QueryClient): () => void {
  return subscribe((m) => {
    if (m.name === 'feed.run' && m.payload.status !== 'running') void qc.invalidateQueries();
    if (m.name === 'feed.status') void qc.invalidateQueries({ queryKey: ['feeds.status'] });
  });
}
