/** A commander parser for an option given several times (`--rule a --rule b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The values of a repeatable option as received. */
export function listOption(options: Record<string, unknown>, name: string): string[] {
  const value = options[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}
