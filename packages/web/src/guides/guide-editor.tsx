import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useLocation } from "wouter";
import { api, CairnApiError, must, mustSucceed } from "../api/api.ts";
import { atLeast, useSession } from "../api/session.tsx";
import { usePages } from "../tagging/pages.tsx";
import { ConfirmButton } from "../ui/confirm-button.tsx";
import { Panel } from "../ui/page.tsx";
import { ErrorNote } from "../ui/states.tsx";
import { Time } from "../ui/time.tsx";
import { AnchorCheck } from "./anchor-check.tsx";
import {
  bodyOf,
  draftOf,
  emptyDraft,
  fieldOfMessage,
  type GuideDraft,
  type LaunchMethod,
  newStep,
  type Targeting,
} from "./guide-draft.ts";
import { Field, type FieldProblem, FieldProblemContext, PartProblem } from "./guide-fields.tsx";
import { type Guide, type GuideState, guideKeys, useSegments } from "./guide-queries.ts";
import { StepEditor } from "./step-editor.tsx";

const launchLabels: Record<LaunchMethod, string> = {
  auto: "Automatically, when the visitor is eligible",
  badge: "From a badge beside an element",
  dom: "When the visitor clicks an element",
  api: "Only from code (pendo.showGuideById)",
};

export const stateLabels: Record<GuideState, string> = {
  draft: "Draft",
  staged: "Staged",
  public: "Public",
  disabled: "Disabled",
};

/** The state changes offered from each state, with what each button says. */
const stateActions: Record<GuideState, { to: GuideState; label: string }[]> = {
  draft: [
    { to: "staged", label: "Stage for test visitors" },
    { to: "public", label: "Publish" },
  ],
  staged: [
    { to: "public", label: "Publish" },
    { to: "draft", label: "Back to draft" },
    { to: "disabled", label: "Disable" },
  ],
  public: [
    { to: "disabled", label: "Disable" },
    { to: "draft", label: "Back to draft" },
  ],
  disabled: [
    { to: "public", label: "Publish again" },
    { to: "draft", label: "Back to draft" },
  ],
};

const stateNotes: Record<GuideState, string> = {
  draft: "Nobody sees a draft.",
  staged: "Only the staged visitors below see it.",
  public: "Every eligible visitor sees it.",
  disabled: "Nobody sees it.",
};

/** The guide editor: every field, the steps with their live previews, save, the state actions and delete. */
export function GuideEditor(props: { existing?: Guide }) {
  const { existing } = props;
  const session = useSession();
  const canManage = atLeast(session, "member");
  const readOnly = !canManage;
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const pages = usePages();
  const segments = useSegments();
  const [draft, setDraft] = useState<GuideDraft>(() => (existing ? draftOf(existing) : emptyDraft()));
  const [pageUrl, setPageUrl] = useState("");
  const [saved, setSaved] = useState<string | null>(null);
  const set = (change: Partial<GuideDraft>) => {
    setSaved(null);
    setDraft((current) => ({ ...current, ...change }));
  };
  const { body, pollAt } = bodyOf(draft);

  async function afterChange(guide: Guide) {
    queryClient.setQueryData(guideKeys.one(guide.id), guide);
    await queryClient.invalidateQueries({ queryKey: guideKeys.list, exact: true });
  }
  const save = useMutation({
    mutationFn: async (then: GuideState | null) => {
      if (!existing) return must(api.POST("/api/admin/guides", { body }));
      const guide = await must(
        api.PATCH("/api/admin/guides/{id}", { params: { path: { id: existing.id } }, body }),
      );
      if (then === null || then === guide.state) return guide;
      await afterChange(guide);
      return must(
        api.PUT("/api/admin/guides/{id}/state", {
          params: { path: { id: existing.id } },
          body: { state: then },
        }),
      );
    },
    onSuccess: async (guide, then) => {
      await afterChange(guide);
      if (!existing) navigate(`/guides/${guide.id}`);
      else {
        setDraft(draftOf(guide));
        setSaved(then === null ? "Saved." : `Saved; the guide is ${stateLabels[guide.state].toLowerCase()}.`);
      }
    },
  });
  const problem: FieldProblem | null =
    save.error instanceof CairnApiError && save.error.status === 400
      ? fieldOfMessage(save.error.message, pollAt)
      : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(null);
  }
  const usesActivation = draft.launchMethod === "dom" || draft.launchMethod === "badge";
  const setStep = (i: number, step: GuideDraft["steps"][number]) =>
    set({ steps: draft.steps.map((s, j) => (j === i ? step : s)) });
  const moveStep = (i: number, by: -1 | 1) => {
    const steps = [...draft.steps];
    const [moved] = steps.splice(i, 1);
    if (moved) steps.splice(i + by, 0, moved);
    set({ steps });
  };

  return (
    <FieldProblemContext.Provider value={problem}>
      <form onSubmit={submit} className="guide-editor" noValidate>
        <Panel title="Guide">
          <Field label="Name" path="name">
            {(id, describedBy) => (
              <input
                id={id}
                aria-describedby={describedBy}
                required
                value={draft.name}
                readOnly={readOnly}
                onChange={(e) => set({ name: e.target.value })}
              />
            )}
          </Field>
          <div className="grid-2">
            <Field label="Shown" path="launchMethod">
              {(id) => (
                <select
                  id={id}
                  value={draft.launchMethod}
                  disabled={readOnly}
                  onChange={(e) => set({ launchMethod: e.target.value as LaunchMethod })}
                >
                  {Object.entries(launchLabels).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Priority (0–1000, higher first)" path="priority">
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  type="number"
                  min={0}
                  max={1000}
                  value={draft.priority}
                  readOnly={readOnly}
                  onChange={(e) => set({ priority: e.target.value })}
                />
              )}
            </Field>
          </div>
          {usesActivation ? (
            <>
              <Field
                label={
                  draft.launchMethod === "dom"
                    ? "Activation: the element whose click shows it (CSS selector)"
                    : "Activation: the element the badge sits beside (CSS selector)"
                }
                path="activationSelector"
                note="Paste the selector the agent reports for an element, or write one."
              >
                {(id, describedBy) => (
                  <input
                    id={id}
                    aria-describedby={describedBy}
                    value={draft.activationSelector}
                    readOnly={readOnly}
                    placeholder="#help"
                    onChange={(e) => set({ activationSelector: e.target.value })}
                  />
                )}
              </Field>
              <AnchorCheck
                key={`${pageUrl} ${draft.activationSelector}`}
                url={pageUrl}
                selector={draft.activationSelector}
                what="activation selector"
              />
            </>
          ) : null}
          <div className="grid-2">
            <Field label="Starts (optional)" path="startsAt">
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  type="datetime-local"
                  value={draft.startsAt}
                  readOnly={readOnly}
                  onChange={(e) => set({ startsAt: e.target.value })}
                />
              )}
            </Field>
            <Field label="Ends (optional)" path="endsAt">
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  type="datetime-local"
                  value={draft.endsAt}
                  readOnly={readOnly}
                  onChange={(e) => set({ endsAt: e.target.value })}
                />
              )}
            </Field>
          </div>
        </Panel>

        <Panel title="Who and where">
          <Field
            label="Visitors"
            path="segmentId"
            note={
              readOnly ? undefined : (
                <>
                  <a href="/segments/new" target="_blank" rel="noopener">
                    New segment…
                  </a>{" "}
                  (opens in a new tab; this list reads the segments again when you come back)
                </>
              )
            }
          >
            {(id, describedBy) => (
              <select
                id={id}
                aria-describedby={describedBy}
                value={draft.segmentId}
                disabled={readOnly}
                onChange={(e) => set({ segmentId: e.target.value })}
              >
                <option value="">Everyone</option>
                {(segments.data ?? []).map((segment) => (
                  <option key={segment.id} value={segment.id}>
                    Segment: {segment.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Pages" path="targeting">
            {(id) => (
              <select
                id={id}
                value={draft.targeting}
                disabled={readOnly}
                onChange={(e) => set({ targeting: e.target.value as Targeting })}
              >
                <option value="anywhere">Any page</option>
                <option value="page">A tagged page</option>
                <option value="url">URLs matching a rule</option>
              </select>
            )}
          </Field>
          {draft.targeting === "page" ? (
            <Field label="Tagged page" path="pageId">
              {(id, describedBy) => (
                <select
                  id={id}
                  aria-describedby={describedBy}
                  value={draft.pageId}
                  disabled={readOnly}
                  onChange={(e) => set({ pageId: e.target.value })}
                >
                  <option value="">(choose a page)</option>
                  {(pages.data ?? []).map((page) => (
                    <option key={page.id} value={page.id}>
                      {page.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          {draft.targeting === "url" ? (
            <Field
              label="URL rule"
              path="urlRule"
              note={
                <>
                  Pendo's syntax, as for pages: <code>{"//*/dashboard/*"}</code>.
                </>
              }
            >
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  value={draft.urlRule}
                  readOnly={readOnly}
                  placeholder="//*/dashboard"
                  onChange={(e) => set({ urlRule: e.target.value })}
                />
              )}
            </Field>
          ) : null}
          <Field
            label="Staged visitors: visitor ids, one a line (they see it while it is staged)"
            path="stagedVisitorIds"
          >
            {(id, describedBy) => (
              <textarea
                id={id}
                aria-describedby={describedBy}
                rows={2}
                value={draft.stagedVisitorIds}
                readOnly={readOnly}
                onChange={(e) => set({ stagedVisitorIds: e.target.value })}
              />
            )}
          </Field>
        </Panel>

        <Panel title="Steps">
          <Field
            label="A page of your app, to check selectors on (optional)"
            path="pageUrl"
            note="Cairn reads the page as it is served, before its scripts run; internal addresses need the operator's CAIRN_WEBHOOK_ALLOW."
          >
            {(id) => (
              <input
                id={id}
                type="url"
                value={pageUrl}
                placeholder="https://app.example.com/dashboard"
                onChange={(e) => setPageUrl(e.target.value)}
              />
            )}
          </Field>
          <PartProblem path="steps" />
          {draft.steps.map((step, i) => (
            <StepEditor
              key={step.key}
              step={step}
              index={i}
              steps={draft.steps}
              pageUrl={pageUrl}
              readOnly={readOnly}
              onChange={(changed) => setStep(i, changed)}
              onMove={(by) => moveStep(i, by)}
              onRemove={() => set({ steps: draft.steps.filter((_, j) => j !== i) })}
            />
          ))}
          {readOnly ? null : (
            <button type="button" onClick={() => set({ steps: [...draft.steps, newStep()] })}>
              + Add a step
            </button>
          )}
        </Panel>

        <Panel title={existing ? `State: ${stateLabels[existing.state]}` : "Save"}>
          {existing ? (
            <p>
              {stateNotes[existing.state]} Last changed <Time at={existing.lastUpdatedAt} />
              {existing.publishedAt !== null ? (
                <>
                  ; published <Time at={existing.publishedAt} />
                </>
              ) : null}
              .
            </p>
          ) : (
            <p className="muted">A new guide is a draft: nobody sees it until it is staged or published.</p>
          )}
          {save.isError ? <ErrorNote error={save.error} /> : null}
          {saved ? (
            <p className="note success" role="status">
              {saved}
            </p>
          ) : null}
          {canManage ? (
            <div className="row">
              <button type="submit" className="primary" disabled={save.isPending}>
                {existing ? "Save guide" : "Create draft"}
              </button>
              {existing
                ? stateActions[existing.state].map((action) => (
                    <button
                      key={action.to}
                      type="button"
                      disabled={save.isPending}
                      onClick={() => save.mutate(action.to)}
                    >
                      {action.label}
                    </button>
                  ))
                : null}
              <Link href="/guides">Cancel</Link>
              {existing ? (
                <ConfirmButton
                  label="Delete guide"
                  danger
                  question={`Delete the guide ${existing.name}?`}
                  detail={<p>Visitors stop seeing it at once. Its events stay, under its id.</p>}
                  confirmLabel="Delete"
                  onConfirm={async () => {
                    await mustSucceed(
                      api.DELETE("/api/admin/guides/{id}", { params: { path: { id: existing.id } } }),
                    );
                    queryClient.removeQueries({ queryKey: guideKeys.one(existing.id) });
                    await queryClient.invalidateQueries({ queryKey: guideKeys.list, exact: true });
                    navigate("/guides");
                  }}
                />
              ) : null}
            </div>
          ) : null}
          {existing && canManage ? <p className="muted">A state change saves the guide first.</p> : null}
        </Panel>
      </form>
    </FieldProblemContext.Provider>
  );
}
