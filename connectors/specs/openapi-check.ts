/**
 * Checks real HTTP exchanges against the OpenAPI 3.1 documents in this folder (ajv, JSON Schema 2020-12):
 * the request's path and query parameters, its JSON or form body, and the answer's body for its status.
 * The tests run the adapters against the sandbox with this check on every exchange, so the documents,
 * the sandbox and the adapters are held to the same interface.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import pssDoc from './pss.openapi.json';
import prosDoc from './pros.openapi.json';
import pricingDoc from './pricing.openapi.json';
import planningDoc from './planning.openapi.json';

export const OPENAPI_DOCUMENTS = { pss: pssDoc, pros: prosDoc, pricing: pricingDoc, planning: planningDoc } as const;
export type SpecName = keyof typeof OPENAPI_DOCUMENTS;

/** What the check needs of an exchange (the sandbox's `Exchange` has it all). */
export interface CheckedExchange {
  /** "GET /v1/flights", path parameters as :name */
  endpoint: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  requestBody: string;
  status: number;
  contentType: string;
  responseBody: string;
}

interface Parameter { name: string; in: string; required?: boolean; schema?: unknown }
interface Operation { parameters?: (Parameter | { $ref: string })[]; requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, unknown> }

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export class OpenApiCheck {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
    for (const [name, doc] of Object.entries(OPENAPI_DOCUMENTS)) this.ajv.addSchema(doc as object, name);
  }

  private validator(spec: SpecName, ref: string): ValidateFunction {
    const key = `${spec}#${ref}`;
    let v = this.cache.get(key);
    if (!v) {
      v = this.ajv.compile({ $ref: key });
      this.cache.set(key, v);
    }
    return v;
  }

  private resolve<T>(spec: SpecName, node: T | { $ref: string }): T {
    if (node && typeof node === 'object' && '$ref' in node && typeof node.$ref === 'string') {
      const path = node.$ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
      let cur: unknown = OPENAPI_DOCUMENTS[spec];
      for (const p of path) cur = (cur as Record<string, unknown>)[p];
      return cur as T;
    }
    return node as T;
  }

  private errors(v: ValidateFunction): string {
    return (v.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ');
  }

  /** The problems of one exchange (empty when it meets the document). */
  check(spec: SpecName, x: CheckedExchange): string[] {
    const doc = OPENAPI_DOCUMENTS[spec] as { paths: Record<string, Record<string, Operation>> };
    const [method, template] = x.endpoint.split(' ') as [string, string];
    const path = template.replace(/:(\w+)/g, '{$1}');
    const op = doc.paths[path]?.[method.toLowerCase()];
    const where = `${spec} ${method} ${path}`;
    if (!op) return [`${where}: not in the interface specification`];
    const problems: string[] = [];
    const success = x.status >= 200 && x.status < 300;
    if (success) {
      for (const raw of op.parameters ?? []) {
        const p = this.resolve<Parameter>(spec, raw);
        const value = p.in === 'query' ? x.query[p.name] : p.in === 'path' ? x.params[p.name] : p.in === 'header' ? x.headers[p.name.toLowerCase()] : undefined;
        if (value === undefined) {
          if (p.required) problems.push(`${where}: required ${p.in} parameter ${p.name} is missing`);
          continue;
        }
        const schema = this.resolve<{ type?: string }>(spec, p.schema as { type?: string });
        const typed = schema.type === 'integer' || schema.type === 'number' ? Number(value) : value;
        const index = (op.parameters ?? []).indexOf(raw);
        const target = '$ref' in (raw as object)
          ? this.validator(spec, `/${(raw as { $ref: string }).$ref.replace(/^#\//, '')}/schema`)
          : this.validator(spec, `/${pointer('paths', path, method.toLowerCase(), 'parameters', String(index), 'schema')}`);
        if (!target(typed)) problems.push(`${where}: ${p.in} parameter ${p.name}=${JSON.stringify(value)}: ${this.errors(target)}`);
      }
      const content = op.requestBody?.content;
      if (content) {
        const type = String(x.headers['content-type'] ?? '').split(';')[0]!.trim();
        const media = content[type];
        if (!media) problems.push(`${where}: request content type "${type}" is not one of ${Object.keys(content).join(', ')}`);
        else {
          const body = type === 'application/x-www-form-urlencoded' ? Object.fromEntries(new URLSearchParams(x.requestBody)) : safeJson(x.requestBody);
          const v = this.validator(spec, `/${pointer('paths', path, method.toLowerCase(), 'requestBody', 'content', type, 'schema')}`);
          if (!v(body)) problems.push(`${where}: request body: ${this.errors(v)}`);
        }
      }
    }
    const statusKey = op.responses[String(x.status)] ? String(x.status) : op.responses.default ? 'default' : null;
    if (!statusKey) return [...problems, `${where}: status ${x.status} is not specified`];
    const response = this.resolve<{ content?: Record<string, { schema: unknown }> }>(spec, op.responses[statusKey] as { $ref: string });
    if (response.content) {
      const type = x.contentType.split(';')[0]!.trim();
      const media = response.content[type];
      if (!media) problems.push(`${where}: answer content type "${type}" for ${x.status} is not one of ${Object.keys(response.content).join(', ')}`);
      else {
        const base = (op.responses[statusKey] as { $ref?: string }).$ref
          ? `/${(op.responses[statusKey] as { $ref: string }).$ref.replace(/^#\//, '')}`
          : `/${pointer('paths', path, method.toLowerCase(), 'responses', statusKey)}`;
        const v = this.validator(spec, `${base}/${pointer('content', type, 'schema')}`);
        const body = type === 'application/json' ? safeJson(x.responseBody) : x.responseBody;
        if (!v(body)) problems.push(`${where}: ${x.status} answer: ${this.errors(v)}`);
      }
    }
    return problems;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { $unparseable: text.slice(0, 100) };
  }
}
