import { describe, expect, it } from 'vitest';
import type { FeedLogger } from '../../engine/ports/feed-sync';
import { Secret } from '../../engine/ports/secrets';
import { formEncode, REDACTED, Redactor, redactingLogger } from './redact';

describe('Redactor', () => {
  const secret = 'p@ss word/+=&"x';

  it('replaces a secret in every encoding it travels in', () => {
    const r = new Redactor([secret]);
    const text = [secret, encodeURIComponent(secret), formEncode(secret), JSON.stringify({ s: secret })].join(' | ');
    const out = r.redact(text);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).not.toContain(formEncode(secret));
    expect(out.split(REDACTED).length - 1).toBe(4);
  });

  it('replaces HTTP Basic credentials', () => {
    const r = new Redactor();
    r.addBasicCredentials('client', secret);
    const header = `Authorization: Basic ${Buffer.from(`client:${formEncode(secret)}`).toString('base64')}`;
    expect(r.redact(header)).toBe(`Authorization: Basic ${REDACTED}`);
  });

  it('blanks credential-shaped values it was not told about', () => {
    const r = new Redactor();
    expect(r.redact('Bearer eyJhbGciOi.abc-def_1')).toBe(`Bearer ${REDACTED}`);
    expect(r.redact('{"access_token":"abc\\"def","expires_in":60}')).toBe(`{"access_token":"${REDACTED}","expires_in":60}`);
    expect(r.redact('grant_type=client_credentials&client_secret=xyz&scope=a')).toBe(`grant_type=client_credentials&client_secret=${REDACTED}&scope=a`);
    expect(r.redact('https://h/p?api_key=k123&x=1')).toBe(`https://h/p?api_key=${REDACTED}&x=1`);
  });

  it('takes Secret values from the secret store', () => {
    const r = new Redactor([new Secret('api-key-0042')]);
    expect(r.redact('key=api-key-0042')).toBe(`key=${REDACTED}`);
  });

  it('ignores empty and too-short secrets rather than blanking ordinary text', () => {
    const r = new Redactor(['', 'ab', undefined]);
    expect(r.redact('about a tab')).toBe('about a tab');
  });

  it('replaces the longest secret first', () => {
    const r = new Redactor(['abcd', 'abcdefgh']);
    expect(r.redact('xabcdefghx')).toBe(`x${REDACTED}x`);
  });

  it('redacts values deeply and blanks secret-named keys', () => {
    const r = new Redactor(['tok-123456']);
    const v = r.redactValue({ headers: { Authorization: 'anything', 'x-trace': 'id tok-123456' }, list: ['tok-123456', 3], password: 'pw', n: 1 });
    expect(v).toEqual({ headers: { Authorization: REDACTED, 'x-trace': `id ${REDACTED}` }, list: [REDACTED, 3], password: REDACTED, n: 1 });
  });

  it('turns errors into safe plain objects with their causes', () => {
    const r = new Redactor(['tok-123456']);
    const inner = Object.assign(new Error('sent tok-123456'), { code: 'EX' });
    const e = new Error('outer tok-123456', { cause: inner });
    expect(r.redactError(e)).toEqual({ name: 'Error', message: `outer ${REDACTED}`, cause: { name: 'Error', message: `sent ${REDACTED}`, code: 'EX' } });
    expect(r.redactError('plain tok-123456')).toEqual({ name: 'Error', message: `plain ${REDACTED}` });
  });

  it('a redacting logger passes nothing secret on', () => {
    const r = new Redactor(['tok-123456']);
    const lines: string[] = [];
    const push = (m: string, f?: Record<string, unknown>) => { lines.push(`${m} ${JSON.stringify(f)}`); };
    const inner: FeedLogger = { debug: push, info: push, warn: push, error: push };
    const log = redactingLogger(inner, r);
    log.info('using tok-123456', { token: 'tok-123456', nested: { e: new Error('tok-123456') } });
    log.warn('no fields');
    expect(lines.join('\n')).not.toContain('tok-123456');
    expect(lines[0]).toContain(REDACTED);
    expect(lines[1]).toBe('no fields undefined');
  });
});
