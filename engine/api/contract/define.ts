/**
 * The one API contract: method name → input schema (zod) → output type, plus the push events.
 * The same table is served in-process, over Electron IPC and over the local HTTP bridge.
 */
import type { z } from 'zod';

/** Roles, from least to most privileged. */
export type Role = 'analyst' | 'revenue_manager' | 'admin';
export const ROLES: readonly Role[] = ['analyst', 'revenue_manager', 'admin'];

/** Who may call a method: 'public' needs no login, 'read' any logged-in role, else the listed roles. */
export type Access = 'public' | 'read' | readonly Role[];

export interface MethodSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  readonly access: Access;
  readonly description: string;
  /** tables this method writes: clients invalidate queries that read them */
  readonly writes?: readonly string[];
  /** phantom: the output type */
  readonly __output?: O;
}

/** Declares a method: `method<Output>()({ input, access, description })`. */
export function method<O>() {
  return <I extends z.ZodType>(spec: { input: I; access: Access; description: string; writes?: readonly string[] }): MethodSpec<I, O> => spec;
}

export type ContractShape = Record<string, MethodSpec>;
export type InputOf<M> = M extends MethodSpec<infer I, unknown> ? z.input<I> : never;
export type ParsedInputOf<M> = M extends MethodSpec<infer I, unknown> ? z.output<I> : never;
export type OutputOf<M> = M extends MethodSpec<z.ZodType, infer O> ? O : never;

export type ApiErrorCode =
  | 'validation' | 'unknown_method' | 'unauthenticated' | 'forbidden' | 'not_found'
  | 'conflict' | 'unavailable' | 'cancelled' | 'internal';

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  /** the input field at fault, as a dotted path, for validation errors */
  field?: string;
  issues?: { field: string; message: string }[];
}

/** Every reply crosses a transport as an envelope: no exception crosses the bridge. */
export type Envelope<O> = { ok: true; result: O } | { ok: false; error: ApiErrorBody };

export const HTTP_STATUS: Record<ApiErrorCode, number> = {
  validation: 400, unknown_method: 404, unauthenticated: 401, forbidden: 403, not_found: 404,
  conflict: 409, unavailable: 503, cancelled: 499, internal: 500,
};
