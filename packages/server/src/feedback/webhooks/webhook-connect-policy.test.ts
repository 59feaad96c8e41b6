import assert from "node:assert/strict";
import type { LookupAddress } from "node:dns";
import { after, before, test } from "node:test";
import { installedStore } from "../../start/test-support/installed-store.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { createIdea, type FeedbackCaller } from "../ideas/idea-service.js";
import { createHook } from "./hook-service.js";
import { type Receiver, sleep, startReceiver, until } from "./test-support/webhook-receiver.js";
import { startWebhookDeliverer, type WebhookProblem } from "./webhook-deliverer.js";
import { webhookPolicy } from "./webhook-policy.js";

// Where a delivery connects is checked when it connects, on the addresses the name resolves to then: these
// names resolve (through the deliverer's resolver) to whatever each test says, as a rebinding name would.
let store: MetadataStore;
let caller: FeedbackCaller;
let receiver: Receiver;
const user = { id: "u-1" };
const httpOnly = webhookPolicy({ allow: [], allowHttp: true });

before(async () => {
  const installed = await installedStore();
  store = installed.store;
  caller = { subscriptionId: installed.installation.subscription.id, keyId: "key_test" };
  receiver = await startReceiver();
});
after(() => receiver.close());

/** Registers `url`, adds an idea, runs a deliverer until the delivery settles; answers its row and problems. */
async function deliverOnce(
  url: string,
  options: { policy: ReturnType<typeof webhookPolicy>; answers?: readonly LookupAddress[]; insert?: boolean },
) {
  await store.db.deleteFrom("feedback_webhook_deliveries").execute();
  await store.db.deleteFrom("feedback_hooks").execute();
  if (options.insert) {
    // A hook from before the policy, which registration would refuse today.
    await store.db
      .insertInto("feedback_hooks")
      .values({
        id: "hook_legacy",
        subscription_id: caller.subscriptionId,
        event: "feature_created",
        target_url: url,
        created_by_key: "key_test",
        created_at: new Date().toISOString(),
        signing_secret: "cws_legacy",
      })
      .execute();
  } else {
    await createHook(store.db, caller, { event: "feature_created", targetUrl: url }, options.policy);
  }
  await createIdea(store.db, caller, { title: "Where does it go?", user });
  const resolved: string[] = [];
  const problems: WebhookProblem[] = [];
  const deliverer = startWebhookDeliverer(store.db, {
    pollMs: 5,
    retryBaseMs: 60_000,
    policy: options.policy,
    resolve: options.answers
      ? async (hostname) => {
          resolved.push(hostname);
          return options.answers ?? [];
        }
      : undefined,
    onProblem: (p) => problems.push(p),
  });
  const row = () => store.db.selectFrom("feedback_webhook_deliveries").selectAll().executeTakeFirstOrThrow();
  try {
    await until(async () => {
      const r = await row();
      return r.state !== "pending" || r.attempts > 0;
    }, "the delivery to be tried");
  } finally {
    await deliverer.close();
  }
  return { row: await row(), problems, resolved };
}

test("a name resolving to 127.0.0.1 is refused at connect time: failed at once, nothing sent", async () => {
  const before = receiver.received.length;
  const url = `http://rebind.example:${receiver.port}/hook`;
  const { row, problems, resolved } = await deliverOnce(url, {
    policy: httpOnly,
    answers: [{ address: "127.0.0.1", family: 4 }],
  });
  assert.deepEqual(resolved, ["rebind.example"]);
  assert.equal(row.state, "failed");
  assert.ok(row.failed_at);
  assert.equal(row.attempts, 0);
  assert.match(
    row.last_error ?? "",
    /^refused: rebind\.example resolves to 127\.0\.0\.1, a loopback address/,
  );
  assert.deepEqual(
    problems.map((p) => p.kind),
    ["refused"],
  );
  await sleep(50);
  assert.equal(receiver.received.length, before, "the receiver got nothing");
});

test("the IPv4-mapped form of an internal address, or one internal address among public ones, is refused", async () => {
  for (const answers of [
    [{ address: "::ffff:127.0.0.1", family: 6 }],
    [{ address: "::ffff:a9fe:a9fe", family: 6 }],
    [
      { address: "8.8.8.8", family: 4 },
      { address: "127.0.0.1", family: 4 },
    ],
  ]) {
    const { row } = await deliverOnce(`http://rebind.example:${receiver.port}/hook`, {
      policy: httpOnly,
      answers,
    });
    assert.equal(row.state, "failed", JSON.stringify(answers));
    assert.match(
      row.last_error ?? "",
      /^refused: rebind\.example resolves to .*(loopback|link-local) address/,
    );
  }
});

test("localhost through the system resolver, an IP address host, and http:// are refused for a hook from before", async () => {
  const cases: Array<[string, ReturnType<typeof webhookPolicy>, RegExp]> = [
    [
      `http://localhost:${receiver.port}/hook`,
      httpOnly,
      /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback/,
    ],
    [`http://127.0.0.1:${receiver.port}/hook`, httpOnly, /^refused: 127\.0\.0\.1, a loopback address/],
    [
      `http://[::ffff:127.0.0.1]:${receiver.port}/hook`,
      httpOnly,
      /^refused: ::ffff:7f00:1 \(IPv4 127\.0\.0\.1\)/,
    ],
    [
      `http://hooks.example.com/x`,
      webhookPolicy({ allow: [], allowHttp: false }),
      /^refused: http:\/\/ URLs are not allowed/,
    ],
  ];
  const before = receiver.received.length;
  for (const [url, policy, error] of cases) {
    const { row } = await deliverOnce(url, { policy, insert: true });
    assert.equal(row.state, "failed", url);
    assert.match(row.last_error ?? "", error, url);
  }
  assert.equal(receiver.received.length, before, "the receiver got nothing");
});

test("the operator's allowlist lets a delivery through, to the address that was checked", async () => {
  // rebind.example exists nowhere: the request reaching the receiver went to the checked address.
  for (const allow of [["127.0.0.1"], ["127.0.0.0/8"], ["rebind.example"]]) {
    const before = receiver.received.length;
    const { row, problems } = await deliverOnce(`http://rebind.example:${receiver.port}/hook`, {
      policy: webhookPolicy({ allow, allowHttp: true }),
      answers: [{ address: "127.0.0.1", family: 4 }],
    });
    assert.equal(row.state, "delivered", `${allow}: ${row.last_error}`);
    assert.deepEqual(problems, []);
    assert.equal(receiver.received.length, before + 1);
    assert.equal(receiver.received.at(-1)?.headers.host, `rebind.example:${receiver.port}`);
  }
});
