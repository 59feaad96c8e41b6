import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * A receiver's check of `Cairn-Signature`, written from the documentation alone (docs/security.md), as a
 * receiver would: never Cairn's own signing code. `t=<unix seconds>,v1=<hex>`; the HMAC-SHA256, keyed with
 * the hook's secret, of `<t>.<raw body>`; compared in constant time; a `t` more than 300 s from now refused.
 */
export function verifyCairnSignature(
  secret: string,
  rawBody: string,
  header: string | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  const parts = new Map(
    (header ?? "").split(",").map((part) => {
      const eq = part.indexOf("=");
      return [part.slice(0, eq).trim(), part.slice(eq + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
