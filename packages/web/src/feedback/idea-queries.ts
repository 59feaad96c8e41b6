import type { AdminAnswer } from "@cairn/client/session";

export type Idea = AdminAnswer<"/api/admin/ideas", "get">["ideas"][number];
export type IdeaStatus = Idea["status"];

export const statuses: readonly { value: IdeaStatus; label: string }[] = [
  { value: "new", label: "New" },
  { value: "waiting", label: "Waiting" },
  { value: "planned", label: "Planned" },
  { value: "developing", label: "Developing" },
  { value: "released", label: "Released" },
  { value: "declined", label: "Declined" },
];

export function statusLabel(status: IdeaStatus): string {
  return statuses.find((candidate) => candidate.value === status)?.label ?? status;
}
