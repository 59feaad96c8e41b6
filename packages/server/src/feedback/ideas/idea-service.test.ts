import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { CairnError } from "../../platform/errors/cairn-error.js";
import { installedStore, otherSubscription } from "../../start/test-support/installed-store.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { addComment, listComments } from "./comment-service.js";
import {
  createIdea,
  deleteIdea,
  type FeedbackCaller,
  getIdea,
  listIdeas,
  listStatusChanges,
  updateIdea,
} from "./idea-service.js";
import { castVote, listVotes } from "./vote-service.js";

let store: MetadataStore;
let caller: FeedbackCaller;
let other: FeedbackCaller;

before(async () => {
  const installed = await installedStore();
  store = installed.store;
  caller = { subscriptionId: installed.installation.subscription.id, keyId: "key_test" };
  other = { subscriptionId: (await otherSubscription(store)).subscriptionId, keyId: "key_other" };
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 12, minute));

/** Rejects with a CairnError of this code (and a message matching, if given). */
async function refuses(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: CairnError) => {
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

test("creating an idea stores it as sent, as `new`, with its creator and its first status change", async () => {
  const details = `<script>alert("x")</script> & <b>dark</b> mode`;
  const idea = await createIdea(
    store.db,
    caller,
    {
      title: "  Dark mode  ",
      details,
      user: { id: "123", email: "test@example.com", account: { id: "acme", name: "Acme" } },
      tags: [" ui ", "ui", "night"],
      productArea: "Settings",
    },
    at(0),
  );
  assert.match(idea.id, /^idea_[0-9A-Za-z]{22}$/);
  assert.deepEqual(
    { ...idea, id: "" },
    {
      id: "",
      title: "Dark mode",
      details,
      status: "new",
      statusChangedAt: at(0).toISOString(),
      waitingAt: null,
      plannedAt: null,
      developingAt: null,
      releasedAt: null,
      declinedAt: null,
      productArea: "Settings",
      tags: ["ui", "night"],
      private: false,
      mergedInto: null,
      creator: { id: "123", email: "test@example.com", name: null, account: { id: "acme", name: "Acme" } },
      votes: { count: 0, quantity: 0, notInterested: 0 },
      comments: 0,
      createdAt: at(0).toISOString(),
      updatedAt: at(0).toISOString(),
    },
  );
  assert.deepEqual(await listStatusChanges(store.db, caller, idea.id), [
    { from: null, to: "new", at: at(0).toISOString() },
  ]);
  const row = await store.db
    .selectFrom("feedback_ideas")
    .select(["created_by_key", "details"])
    .where("id", "=", idea.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, { created_by_key: "key_test", details });

  // The same user again: updated in place (name added, email kept), not a second end user.
  const again = await createIdea(
    store.db,
    caller,
    { title: "Export", user: { id: "123", name: "Ann" } },
    at(1),
  );
  assert.deepEqual(again.creator, {
    id: "123",
    email: "test@example.com",
    name: "Ann",
    account: { id: "acme", name: "Acme" },
  });
  const users = await store.db
    .selectFrom("feedback_end_users")
    .select("external_id")
    .where("subscription_id", "=", caller.subscriptionId)
    .where("external_id", "=", "123")
    .execute();
  assert.equal(users.length, 1);

  const anonymous = await createIdea(store.db, caller, { title: "No user" });
  assert.equal(anonymous.creator, null);
  await refuses(createIdea(store.db, caller, { title: "   " }), "bad_request", /title/);
});

test("a status change is recorded with its time and sets the idea's `<status>At`; the same status records nothing", async () => {
  const idea = await createIdea(store.db, caller, { title: "Statuses" }, at(0));
  const planned = await updateIdea(store.db, caller, idea.id, { status: "planned" }, at(5));
  assert.equal(planned.status, "planned");
  assert.equal(planned.plannedAt, at(5).toISOString());
  assert.equal(planned.statusChangedAt, at(5).toISOString());
  await updateIdea(store.db, caller, idea.id, { status: "planned", title: "Statuses!" }, at(6));
  const released = await updateIdea(store.db, caller, idea.id, { status: "released" }, at(9));
  assert.equal(released.plannedAt, at(5).toISOString(), "earlier status times stay");
  assert.equal(released.releasedAt, at(9).toISOString());
  assert.equal(released.title, "Statuses!");
  assert.equal(released.updatedAt, at(9).toISOString());
  assert.deepEqual(await listStatusChanges(store.db, caller, idea.id), [
    { from: null, to: "new", at: at(0).toISOString() },
    { from: "new", to: "planned", at: at(5).toISOString() },
    { from: "planned", to: "released", at: at(9).toISOString() },
  ]);
  const cleared = await updateIdea(store.db, caller, idea.id, {
    productArea: null,
    private: true,
    tags: [],
    details: "",
  });
  assert.deepEqual(
    [cleared.productArea, cleared.private, cleared.tags, cleared.details],
    [null, true, [], ""],
  );
});

test("merging: into another live, unmerged idea of the same subscription only, so merges never loop", async () => {
  const a = await createIdea(store.db, caller, { title: "A" });
  const b = await createIdea(store.db, caller, { title: "B" });
  const c = await createIdea(store.db, caller, { title: "C" });
  const foreign = await createIdea(store.db, other, { title: "Theirs" });
  await refuses(updateIdea(store.db, caller, a.id, { mergedInto: a.id }), "bad_request", /itself/);
  await refuses(updateIdea(store.db, caller, a.id, { mergedInto: foreign.id }), "not_found");
  await refuses(updateIdea(store.db, caller, a.id, { mergedInto: "idea_missing" }), "not_found");
  assert.equal((await updateIdea(store.db, caller, a.id, { mergedInto: b.id })).mergedInto, b.id);
  await refuses(updateIdea(store.db, caller, b.id, { mergedInto: a.id }), "conflict", new RegExp(b.id));
  await refuses(updateIdea(store.db, caller, c.id, { mergedInto: a.id }), "conflict");
  await deleteIdea(store.db, caller, c.id);
  await refuses(updateIdea(store.db, caller, b.id, { mergedInto: c.id }), "conflict", /deleted/);
  assert.equal((await updateIdea(store.db, caller, a.id, { mergedInto: null })).mergedInto, null);
});

test("a deleted idea answers 410 everywhere and leaves the lists; another subscription's answers 404", async () => {
  const idea = await createIdea(store.db, caller, { title: "Short-lived zebra" });
  const user = { id: "u-del" };
  await deleteIdea(store.db, caller, idea.id, at(30));
  await refuses(getIdea(store.db, caller, idea.id), "gone", new RegExp(at(30).toISOString()));
  await refuses(updateIdea(store.db, caller, idea.id, { title: "x" }), "gone");
  await refuses(deleteIdea(store.db, caller, idea.id), "gone");
  await refuses(castVote(store.db, caller, idea.id, { user, quantity: 1 }), "gone");
  await refuses(listVotes(store.db, caller, idea.id, {}), "gone");
  await refuses(addComment(store.db, caller, idea.id, { user, text: "hi" }), "gone");
  await refuses(listComments(store.db, caller, idea.id, {}), "gone");
  await refuses(listStatusChanges(store.db, caller, idea.id), "gone");
  assert.equal((await listIdeas(store.db, caller, { q: "zebra" })).total, 0);

  const mine = await createIdea(store.db, caller, { title: "Mine" });
  for (const attempt of [
    getIdea(store.db, other, mine.id),
    updateIdea(store.db, other, mine.id, { status: "declined" }),
    deleteIdea(store.db, other, mine.id),
    castVote(store.db, other, mine.id, { user, quantity: 1 }),
    addComment(store.db, other, mine.id, { user, text: "x" }),
    listVotes(store.db, other, mine.id, {}),
  ]) {
    await refuses(attempt, "not_found");
  }
  assert.equal(
    (await getIdea(store.db, caller, mine.id)).status,
    "new",
    "unchanged by the other subscription",
  );
  assert.ok(!(await listIdeas(store.db, other, {})).results.some((i) => i.id === mine.id));
});

test("votes: one per user and idea, replaced by the next; -1 is not interested; 0 removes; bounds enforced", async () => {
  const idea = await createIdea(store.db, caller, { title: "Votes" });
  const first = await castVote(store.db, caller, idea.id, { user: { id: "v1" }, quantity: 5 }, at(1));
  assert.deepEqual(first.votes, { count: 1, quantity: 5, notInterested: 0 });
  assert.equal(first.vote?.quantity, 5);
  const replaced = await castVote(store.db, caller, idea.id, { user: { id: "v1" }, quantity: 2 }, at(2));
  assert.deepEqual(replaced.votes, { count: 1, quantity: 2, notInterested: 0 });
  assert.deepEqual(
    [replaced.vote?.createdAt, replaced.vote?.updatedAt],
    [at(1).toISOString(), at(2).toISOString()],
  );
  await castVote(store.db, caller, idea.id, {
    user: { id: "v2", email: "v2@example.com" },
    quantity: 1_000_000,
  });
  const notInterested = await castVote(store.db, caller, idea.id, { user: { id: "v3" }, quantity: -1 });
  assert.deepEqual(notInterested.votes, { count: 2, quantity: 1_000_002, notInterested: 1 });
  const removed = await castVote(store.db, caller, idea.id, { user: { id: "v2" }, quantity: 0 });
  assert.deepEqual(removed, { vote: null, votes: { count: 1, quantity: 2, notInterested: 1 } });
  for (const quantity of [-2, 1_000_001, 1.5]) {
    await refuses(castVote(store.db, caller, idea.id, { user: { id: "v1" }, quantity }), "bad_request");
  }
  assert.deepEqual((await getIdea(store.db, caller, idea.id)).votes, {
    count: 1,
    quantity: 2,
    notInterested: 1,
  });
  const page = await listVotes(store.db, caller, idea.id, { orderBy: "quantity", orderDir: "asc" });
  assert.equal(page.total, 2);
  assert.deepEqual(
    page.results.map((v) => [v.user?.id, v.quantity]),
    [
      ["v3", -1],
      ["v1", 2],
    ],
  );
});

test("comments keep their text exactly, oldest first, and need some text", async () => {
  const idea = await createIdea(store.db, caller, { title: "Comments" });
  const html = `<img src=x onerror="alert(1)">`;
  await addComment(store.db, caller, idea.id, { user: { id: "c1" }, text: html }, at(1));
  await addComment(store.db, caller, idea.id, { user: { id: "c2", name: "Bo" }, text: "second" }, at(2));
  const page = await listComments(store.db, caller, idea.id, {});
  assert.deepEqual(
    page.results.map((c) => [c.user?.id, c.text]),
    [
      ["c1", html],
      ["c2", "second"],
    ],
  );
  assert.equal((await getIdea(store.db, caller, idea.id)).comments, 2);
  const newestFirst = await listComments(store.db, caller, idea.id, { orderDir: "desc", limit: 1 });
  assert.deepEqual([newestFirst.total, newestFirst.results[0]?.text], [2, "second"]);
  await refuses(addComment(store.db, caller, idea.id, { user: { id: "c1" }, text: "  " }), "bad_request");
});

test("search and paging: every word in title or details, case-insensitively, `%` and `_` literal; orders and pages", async () => {
  // A subscription of its own, so earlier tests' ideas do not count.
  const sub = "sub_search";
  await store.db
    .insertInto("subscriptions")
    .values({ id: sub, name: "Search", default_app_id: null, created_at: at(0).toISOString() })
    .execute();
  const me: FeedbackCaller = { subscriptionId: sub, keyId: "key_s" };
  const dark = await createIdea(store.db, me, { title: "Dark MODE", details: "for night owls" }, at(1));
  const percent = await createIdea(store.db, me, { title: "Show 100% width", details: "" }, at(2));
  const under = await createIdea(store.db, me, { title: "snake_case ids", details: "mode" }, at(3));
  const plain = await createIdea(store.db, me, { title: "alpha", details: "nothing" }, at(4));
  await updateIdea(store.db, me, percent.id, { status: "planned" }, at(10));
  await updateIdea(store.db, me, dark.id, { status: "planned" }, at(11));
  await castVote(store.db, me, under.id, { user: { id: "x" }, quantity: 9 });
  await castVote(store.db, me, dark.id, { user: { id: "x" }, quantity: 1 });
  await castVote(store.db, me, dark.id, { user: { id: "y" }, quantity: 1 });
  await castVote(store.db, me, plain.id, { user: { id: "y" }, quantity: 2 });

  const ids = async (input: Parameters<typeof listIdeas>[2]) =>
    (await listIdeas(store.db, me, input)).results.map((i) => i.id);
  assert.deepEqual(await ids({ q: "mode" }), [under.id, dark.id], "title or details, newest first");
  assert.deepEqual(await ids({ q: "dark   NIGHT" }), [dark.id], "every word must match");
  assert.deepEqual(await ids({ q: "100%" }), [percent.id]);
  assert.deepEqual(await ids({ q: "%" }), [percent.id], "% is literal, not a wildcard");
  assert.deepEqual(await ids({ q: "e_c" }), [under.id], "_ is literal");
  assert.deepEqual(await ids({ q: "dark_mode" }), [], "_ matches no other character (here a space)");
  assert.deepEqual(await ids({ statuses: ["planned"] }), [percent.id, dark.id]);
  assert.deepEqual(
    await ids({ orderBy: "votes" }),
    [dark.id, under.id, plain.id, percent.id],
    "the most voters first, then the greater weight",
  );
  assert.deepEqual(
    await ids({ orderBy: "title" }),
    [plain.id, dark.id, percent.id, under.id],
    "case-insensitive",
  );
  assert.deepEqual(await ids({ orderBy: "planned_at", orderDir: "asc" }).then((l) => l.slice(0, 2)), [
    percent.id,
    dark.id,
  ]);
  assert.deepEqual(await ids({ orderBy: "planned_at", orderDir: "desc" }).then((l) => l.slice(0, 2)), [
    dark.id,
    percent.id,
  ]);
  const page = await listIdeas(store.db, me, { orderDir: "asc", limit: 2, start: 1 });
  assert.deepEqual(
    { ...page, results: page.results.map((i) => i.id) },
    { results: [percent.id, under.id], total: 4, start: 1, limit: 2 },
  );
  const countOnly = await listIdeas(store.db, me, { limit: 0, q: "mode" });
  assert.deepEqual(countOnly, { results: [], total: 2, start: 0, limit: 0 });
});
