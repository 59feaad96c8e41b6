import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api, must } from "../api/api.ts";
import { atLeast, useSession } from "../api/session.tsx";
import { ErrorNote } from "../ui/states.tsx";
import { TaggedList } from "./tagged-list.tsx";

function AddTrackType() {
  const queryClient = useQueryClient();
  const nameId = useId();
  const [name, setName] = useState("");
  const add = useMutation({
    mutationFn: () => must(api.POST("/api/admin/track-types", { body: { name, trackTypeName: name } })),
    onSuccess: async () => {
      setName("");
      await queryClient.invalidateQueries({ queryKey: ["track-types"] });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Add a track type">
      <div className="stack">
        <label htmlFor={nameId}>Track event name</label>
        <input
          id={nameId}
          required
          value={name}
          placeholder="Signed up"
          onChange={(event) => setName(event.target.value)}
        />
      </div>
      <button type="submit">Add track type</button>
      {add.isError ? <ErrorNote error={add.error} /> : null}
    </form>
  );
}

/** Analytics → Track Events: one type per event name, each with its counts. */
export function TrackEvents() {
  const session = useSession();
  const trackTypes = useQuery({
    queryKey: ["track-types"],
    queryFn: async () => (await must(api.GET("/api/admin/track-types"))).trackTypes,
  });
  return (
    <TaggedList
      kind="trackType"
      title="Track Events"
      intro="Events your code sends with pendo.track() or POST /data/track; a type per event name."
      items={trackTypes}
      rowOf={(type) => ({ id: type.id, name: type.name, detail: type.trackTypeName })}
      detailHeading="Event name"
      actions={atLeast(session, "member") ? <AddTrackType /> : undefined}
      empty={<p>Send an event with pendo.track("Signed up") and add its name here.</p>}
    />
  );
}
