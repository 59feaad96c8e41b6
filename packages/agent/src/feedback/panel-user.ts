import type { Metadata } from "../api/agent-options.js";
import type { PanelUser } from "./panel-contract.js";

const emailShape = /^[^@\s]+@[^@\s]+$/;

function text(value: unknown, max: number): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, max) : undefined;
}

/**
 * The Feedback `user` for the visitor, from the metadata the page gave (`email`, `full_name`, the account's
 * `name`). A value the server would refuse (an email that is not one) is left out rather than sent.
 */
export function panelUser(
  visitorId: string,
  accountId: string | null,
  visitor: Metadata,
  account: Metadata,
): PanelUser {
  const user: PanelUser = { id: visitorId };
  const email = text(visitor.email, 254);
  if (email && emailShape.test(email)) user.email = email;
  const name = text(visitor.full_name, 200) ?? text(visitor.name, 200);
  if (name) user.name = name;
  if (accountId !== null) {
    user.account = { id: accountId };
    const accountName = text(account.name, 200);
    if (accountName) user.account.name = accountName;
  }
  return user;
}
