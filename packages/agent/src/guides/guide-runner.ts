import type {
  ButtonAction,
  Guide,
  GuideHost,
  GuidePayload,
  GuideRunner,
} from "../guide-loader/guide-contract.js";
import { autoCandidates, inTimebox, resumePoint, stepMatchesUrl } from "./eligibility.js";
import { layerFor, pageLayer, waitForTarget } from "./find-target.js";
import { activityAction, baseProps, seenProps, snoozeMs } from "./guide-events.js";
import { mountLaunchers } from "./launchers.js";
import { isHttpUrl, type PollAnswer, renderBlocks } from "./render-blocks.js";
import { mountStep, type StepView } from "./step-view.js";

interface Showing {
  readonly guide: Guide;
  readonly index: number;
  /** Why the guide was first shown (auto, continue, api, badge, dom): the events' `seen_reason`. */
  readonly launch: string;
  seenAt: number;
  view: StepView | null;
  cancelWait: () => void;
}

/**
 * Shows guides one at a time from guide.json answers, draws their steps, runs their buttons and sends their
 * events (agent-wire.md §7.3–7.5).
 */
export function createGuideRunner(host: GuideHost): GuideRunner {
  const { win, now } = host;
  const doc = win.document;
  let payload: GuidePayload = { guides: [], lastGuideStepSeen: {} };
  let showing: Showing | null = null;
  const finished = new Set<string>();
  let lastAutoEndAt = 0;
  let removeLaunchers = (): void => undefined;
  let pollAnswers: () => PollAnswer[] = () => [];

  const local = () => ({ finished, lastAutoEndAt });
  const pageUrl = () => payload.normalizedUrl ?? host.url();
  const elapsed = (s: Showing) => Math.max(0, now() - s.seenAt);

  function hide(): void {
    if (!showing) return;
    showing.cancelWait();
    showing.view?.close();
    showing = null;
  }

  function showStep(guide: Guide, index: number, reason: string, launch: string): void {
    hide();
    const step = guide.steps[index];
    if (!step) return;
    const current: Showing = { guide, index, launch, seenAt: now(), view: null, cancelWait: () => undefined };
    showing = current;
    const draw = (target: Element | null): void => {
      if (showing !== current) return;
      const blocks = renderBlocks(doc, guide, step, (button, action) => onButton(button, action));
      current.view = mountStep(win, {
        type: step.type,
        nodes: blocks.nodes,
        labelId: blocks.labelId,
        label: guide.name,
        target,
        layer: target ? layerFor(target, doc) : pageLayer(doc),
      });
      current.seenAt = now();
      pollAnswers = blocks.pollAnswers;
      host.emit("guideSeen", seenProps(guide, step, reason));
    };
    if (!step.elementPathRule) {
      draw(null);
      return;
    }
    current.cancelWait = waitForTarget(win, step.elementPathRule, (target) => {
      if (target) {
        draw(target);
        return;
      }
      // The anchor never appeared: the step is skipped, said with guideNotSeen, and the next one tried.
      host.emit("guideNotSeen", { ...baseProps(guide, step, 0), reason: "targetNotFound" });
      if (showing === current) showing = null;
      showStep(guide, index + 1, "continue", launch);
    });
  }

  function end(s: Showing): void {
    finished.add(s.guide.id);
    if (s.launch === "auto" || s.launch === "continue") lastAutoEndAt = now();
    hide();
  }

  function onButton(button: HTMLElement, action: ButtonAction): void {
    const s = showing;
    const step = s?.guide.steps[s.index];
    if (!s || !step) return;
    host.emit("guideActivity", {
      ...baseProps(s.guide, step, elapsed(s)),
      ui_element_id: button.id,
      ui_element_type: "BUTTON",
      ui_element_actions: [activityAction(action)],
      ui_element_text: button.textContent ?? "",
    });
    switch (action.type) {
      case "advanceGuide":
        runner.advance();
        break;
      case "previousStep":
        runner.previous();
        break;
      case "dismissGuide":
        runner.dismiss();
        break;
      case "snoozeGuide":
        host.emit("guideSnoozed", {
          ...baseProps(s.guide, step, elapsed(s)),
          seen_reason: s.launch,
          snooze_duration: snoozeMs(action),
        });
        end(s);
        break;
      case "submitPoll":
        for (const { poll, value } of pollAnswers()) {
          host.emit("pollResponse", {
            ...baseProps(s.guide, step, elapsed(s)),
            poll_id: poll.id,
            poll_response: value,
            poll_type: poll.attributes?.type ?? "",
          });
        }
        runner.advance();
        break;
      case "openLink":
        if (isHttpUrl(action.url))
          win.open(action.url, action.newTab === false ? "_self" : "_blank", "noopener");
    }
  }

  function onKey(event: KeyboardEvent): void {
    if (event.key === "Escape" && showing?.view) {
      event.preventDefault();
      runner.dismiss();
    }
  }
  doc.addEventListener("keydown", onKey, true);

  function launch(guide: Guide, reason: "badge" | "dom"): void {
    if (showing?.guide.id !== guide.id) showStep(guide, 0, reason, reason);
  }

  const runner: GuideRunner = {
    update(next) {
      payload = next;
      const url = pageUrl();
      const step = showing?.guide.steps[showing.index];
      if (
        showing &&
        (!next.guides.some((g) => g.id === showing?.guide.id) || !step || !stepMatchesUrl(step, url))
      )
        hide();
      removeLaunchers();
      removeLaunchers = mountLaunchers(win, runner.activeGuides(), launch);
      if (showing) return;
      const resume = resumePoint(next, url, now(), local());
      if (resume) {
        // The reason the walkthrough first showed (its steps' states keep it; later steps say "continue").
        const first = resume.guide.steps.find((st) => st.seenReason && st.seenReason !== "continue");
        showStep(resume.guide, resume.stepIndex, "continue", first?.seenReason ?? "auto");
        return;
      }
      const [first] = autoCandidates(next, url, now(), local());
      if (first) showStep(first, 0, "auto", "auto");
    },
    show(guideId) {
      const guide = payload.guides.find((g) => g.id === guideId);
      if (!guide) return false;
      showStep(guide, 0, "api", "api");
      return true;
    },
    activeGuides() {
      const url = pageUrl();
      return payload.guides.filter((g) => inTimebox(g, now()) && g.steps.some((s) => stepMatchesUrl(s, url)));
    },
    activeGuide() {
      const step = showing?.guide.steps[showing.index];
      return showing && step ? { guide: showing.guide, step, stepIndex: showing.index } : null;
    },
    advance() {
      const s = showing;
      const step = s?.guide.steps[s.index];
      if (!s || !step) return;
      const next = s.guide.steps[s.index + 1];
      host.emit("guideAdvanced", {
        ...baseProps(s.guide, step, elapsed(s)),
        seen_reason: s.launch,
        ...(next ? { destination_step_id: next.id } : {}),
      });
      if (next) showStep(s.guide, s.index + 1, "continue", s.launch);
      else end(s);
    },
    previous() {
      const s = showing;
      if (s && s.index > 0) showStep(s.guide, s.index - 1, "continue", s.launch);
    },
    dismiss() {
      const s = showing;
      const step = s?.guide.steps[s.index];
      if (!s || !step) return;
      host.emit("guideDismissed", { ...baseProps(s.guide, step, elapsed(s)), seen_reason: s.launch });
      end(s);
    },
    stop() {
      hide();
      removeLaunchers();
      doc.removeEventListener("keydown", onKey, true);
    },
  };
  return runner;
}
