/** Who makes a change: a user id, `cli` (the operator's command line), an integration key's id, or `discovery`. */
export interface Actor {
  readonly id: string;
  /** The client address, for the audit log; none from the CLI. */
  readonly ip?: string | null;
}
