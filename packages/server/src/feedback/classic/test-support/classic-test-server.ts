import assert from "node:assert/strict";
import { after, before } from "node:test";
import { loadConfig } from "../../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../../start/start-cairn.js";
import { keysOfEveryKind, otherSubscriptionKey } from "../../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../../start/test-support/temp-dir.js";

export type Json = Record<string, unknown>;
export type ErrorBody = { error: { code: string; message: string; hint: string } };

export interface CallOptions {
  readonly body?: unknown;
  /** The key to send; the subscription's feedback key unless given, none if null. */
  readonly key?: string | null;
  /** Where the key goes; `auth-token` unless given. */
  readonly header?: string;
}

/** A real server on real embedded stores, called the way Pendo's classic Feedback clients call it. */
export interface ClassicTestServer {
  readonly cairn: RunningCairn;
  readonly keys: Record<"feedback" | "integration" | "track" | "app" | "other", string>;
  /** A request with the key in `auth-token`, as Pendo's classic clients send it; the body parsed. */
  call<T = Json>(method: string, path: string, options?: CallOptions): Promise<{ status: number; body: T }>;
  /** An idea made through Cairn's own API, answering its id. */
  idea(body: Json, key?: string): Promise<string>;
  /** The number the classic paths name an idea by (Feature.id), from Cairn's own id for it. */
  featureNumber(ideaId: string): Promise<number>;
  /** The number the classic paths name an end user by (User.id), from the team's own id for them. */
  userNumber(externalId: string): Promise<number>;
}

/**
 * A server for the test file that calls this at its top: started before its tests, with a feedback key of
 * its subscription and `other`, another subscription's, and shut down after them.
 */
export function useClassicTestServer(name: string): ClassicTestServer {
  let started: ClassicTestServer | undefined;
  before(async () => {
    started = await startClassicTestServer(name);
  });
  after(() => started?.cairn.shutdown());
  const ready = (): ClassicTestServer => {
    if (!started) throw new Error("the classic test server starts in before()");
    return started;
  };
  return {
    get cairn() {
      return ready().cairn;
    },
    get keys() {
      return ready().keys;
    },
    call: <T = Json>(method: string, path: string, options?: CallOptions) =>
      ready().call<T>(method, path, options),
    idea: (body: Json, key?: string) => ready().idea(body, key),
    featureNumber: (ideaId: string) => ready().featureNumber(ideaId),
    userNumber: (externalId: string) => ready().userNumber(externalId),
  };
}

async function startClassicTestServer(name: string): Promise<ClassicTestServer> {
  const config = loadConfig({ dataDir: tempDir(name), port: "0", logLevel: "silent" }, {}, process.cwd());
  const cairn = await startCairn(config);
  const every = await keysOfEveryKind(cairn);
  const otherKey = await otherSubscriptionKey(cairn, "feedback");
  const keys = {
    feedback: every.feedback,
    integration: every.integration,
    track: every.track,
    app: every.app,
    other: otherKey,
  };

  async function call<T = Json>(method: string, path: string, options: CallOptions = {}) {
    const headers: Record<string, string> = {};
    const key = options.key === undefined ? keys.feedback : options.key;
    if (key !== null) headers[options.header ?? "auth-token"] = key;
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(`${cairn.publicUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: (text === "" ? null : JSON.parse(text)) as T };
  }

  async function idea(body: Json, key = keys.feedback): Promise<string> {
    const created = await call<{ id: string }>("POST", "/api/v1/ideas", { body, key });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.id;
  }

  async function featureNumber(ideaId: string): Promise<number> {
    const feature = await call<{ id: number }>("GET", `/feedback/features/${ideaId}`);
    assert.equal(feature.status, 200, JSON.stringify(feature.body));
    return feature.body.id;
  }

  async function userNumber(externalId: string): Promise<number> {
    const user = await call<{ id: string }>(
      "GET",
      `/feedback/users/search?external_id=${encodeURIComponent(externalId)}`,
    );
    assert.equal(user.status, 200, JSON.stringify(user.body));
    return Number(user.body.id);
  }

  return { cairn, keys, call, idea, featureNumber, userNumber };
}
