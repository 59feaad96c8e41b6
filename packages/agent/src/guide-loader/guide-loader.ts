import type { Beacon } from "../api/event-queues.js";
import type { RunningOptions } from "../api/running-options.js";
import type { VisitorSession } from "../identity/visitor-session.js";
import {
  type ActiveGuide,
  type Guide,
  type GuidePayload,
  type GuideRunner,
  guidesLoadedHook,
  type MountGuides,
} from "./guide-contract.js";
import { guideRequest } from "./guide-request.js";

/** `pendo.*` guide methods (pendo-api.md §1.3). */
export interface GuideApi {
  loadGuides(): void;
  showGuideById(id: string): boolean;
  showGuideByName(name: string): boolean;
  getActiveGuides(): Guide[];
  getActiveGuide(): ActiveGuide | undefined;
  onGuideAdvanced(): void;
  onGuidePrevious(): void;
  onGuideDismissed(): void;
  [guidesLoadedHook](mount: MountGuides): void;
}

export interface GuideLoaderDeps {
  readonly win: Window;
  readonly now: () => number;
  readonly version: string;
  readonly options: RunningOptions;
  readonly session: VisitorSession;
  readonly record: (beacon: Beacon, type: string, props: object) => void;
  readonly flush: () => void;
  /** The page's identity token when the app requires signed events: it rides along as `&jwt=`, as on beacons. */
  readonly token: () => string | null;
  /** guide.json said "do not process" (451): the agent stops sending events, as Pendo's locks them. */
  readonly onDoNotProcess: () => void;
  /** Resolves to the HTTP status and the parsed answer (null when it is not JSON). */
  readonly fetchJson?: (url: string, body: string | null) => Promise<{ status: number; json: unknown }>;
}

export interface GuideLoader {
  readonly api: GuideApi;
  /** Asks for guides on the next tick (initialize, identify, URL change): several calls make one request. */
  reload(): void;
  stop(): void;
}

const defaultFetchJson = (url: string, body: string | null) =>
  fetch(url, {
    method: body === null ? "GET" : "POST",
    mode: "cors",
    credentials: "omit",
    ...(body === null ? {} : { body, headers: { "Content-Type": "application/json" } }),
  }).then((response) =>
    response
      .json()
      .catch(() => null)
      .then((json: unknown) => ({ status: response.status, json })),
  );

/**
 * The core agent's share of guides: requests guide.json as Pendo's agent does (agent-wire.md §7.1), ignores a
 * stale answer, stops on 451, and loads the guide bundle only once an answer has guides or the page asks for
 * one, so pages without guides never download it.
 */
export function createGuideLoader(deps: GuideLoaderDeps): GuideLoader {
  const { win, options, session } = deps;
  const fetchJson = deps.fetchJson ?? defaultFetchJson;
  let requestId = 0;
  let pendingReload: unknown;
  let stopped = false;
  let payload: GuidePayload | null = null;
  let runner: GuideRunner | null = null;
  let scriptRequested = false;
  let wanted: ((r: GuideRunner) => void) | null = null;
  let lastVisitorId: string | undefined;
  let oldVisitorId: string | undefined;

  function request(): void {
    pendingReload = undefined;
    const running = options.get();
    if (!running || stopped) return;
    if (lastVisitorId !== undefined && lastVisitorId !== session.visitorId) oldVisitorId = lastVisitorId;
    lastVisitorId = session.visitorId;
    const id = ++requestId;
    const token = deps.token();
    const { url, body } = guideRequest(
      `${running.dataHost}/data/guide.json/${running.apiKey}`,
      id,
      {
        visitorId: session.visitorId,
        accountId: session.accountId,
        url: options.sanitize(win.location.href),
        ...(oldVisitorId === undefined ? {} : { oldVisitorId }),
        metadata: { visitor: session.visitorMeta, account: session.accountMeta },
      },
      deps.version,
      deps.now(),
      token ? `&jwt=${token}` : "",
    );
    fetchJson(url, body).then(
      ({ status, json }) => receive(id, status, json),
      () => undefined,
    );
  }

  function receive(id: number, status: number, json: unknown): void {
    const answer = json as GuidePayload | null;
    if (status === 451 || answer?.statusCode === 451) {
      // "Do not process" this visitor: no more guides, and no more events, on this page.
      stopped = true;
      runner?.stop();
      deps.onDoNotProcess();
      return;
    }
    // An answer to an older request (the visitor or the page changed since) is ignored.
    if (id !== requestId || !answer || (answer.id !== undefined && String(answer.id) !== String(id))) return;
    if (!Array.isArray(answer.guides) || !answer.lastGuideStepSeen || !options.get()) return;
    payload = answer;
    if (runner) runner.update(answer);
    else if (answer.guides.length > 0) loadBundle();
  }

  function loadBundle(): void {
    const running = options.get();
    if (scriptRequested || !running) return;
    scriptRequested = true;
    const doc = win.document;
    const script = doc.createElement("script");
    script.async = true;
    script.src = `${running.dataHost}/agent/static/${running.apiKey}/guides.js`;
    script.onerror = () => {
      scriptRequested = false;
      script.remove();
    };
    (doc.head || doc.body).appendChild(script);
  }

  /** Runs `call` on the runner now, or once the bundle has loaded (the latest such call only). */
  function withRunner(call: (r: GuideRunner) => void): void {
    if (runner) call(runner);
    else if (!stopped && options.get()) {
      wanted = call;
      loadBundle();
    }
  }

  function showBy(match: (guide: Guide) => boolean): boolean {
    const guide = payload?.guides.find(match);
    if (guide) withRunner((r) => r.show(guide.id));
    return guide !== undefined;
  }

  const api: GuideApi = {
    loadGuides: () => reload(),
    showGuideById: (id) => showBy((g) => g.id === id),
    showGuideByName: (name) => showBy((g) => g.name === name),
    getActiveGuides: () => runner?.activeGuides() ?? [],
    getActiveGuide: () => runner?.activeGuide() ?? undefined,
    onGuideAdvanced: () => runner?.advance(),
    onGuidePrevious: () => runner?.previous(),
    onGuideDismissed: () => runner?.dismiss(),
    [guidesLoadedHook](mount) {
      if (runner || !options.get()) return;
      runner = mount({
        win,
        now: deps.now,
        url: () => options.sanitize(win.location.href),
        emit(type, props) {
          deps.record(type === "pollResponse" ? "poll" : "guide", type, props);
          deps.flush();
        },
      });
      if (payload) runner.update(payload);
      const call = wanted;
      wanted = null;
      call?.(runner);
    },
  };

  function reload(): void {
    if (pendingReload === undefined && !stopped) pendingReload = win.setTimeout(request, 0);
  }

  return {
    api,
    reload,
    stop() {
      if (pendingReload !== undefined) win.clearTimeout(pendingReload as number);
      pendingReload = undefined;
      runner?.stop();
      runner = null;
      payload = null;
      wanted = null;
      stopped = false;
      scriptRequested = false;
      requestId++;
    },
  };
}
