import { createHmac } from "node:crypto";

/** A JWT as a customer's back end signs it (HS256 over header and payload), or with any header for tests. */
export function signIdentityToken(
  secret: string | Buffer,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { alg: "HS256", typ: "JWT" },
): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

/** Seconds since the epoch, as JWT times are. */
export const seconds = (ms: number): number => Math.floor(ms / 1000);
