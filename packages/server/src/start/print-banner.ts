import type { Installation } from "../access/setup/ensure-installation.js";
import { installSnippet } from "../access/setup/install-snippet.js";

/** What a newcomer needs after `npm start`, printed to stdout (not to the logs). */
export function banner(publicUrl: string, installation: Installation): string {
  const signIn = installation.signInToken
    ? [
        "  Sign in (one-time link, valid 24 hours; restart Cairn for a new one):",
        `    ${publicUrl}/admin/sign-in?token=${installation.signInToken}`,
      ]
    : [`  Sign in at ${publicUrl}/admin with your email and password.`];
  return [
    "",
    `Cairn is ready at ${publicUrl}${installation.created ? " (first start: subscription, app and owner created)" : ""}`,
    "",
    ...signIn,
    "",
    `  App "${installation.app.name}", public app key (it goes in the snippet; it cannot read data):`,
    `    ${installation.app.appKey}`,
    "",
    "  Install snippet: paste it into your page's <head>:",
    "",
    installSnippet(publicUrl, installation.app.appKey)
      .split("\n")
      .map((line) => (line ? `    ${line}` : ""))
      .join("\n"),
    "",
  ].join("\n");
}
