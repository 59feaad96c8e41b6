import { hash, verify } from "@node-rs/argon2";
import { CairnError } from "../errors/cairn-error.js";

export const minPasswordLength = 12;
export const maxPasswordLength = 256;

/** argon2id (the library's default) with its default cost, as a PHC string `$argon2id$…`. */
export async function hashPassword(password: string): Promise<string> {
  if (password.length < minPasswordLength || password.length > maxPasswordLength) {
    throw new CairnError("bad_request", {
      message: `A password needs ${minPasswordLength} to ${maxPasswordLength} characters.`,
    });
  }
  return hash(password);
}

// A real hash of a random password: checking against it makes an unknown email cost as much as a wrong
// password, so response times do not tell which emails exist.
const decoy = hash(crypto.randomUUID());

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (password.length > maxPasswordLength) return false;
  if (passwordHash === null) {
    await verify(await decoy, password);
    return false;
  }
  return verify(passwordHash, password);
}
