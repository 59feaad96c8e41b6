import type { Command } from "commander";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { adminCommand } from "../admin-command.js";
import { roles, type UserRole } from "./roles.js";
import { signInLink } from "./sign-in-tokens.js";
import { addUser, listUsers, newSignInToken, removeUser } from "./user-service.js";

export function registerUsersCommand(program: Command): void {
  const users = program.command("users").description("people who sign in to Cairn, and their roles");

  adminCommand(
    users,
    "add",
    "add a user and print their one-time sign-in link",
    async ({ metadata, subscriptionId, publicUrl, json }, args, options) => {
      const role = String(options.role ?? "member");
      if (!roles.includes(role as UserRole))
        throw new CairnError("bad_request", { message: `--role must be one of ${roles.join(", ")}.` });
      const { user, signInToken } = await addUser(metadata.db, {
        subscriptionId,
        email: args[0] ?? "",
        name: typeof options.name === "string" ? options.name : ((args[0] ?? "").split("@")[0] ?? ""),
        role: role as UserRole,
        integrationKeyAccess: options.integrationKeyAccess === true,
        actor: "cli",
      });
      const link = signInLink(publicUrl, signInToken);
      process.stdout.write(
        json
          ? `${JSON.stringify({ ...user, signInLink: link })}\n`
          : `Added ${user.email} as ${user.role}. One-time sign-in link (valid 24 hours):\n  ${link}\n`,
      );
    },
  )
    .argument("<email>", "their email address")
    .option("--name <name>", "their name (default: the part of the email before @)")
    .option("--role <role>", "owner, admin, member or viewer", "member")
    .option("--integration-key-access", "admins only: may also create and revoke integration keys");

  adminCommand(users, "list", "list users", async ({ metadata, subscriptionId, json }) => {
    const list = await listUsers(metadata.db, subscriptionId);
    if (json) {
      process.stdout.write(`${JSON.stringify(list)}\n`);
      return;
    }
    for (const u of list) {
      const extras = [
        u.integrationKeyAccess && u.role === "admin" ? "integration key access" : "",
        u.hasPassword ? "" : "not signed in yet",
      ].filter(Boolean);
      process.stdout.write(
        `${u.id}  ${u.email}  ${u.role}${extras.length > 0 ? `  (${extras.join(", ")})` : ""}\n`,
      );
    }
  });

  adminCommand(
    users,
    "remove",
    "remove a user and end their sessions (keys they made keep working)",
    async ({ metadata, subscriptionId }, args) => {
      const target = args[0] ?? "";
      const user = (await listUsers(metadata.db, subscriptionId)).find(
        (u) => u.id === target || u.email === target.toLowerCase(),
      );
      if (!user) throw new CairnError("not_found", { message: `No user ${target} in this subscription.` });
      await removeUser(metadata.db, { subscriptionId, id: user.id, actor: "cli" });
      process.stdout.write(`Removed ${user.email}.\n`);
    },
  ).argument("<id-or-email>", "the user to remove");

  adminCommand(
    users,
    "link",
    "print a new one-time sign-in link for a user (earlier links stop working)",
    async ({ metadata, subscriptionId, publicUrl, json }, args) => {
      const { user, signInToken } = await newSignInToken(metadata.db, {
        subscriptionId,
        email: args[0] ?? "",
      });
      const link = signInLink(publicUrl, signInToken);
      process.stdout.write(
        json
          ? `${JSON.stringify({ email: user.email, signInLink: link })}\n`
          : `One-time sign-in link for ${user.email} (valid 24 hours):\n  ${link}\n`,
      );
    },
  ).argument("<email>", "the user's email");
}
