import { Type } from "@sinclair/typebox";
import type { FastifyReply } from "fastify";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { AdminRouteDeps } from "../admin-route-deps.js";
import type { FailureLimiter } from "../failure-limiter.js";
import { maxPasswordLength } from "../users/passwords.js";
import { sessionCookie, sessionOf } from "./session-guard.js";
import {
  csrfTokenFor,
  endSession,
  type SignedIn,
  setPassword,
  signInWithLink,
  signInWithPassword,
} from "./sessions.js";

const tokenBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
const passwordBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: maxPasswordLength }),
  },
  { additionalProperties: false },
);
const newPasswordBody = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: maxPasswordLength }) },
  { additionalProperties: false },
);

export interface SessionRouteDeps extends AdminRouteDeps {
  readonly signInLimiter: FailureLimiter;
}

/** Sign-in (one-time link, then password), the current session with its CSRF token, password, sign-out. */
export function registerSessionRoutes(app: CairnApp, deps: SessionRouteDeps): void {
  function answerSignedIn(reply: FastifyReply, signedIn: SignedIn) {
    reply.setCookie(sessionCookie, signedIn.sessionToken, {
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: deps.publicUrl().startsWith("https://"),
      expires: new Date(signedIn.expiresAt),
    });
    return {
      user: signedIn.user,
      subscriptionId: signedIn.subscriptionId,
      csrfToken: csrfTokenFor(signedIn.sessionToken),
    };
  }

  function refuseIfLimited(ip: string): void {
    const retryAfter = deps.signInLimiter.retryAfterSeconds(ip, Date.now());
    if (retryAfter > 0) {
      throw new CairnError("rate_limited", {
        message: "Too many failed sign-in attempts from this address.",
        headers: { "retry-after": String(retryAfter) },
      });
    }
  }

  app.post("/api/admin/sign-in/link", { schema: { body: tokenBody } }, async (request, reply) => {
    refuseIfLimited(request.ip);
    const signedIn = await signInWithLink(deps.metadata.db, request.body.token, request.ip);
    if (!signedIn) {
      deps.signInLimiter.recordFailure(request.ip, Date.now());
      throw new CairnError("invalid_credentials");
    }
    return answerSignedIn(reply, signedIn);
  });

  app.post("/api/admin/sign-in", { schema: { body: passwordBody } }, async (request, reply) => {
    refuseIfLimited(request.ip);
    const signedIn = await signInWithPassword(
      deps.metadata.db,
      request.body.email,
      request.body.password,
      request.ip,
    );
    if (!signedIn) {
      deps.signInLimiter.recordFailure(request.ip, Date.now());
      throw new CairnError("invalid_credentials");
    }
    return answerSignedIn(reply, signedIn);
  });

  app.get("/api/admin/session", { preHandler: deps.requireSession }, async (request) => {
    const session = sessionOf(request);
    const token = request.cookies[sessionCookie] ?? "";
    return { user: session.user, subscriptionId: session.subscriptionId, csrfToken: csrfTokenFor(token) };
  });

  app.post(
    "/api/admin/password",
    { preHandler: deps.requireSession, schema: { body: newPasswordBody } },
    async (request, reply) => {
      await setPassword(deps.metadata.db, sessionOf(request), request.body.password, request.ip);
      return reply.code(204).send();
    },
  );

  app.post("/api/admin/sign-out", { preHandler: deps.requireSession }, async (request, reply) => {
    await endSession(deps.metadata.db, sessionOf(request).sessionId);
    reply.clearCookie(sessionCookie, { path: "/" });
    return reply.code(204).send();
  });
}
