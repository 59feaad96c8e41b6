import { Type } from "@sinclair/typebox";
import type { FastifyReply } from "fastify";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { noContent } from "../../platform/http/schema-kit.js";
import { signedInAnswer } from "../admin-answers.js";
import type { AdminRouteDeps } from "../admin-route-deps.js";
import { noAdminQuery } from "../admin-schemas.js";
import { maxPasswordLength } from "../users/passwords.js";
import { sessionCookieName, sessionOf } from "./session-guard.js";
import {
  csrfTokenFor,
  endSession,
  type SignedIn,
  setPassword,
  signInWithLink,
  signInWithPassword,
} from "./sessions.js";
import type { SignInLimits } from "./sign-in-limits.js";

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
  {
    password: Type.String({ minLength: 1, maxLength: maxPasswordLength }),
    currentPassword: Type.Optional(
      Type.String({
        maxLength: maxPasswordLength,
        description: "Required unless you have no password yet or signed in with a one-time link minutes ago",
      }),
    ),
  },
  { additionalProperties: false },
);

export interface SessionRouteDeps extends AdminRouteDeps {
  readonly signInLimits: SignInLimits;
}

/** Sign-in (one-time link, then password), the current session with its CSRF token, password, sign-out. */
export function registerSessionRoutes(app: CairnApp, deps: SessionRouteDeps): void {
  function answerSignedIn(reply: FastifyReply, signedIn: SignedIn) {
    reply.setCookie(sessionCookieName(deps.publicUrl()), signedIn.sessionToken, {
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

  const signedIn = { 200: signedInAnswer };
  const linkSchema = {
    summary: "Sign in with a one-time link's token",
    description: "Sets the session cookie.",
    security: [],
    body: tokenBody,
    response: signedIn,
  };
  app.post("/api/admin/sign-in/link", { schema: linkSchema }, async (request, reply) => {
    const attempt = deps.signInLimits.begin(request.ip, null, Date.now());
    const signedIn = await signInWithLink(deps.metadata.db, request.body.token, request.ip);
    if (!signedIn) throw new CairnError("invalid_credentials");
    attempt.succeeded();
    return answerSignedIn(reply, signedIn);
  });

  const passwordSchema = {
    summary: "Sign in with email and password",
    description: "Sets the session cookie.",
    security: [],
    body: passwordBody,
    response: signedIn,
  };
  app.post("/api/admin/sign-in", { schema: passwordSchema }, async (request, reply) => {
    // Counted as a failure before argon2 runs (refunded on success): parallel guesses see each other.
    const attempt = deps.signInLimits.begin(request.ip, request.body.email, Date.now());
    const signedIn = await signInWithPassword(
      deps.metadata.db,
      request.body.email,
      request.body.password,
      request.ip,
    );
    if (!signedIn) throw new CairnError("invalid_credentials");
    attempt.succeeded();
    return answerSignedIn(reply, signedIn);
  });

  const sessionSchema = {
    summary: "The signed-in user and the session's CSRF token",
    querystring: noAdminQuery,
    response: signedIn,
  };
  app.get(
    "/api/admin/session",
    { preHandler: deps.requireSession, schema: sessionSchema },
    async (request) => {
      const session = sessionOf(request);
      const token = request.cookies[sessionCookieName(deps.publicUrl())] ?? "";
      return { user: session.user, subscriptionId: session.subscriptionId, csrfToken: csrfTokenFor(token) };
    },
  );

  app.post(
    "/api/admin/password",
    {
      preHandler: deps.requireSession,
      schema: { summary: "Set your password", body: newPasswordBody, response: { 204: noContent } },
    },
    async (request, reply) => {
      await setPassword(
        deps.metadata.db,
        sessionOf(request),
        request.body.password,
        request.ip,
        request.body.currentPassword,
      );
      return reply.code(204).send();
    },
  );

  const signOut = { summary: "Sign out", response: { 204: noContent } };
  app.post(
    "/api/admin/sign-out",
    { preHandler: deps.requireSession, schema: signOut },
    async (request, reply) => {
      await endSession(deps.metadata.db, sessionOf(request).sessionId);
      const secure = deps.publicUrl().startsWith("https://");
      reply.clearCookie(sessionCookieName(deps.publicUrl()), { path: "/", secure });
      return reply.code(204).send();
    },
  );
}
