import { hash, verify } from '@node-rs/argon2';

/*
 * argon2id (the library's default algorithm) with OWASP's recommended minimum cost:
 * 19 MiB memory, 2 passes, 1 lane.
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** False (never throws) for a wrong password or a malformed stored hash. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false; // a corrupt hash must read as "wrong password", not as a server error
  }
}
