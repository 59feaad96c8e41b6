/** A configuration problem found at start-up; `cairn` prints `message` as one line and exits with code 2. */
export class ConfigError extends Error {
  readonly setting: string;

  constructor(setting: string, problem: string) {
    super(`invalid configuration: ${setting} ${problem}`);
    this.name = "ConfigError";
    this.setting = setting;
  }
}
