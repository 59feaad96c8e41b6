import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inflateSync } from "node:zlib";
import { createRunningOptions } from "../api/running-options.js";
import type { VisitorSession } from "../identity/visitor-session.js";
import { seededRandom } from "../test-support/seeded-random.js";
import type { GuideRunner, MountGuides } from "./guide-contract.js";
import { createGuideLoader } from "./guide-loader.js";
import { maxGuideGetLength } from "./guide-request.js";

interface Answer {
  status: number;
  json: unknown;
}

function setup(meta: Record<string, unknown> = {}) {
  const calls: Array<{ url: string; body: string | null; answer: (a: Answer) => void }> = [];
  const scripts: string[] = [];
  const doc = {
    head: { appendChild: (s: { src: string }) => scripts.push(s.src) },
    createElement: () => ({ src: "", async: false, onerror: null, remove() {} }),
  };
  const win = {
    document: doc,
    location: { href: "http://shop.test/home" },
    setTimeout: (callback: () => void) => {
      queueMicrotask(callback);
      return 1;
    },
    clearTimeout() {},
  } as unknown as Window;
  const options = createRunningOptions();
  options.set({ apiKey: "k", dataHost: "http://cairn.test", sanitizeUrl: (u: string) => u } as never);
  const session = {
    visitorId: "v1",
    accountId: "a1",
    visitorMeta: meta,
    accountMeta: {},
  } as unknown as VisitorSession;
  const recorded: Array<[string, string, object]> = [];
  const doNotProcess: string[] = [];
  const loader = createGuideLoader({
    win,
    now: () => 5,
    version: "1.0",
    options,
    session,
    record: (beacon, type, props) => recorded.push([beacon, type, props]),
    flush() {},
    token: () => null,
    onDoNotProcess: () => doNotProcess.push(session.visitorId),
    fetchJson: (url, body) => new Promise((resolve) => calls.push({ url, body, answer: resolve })),
  });
  return { loader, calls, scripts, recorded, session, doNotProcess };
}

const random = seededRandom(7);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const guide = {
  id: "g1",
  name: "Tour",
  launchMethod: "auto",
  steps: [{ id: "s1", guideId: "g1", type: "lightbox" }],
};
const answer = (id: number, guides: unknown[] = [guide]) => ({
  status: 200,
  json: { id: String(id), guides, lastGuideStepSeen: { isMultiStep: false, state: "" } },
});

function fakeRunner() {
  const updates: unknown[] = [];
  const shown: string[] = [];
  const runner = {
    update: (p: unknown) => updates.push(p),
    show: (id: string) => shown.push(id) > 0,
    activeGuides: () => [],
    activeGuide: () => null,
    advance() {},
    previous() {},
    dismiss() {},
    stop() {},
  } satisfies GuideRunner;
  return { runner, updates, shown };
}

describe("guide loader", () => {
  it("coalesces reloads into one GET with Pendo's query and jzb, and loads the bundle only for guides", async () => {
    const { loader, calls, scripts } = setup();
    loader.reload();
    loader.reload();
    await tick();
    assert.equal(calls.length, 1);
    const url = new URL(calls[0]?.url ?? "");
    assert.equal(`${url.origin}${url.pathname}`, "http://cairn.test/data/guide.json/k");
    assert.deepEqual([...url.searchParams.keys()], ["id", "jzb", "v", "ct"]);
    assert.deepEqual(
      JSON.parse(inflateSync(Buffer.from(url.searchParams.get("jzb") ?? "", "base64url")).toString()),
      {
        visitorId: "v1",
        accountId: "a1",
        url: "http://shop.test/home",
        metadata: { visitor: {}, account: {} },
      },
    );
    calls[0]?.answer(answer(1, []));
    await tick();
    assert.deepEqual(scripts, [], "no guides, no bundle");
    loader.reload();
    await tick();
    calls[1]?.answer(answer(2));
    await tick();
    assert.deepEqual(scripts, ["http://cairn.test/agent/static/k/guides.js"]);
  });

  it("ignores an answer to an older request, and hands the newest to the runner", async () => {
    const { loader, calls } = setup();
    const { runner, updates } = fakeRunner();
    loader.api._guidesLoaded((() => runner) as MountGuides);
    loader.reload();
    await tick();
    loader.reload();
    await tick();
    calls[1]?.answer(answer(2));
    calls[0]?.answer(answer(1));
    await tick();
    assert.equal(updates.length, 1);
    assert.equal((updates[0] as { id: string }).id, "2");
  });

  it("sends the old visitor id after a change of visitor, and POSTs when the URL would be too long", async () => {
    const { loader, calls, session } = setup({
      // Text that deflate cannot shrink much, so the jzb stays long.
      notes: Array.from({ length: 3000 }, () => String.fromCharCode(33 + Math.floor(random() * 90))).join(""),
    });
    loader.reload();
    await tick();
    assert.equal(calls[0]?.body === null, false);
    assert.ok((calls[0]?.url ?? "").length < maxGuideGetLength);
    assert.doesNotMatch(calls[0]?.url ?? "", /jzb=/);
    (session as { visitorId: string }).visitorId = "v2";
    loader.reload();
    await tick();
    const { events } = JSON.parse(calls[1]?.body ?? "{}") as { events: string };
    const sent = JSON.parse(inflateSync(Buffer.from(events, "base64url")).toString()) as Record<
      string,
      unknown
    >;
    assert.equal(sent.visitorId, "v2");
    assert.equal(sent.oldVisitorId, "v1");
  });

  it("stops asking after a 451, and shows a guide by name once the bundle is there", async () => {
    const { loader, calls, scripts, doNotProcess } = setup();
    loader.reload();
    await tick();
    calls[0]?.answer(answer(1));
    await tick();
    assert.equal(loader.api.showGuideByName("Tour"), true);
    assert.equal(loader.api.showGuideByName("Nope"), false);
    const { runner, shown } = fakeRunner();
    loader.api._guidesLoaded((() => runner) as MountGuides);
    assert.deepEqual(shown, ["g1"]);
    assert.equal(scripts.length, 1);
    loader.reload();
    await tick();
    assert.deepEqual(doNotProcess, []);
    calls[1]?.answer({ status: 451, json: null });
    await tick();
    assert.deepEqual(doNotProcess, ["v1"], "the agent is told to stop its events");
    loader.reload();
    await tick();
    assert.equal(calls.length, 2, "no request after 451");
  });

  it("sends pollResponse on poll.gif and the other guide events on guide.gif", () => {
    const { loader, recorded } = setup();
    let host: Parameters<MountGuides>[0] | undefined;
    loader.api._guidesLoaded(((h) => {
      host = h;
      return fakeRunner().runner;
    }) as MountGuides);
    host?.emit("guideSeen", { guide_id: "g1" });
    host?.emit("pollResponse", { poll_id: "p" });
    assert.deepEqual(
      recorded.map(([beacon, type]) => [beacon, type]),
      [
        ["guide", "guideSeen"],
        ["poll", "pollResponse"],
      ],
    );
  });
});
