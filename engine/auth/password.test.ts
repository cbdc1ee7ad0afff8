import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, passwordProblem, verifyPassword, DEFAULT_SCRYPT } from './password';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('scrypt passwords', () => {
  it('verifies the right password only, with a fresh salt per hash and the parameters stored', async () => {
    const a = await hashPassword('correct horse battery', FAST);
    const b = await hashPassword('correct horse battery', FAST);
    expect(a.salt.equals(b.salt)).toBe(false);
    expect(a.hash.equals(b.hash)).toBe(false);
    expect(a).toMatchObject({ N: 1024, r: 8, p: 1 });
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('verifies with the parameters the hash was made with, and says when to rehash', async () => {
    const old = await hashPassword('s3cret-enough', { N: 2 ** 8, r: 4, p: 1 });
    expect(await verifyPassword('s3cret-enough', old)).toBe(true);
    expect(needsRehash(old, FAST)).toBe(true);
    expect(needsRehash(FAST, FAST)).toBe(false);
    expect(DEFAULT_SCRYPT.N).toBeGreaterThanOrEqual(2 ** 15);
  });

  it('treats equivalent Unicode forms as the same password', async () => {
    const h = await hashPassword('caf\u00e9-au-lait', FAST);
    expect(await verifyPassword('cafe\u0301-au-lait', h)).toBe(true);
  });

  it('names what is wrong with a weak password', () => {
    expect(passwordProblem('short')).toMatch(/at least 8/);
    expect(passwordProblem('        ')).toMatch(/only spaces/);
    expect(passwordProblem('x'.repeat(2000))).toMatch(/at most/);
    expect(passwordProblem('long enough')).toBeNull();
  });
});
