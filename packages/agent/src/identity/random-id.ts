const alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `length` random characters from [A-Za-z0-9]; tab, frame and session ids are 16 of them. */
export function randomId(length = 16): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let id = "";
  // The modulo bias (256 % 62) does not matter for ids that only need to be unlikely to collide.
  for (const byte of bytes) id += alphanumerics.charAt(byte % 62);
  return id;
}
