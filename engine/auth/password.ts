/**
 * Password hashing with scrypt (node:crypto): a random salt per user, the cost parameters stored beside
 * the hash so they can be raised later without breaking old hashes, and a constant-time comparison.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two */
  N: number;
  r: number;
  p: number;
}

/** OWASP's scrypt minimum (N=2^17, r=8, p=1) uses 128 MiB; 2^15 keeps a login near 50 ms on a laptop. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
export const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export interface PasswordHash extends ScryptParams {
  salt: Buffer;
  hash: Buffer;
}

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 1024;

/** Why a password is not acceptable, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `a password needs at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `a password may have at most ${PASSWORD_MAX_LENGTH} characters`;
  if (password.trim().length === 0) return 'a password cannot be only spaces';
  return null;
}

function derive(password: string, salt: Buffer, params: ScryptParams, keyLength: number): Promise<Buffer> {
  const opts: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<PasswordHash> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, params, KEY_LENGTH);
  return { ...params, salt, hash };
}

/** Recomputes with the stored salt and parameters and compares in constant time. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const candidate = await derive(password, stored.salt, stored, stored.hash.length);
  return candidate.length === stored.hash.length && timingSafeEqual(candidate, stored.hash);
}

/** True when a stored hash uses weaker parameters than the current ones (rehash after a good login). */
export function needsRehash(stored: ScryptParams, current: ScryptParams = DEFAULT_SCRYPT): boolean {
  return stored.N < current.N || stored.r < current.r || stored.p < current.p;
}
