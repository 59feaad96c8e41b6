import type { MountPanel, Panel, PanelHost } from "../feedback/panel-contract.js";
import { listIdeas, type PanelIdea, PanelRequestError, submitIdea, vote } from "./panel-requests.js";
import { panelStyle } from "./panel-style.js";

const titleMax = 255;
const detailsMax = 20_000;

/**
 * The "Give feedback" panel: a form for a new idea and the app's public ideas to vote on. Everything the
 * server or the user wrote is set as text (never as HTML), so a title such as `<img onerror=…>` shows as typed.
 */
export const mountPanel: MountPanel = (host: PanelHost): Panel => {
  const doc = host.root.ownerDocument;
  const make = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    props: Partial<HTMLElementTagNameMap[K]> = {},
    ...children: Array<Node | string>
  ): HTMLElementTagNameMap[K] => {
    const element = Object.assign(doc.createElement(tag), props);
    element.append(...children);
    return element;
  };

  const title = make("input", { id: "cf-title", name: "title", maxLength: titleMax, required: true });
  const details = make("textarea", { id: "cf-details", name: "details", maxLength: detailsMax });
  const submit = make("button", { type: "submit", className: "s" }, "Submit idea");
  const message = make("p", { className: "m" });
  message.setAttribute("role", "status");
  const list = make("ul");
  const close = make("button", { type: "button", className: "x", title: "Close" }, "×");
  const form = make(
    "form",
    {},
    make("label", { htmlFor: "cf-title" }, "Your idea"),
    title,
    make("label", { htmlFor: "cf-details" }, "Details (optional)"),
    details,
    submit,
    message,
  );
  const panel = make(
    "section",
    { className: "p", hidden: true },
    make("div", { className: "h" }, make("h2", {}, "Give feedback"), close),
    form,
    make("h3", {}, "Ideas"),
    list,
  );
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "Give feedback");
  host.root.append(make("style", { textContent: panelStyle }), panel);

  function say(text: string, isError = false): void {
    message.textContent = text;
    message.className = isError ? "m e" : "m";
  }

  function problem(error: unknown): string {
    return error instanceof PanelRequestError ? error.message : "Something went wrong; try again.";
  }

  function row(idea: PanelIdea): HTMLLIElement {
    const button = make("button", { type: "button", className: "v" });
    const paint = (current: PanelIdea): void => {
      button.textContent = `▲ ${current.votes}`;
      button.setAttribute("aria-pressed", String(current.myVote > 0));
      button.title = current.myVote > 0 ? "Remove your vote" : "Vote for this idea";
    };
    paint(idea);
    let current = idea;
    button.addEventListener("click", () => {
      const user = host.user();
      if (!user) return;
      button.disabled = true;
      vote(host, user, current.id, current.myVote > 0 ? 0 : 1)
        .then((answer) => {
          current = answer.idea;
          paint(current);
        })
        .catch((error: unknown) => say(problem(error), true))
        .finally(() => {
          button.disabled = false;
        });
    });
    return make(
      "li",
      {},
      make("span", { className: "t" }, idea.title),
      make("span", { className: "st" }, idea.status),
      button,
    );
  }

  function refresh(): void {
    listIdeas(host, host.user())
      .then((answer) => list.replaceChildren(...answer.ideas.map(row)))
      .catch((error: unknown) => say(problem(error), true));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const user = host.user();
    if (!user) {
      say("Sign in to give feedback.", true);
      return;
    }
    const text = title.value.trim();
    if (!text) {
      say("Give your idea a title.", true);
      return;
    }
    submit.disabled = true;
    say("Sending…");
    submitIdea(host, user, text, details.value.trim())
      .then((answer) => {
        form.reset();
        say("Thank you! Your idea was added.");
        list.prepend(row(answer.idea));
      })
      .catch((error: unknown) => say(problem(error), true))
      .finally(() => {
        submit.disabled = false;
      });
  });

  // On the document, not the panel: focus may have left it (a button disabled while its request runs).
  const onKey = (event: KeyboardEvent): void => {
    if (event.key === "Escape") api.close();
  };

  const api: Panel = {
    open() {
      if (!panel.hidden) return;
      panel.hidden = false;
      doc.addEventListener("keydown", onKey);
      say("");
      refresh();
      title.focus();
    },
    close() {
      panel.hidden = true;
      doc.removeEventListener("keydown", onKey);
    },
    isOpen: () => !panel.hidden,
  };
  close.addEventListener("click", api.close);
  return api;
};
