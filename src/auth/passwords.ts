// Passwords: argon2id (OWASP's minimum: m=19 MiB, t=2, p=1), never stored in clear.
import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

export interface ArgonCost {
  memoryCost: number;
  timeCost: number;
}
export const DEFAULT_COST: ArgonCost = { memoryCost: 19_456, timeCost: 2 };

export function hashPassword(password: string, cost: ArgonCost = DEFAULT_COST): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, memoryCost: cost.memoryCost, timeCost: cost.timeCost, parallelism: 1 });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A random password people can type: 20 characters from an unambiguous alphabet. */
export function randomPassword(length = 20): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length];
  }
  return out.length === length ? out : randomPassword(length);
}

/** Token text: 32 random bytes, base64url. */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
