import { CairnError } from "../../platform/errors/cairn-error.js";

export const minPasswordLength = 12;
export const maxPasswordLength = 256;

// Loaded on first use: only sign-ins need it, and start-up should not pay for a native module it may not use.
const argon2 = () => import("@node-rs/argon2");

/** argon2id (the library's default) with its default cost, as a PHC string `$argon2id$…`. */
export async function hashPassword(password: string): Promise<string> {
  if (password.length < minPasswordLength || password.length > maxPasswordLength) {
    throw new CairnError("bad_request", {
      message: `A password needs ${minPasswordLength} to ${maxPasswordLength} characters.`,
    });
  }
  return (await argon2()).hash(password);
}

// A real hash of a random password: checking against it makes an unknown email cost as much as a wrong
// password, so response times do not tell which emails exist. Made on first need, not at start-up.
let decoy: Promise<string> | null = null;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (password.length > maxPasswordLength) return false;
  const { hash, verify } = await argon2();
  if (passwordHash === null) {
    decoy ??= hash(crypto.randomUUID());
    await verify(await decoy, password);
    return false;
  }
  return verify(passwordHash, password);
}
