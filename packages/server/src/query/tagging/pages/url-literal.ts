/**
 * Rule text as a browser puts it in a URL: a space, a control or a non-ASCII character is percent-encoded
 * (UTF-8), so `/café menu` matches the stored `/caf%C3%A9%20menu`. `%` and everything else stay as written:
 * a rule that already says `%20` means `%20`.
 */
export function urlLiteral(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code > 0x20 && code < 0x7f && !'"<>`'.includes(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, "utf8"))
      out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
