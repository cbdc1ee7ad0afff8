/**
 * Fuzz every API method through the dispatcher (as every transport calls it) with generated malformed,
 * truncated, oversized and adversarial input: a whole wrong value, the method's own fields with hostile
 * values, unknown fields, callers of every role and none. Each answer is judged:
 * - the call settles with an envelope (no throw, no hang past `callTimeoutMs`);
 * - an error is never `internal` (an unplanned failure inside a handler) — a refusal says what is wrong,
 *   and a validation error names the field (`error.field`, also in the message);
 * - after the campaign the dispatcher still answers.
 */
import fc from 'fast-check';
import { z } from 'zod';
import type { Dispatcher, Caller } from '../api/dispatch';
import type { ContractShape } from '../api/contract/define';
import { hostileValue, oversized } from './hostile';

export interface ApiFuzzOptions {
  dispatcher: Dispatcher;
  contract: ContractShape;
  /** cases per method */
  numRuns: number;
  seed: number;
  /** methods left out (e.g. ones that would end the host) */
  skip?: readonly string[];
  callTimeoutMs?: number;
}

export interface ApiFuzzFailure {
  method: string;
  input: string;
  problem: string;
}

export interface ApiFuzzReport {
  methods: number;
  cases: number;
  /** answers that were ok / refused with each error code */
  outcomes: Record<string, number>;
  /** throws, hangs, internal errors, validation errors without the field */
  failures: ApiFuzzFailure[];
}

/** the top-level fields a method's input declares (from its zod schema) */
export function inputFields(schema: z.ZodType): string[] {
  try {
    const j = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as { properties?: Record<string, unknown> };
    return Object.keys(j.properties ?? {});
  } catch {
    return [];
  }
}

const CALLERS: Caller[] = [
  { user: 'admin', role: 'admin' }, { user: 'admin', role: 'admin' }, { user: 'rm', role: 'revenue_manager' }, { user: 'an', role: 'analyst' }, { user: 'anon', role: null },
];

function inputFor(fields: string[]): fc.Arbitrary<unknown> {
  const shaped = fields.length === 0
    ? fc.dictionary(fc.string({ maxLength: 12 }), hostileValue, { maxKeys: 3 })
    : fc.array(fc.tuple(fc.constantFrom(...fields, 'unknownField'), hostileValue), { minLength: 1, maxLength: Math.min(4, fields.length + 1) })
      .map((kv) => Object.fromEntries(kv));
  return fc.oneof(
    { weight: 6, arbitrary: shaped },
    { weight: 1, arbitrary: hostileValue },
    { weight: 1, arbitrary: oversized.map((v) => ({ [fields[0] ?? 'x']: v })) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, '', '{"truncated": ', 0, [], { constructor: { prototype: {} } }) },
  );
}

const show = (v: unknown) => {
  try { return (JSON.stringify(v) ?? String(v)).slice(0, 200); } catch { return String(v).slice(0, 200); }
};

export async function fuzzApi(o: ApiFuzzOptions): Promise<ApiFuzzReport> {
  const report: ApiFuzzReport = { methods: 0, cases: 0, outcomes: {}, failures: [] };
  const timeoutMs = o.callTimeoutMs ?? 20_000;
  const methods = o.dispatcher.methods().filter((m) => !o.skip?.includes(m));
  for (const [mi, method] of methods.entries()) {
    const spec = o.contract[method];
    if (!spec) continue;
    report.methods++;
    const fields = inputFields(spec.input);
    await fc.assert(
      fc.asyncProperty(inputFor(fields), fc.constantFrom(...CALLERS), async (input, caller) => {
        report.cases++;
        let timer: NodeJS.Timeout | undefined;
        try {
          const env = await Promise.race([
            // a transport with a session (as IPC and the web bridge have), so that log-in and log-out run their own checks
            o.dispatcher.call(method, input, { caller, transport: 'ipc', session: { id: 'fuzz', setCaller: () => {} } }),
            new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs); }),
          ]);
          const key = env.ok ? 'ok' : env.error.code;
          report.outcomes[key] = (report.outcomes[key] ?? 0) + 1;
          if (!env.ok && env.error.code === 'internal') report.failures.push({ method, input: show(input), problem: `internal error: ${env.error.message.slice(0, 300)}` });
          else if (!env.ok && env.error.code === 'validation' && (typeof env.error.field !== 'string' || !env.error.message.includes(env.error.field))) {
            report.failures.push({ method, input: show(input), problem: `a validation error that names no field: ${env.error.message.slice(0, 200)}` });
          }
        } catch (e) {
          report.failures.push({ method, input: show(input), problem: `the call threw: ${(e as Error).message.slice(0, 300)}` });
        } finally {
          clearTimeout(timer);
        }
      }),
      // the property records failures rather than failing, so every case runs; seeds differ per method
      { numRuns: o.numRuns, seed: o.seed + mi, endOnFailure: true },
    );
  }
  return report;
}
