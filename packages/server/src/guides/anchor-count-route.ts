import { Type } from "@sinclair/typebox";
import type { AdminRouteDeps } from "../access/admin-route-deps.js";
import { sessionOf } from "../access/sessions/session-guard.js";
import { requirePermission } from "../access/users/permissions.js";
import type { Resolve } from "../feedback/webhooks/guarded-lookup.js";
import type { WebhookPolicy } from "../feedback/webhooks/webhook-policy.js";
import { CairnError } from "../platform/errors/cairn-error.js";
import type { CairnApp } from "../platform/http/cairn-app.js";
import { strictValidatorCompiler } from "../platform/http/lazy-validators.js";
import { checkedByHandler } from "../platform/http/schema-kit.js";
import { anchorSampleSize, countAnchors, selectorProblem } from "./anchor-count.js";
import { type AnchorFetchLimits, AnchorPageError, fetchAnchorPage } from "./anchor-page.js";
import { fieldError } from "./content-document.js";
import { fieldOf } from "./guide-schemas.js";

const maxUrlLength = 2_000;
const maxSelectorLength = 1_000;

const anchorCountBody = checkedByHandler(
  Type.Object({
    url: Type.String({
      maxLength: maxUrlLength,
      description: "an http(s) page of the app, read by the server",
    }),
    selector: Type.String({ maxLength: maxSelectorLength, description: "the CSS selector to count" }),
  }),
  "The page to read and the selector to count on it. A 400 names the field that is wrong, or why the page could not be read.",
);

const anchorCountAnswer = Type.Object({
  url: Type.String({ description: "the page read, after redirects" }),
  count: Type.Integer({ description: "how many elements of the page's HTML match" }),
  sample: Type.Array(Type.String(), {
    description: `up to ${anchorSampleSize} of them, each as tag#id.classes "text"`,
  }),
});

function textField(body: unknown, name: string, max: number): string {
  const value = fieldOf(body, name);
  if (typeof value !== "string" || value.trim() === "") throw fieldError(name, "is missing.");
  if (value.length > max) throw fieldError(name, `is longer than ${max} characters.`);
  return value.trim();
}

/**
 * `POST /api/admin/guides/anchor-count`: how many elements a CSS selector matches on a page the author names,
 * so a tooltip's anchor or an activation selector is judged before it is saved. The server reads the page
 * (as served, before any script runs) under the webhooks' address policy: public addresses only, unless the
 * operator allowed more with `CAIRN_WEBHOOK_ALLOW`.
 */
export function registerAnchorCountRoute(
  app: CairnApp,
  deps: Pick<AdminRouteDeps, "requireSession"> & {
    readonly webhookPolicy: WebhookPolicy;
    readonly anchorFetchLimits?: AnchorFetchLimits;
    readonly resolve?: Resolve;
  },
): void {
  app.post(
    "/api/admin/guides/anchor-count",
    {
      preHandler: deps.requireSession,
      validatorCompiler: strictValidatorCompiler,
      schema: {
        summary: "Count the elements a CSS selector matches on a page (read by the server)",
        querystring: Type.Object({}, { additionalProperties: false }),
        body: anchorCountBody,
        response: { 200: anchorCountAnswer },
      },
    },
    async (request) => {
      requirePermission(sessionOf(request).user, "guides.manage");
      const url = textField(request.body, "url", maxUrlLength);
      const selector = textField(request.body, "selector", maxSelectorLength);
      const problem = await selectorProblem(selector);
      if (problem !== null) throw fieldError("selector", `is not a valid CSS selector (${problem}).`);
      try {
        const page = await fetchAnchorPage(url, deps.webhookPolicy, deps.anchorFetchLimits, deps.resolve);
        return { url: page.url, ...(await countAnchors(page.html, selector)) };
      } catch (error) {
        if (!(error instanceof AnchorPageError)) throw error;
        throw new CairnError("bad_request", {
          message: `url: ${error.message}`,
          hint:
            error.reason === "refused"
              ? "Give a public http(s) address of the app; the operator can allow internal hosts with CAIRN_WEBHOOK_ALLOW."
              : "Check the URL in a browser; the page must be HTML as the server receives it, before scripts run.",
        });
      }
    },
  );
}
