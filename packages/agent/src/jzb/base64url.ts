const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Base64 with the URL-safe alphabet and no `=` padding, as Pendo's `b64.uint8ToBase64` writes it. */
export function base64url(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const triple = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    text += alphabet.charAt(triple >> 18) + alphabet.charAt((triple >> 12) & 63);
    if (b !== undefined) text += alphabet.charAt((triple >> 6) & 63);
    if (c !== undefined) text += alphabet.charAt(triple & 63);
  }
  return text;
}
