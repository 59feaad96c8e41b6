import type { AdminBody } from "@cairn/client/session";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api, must, mustSucceed } from "../api/api.ts";
import { queryKeys, type UserRecord, useUsers } from "../api/resources.ts";
import { useSession } from "../api/session.tsx";
import { ConfirmButton } from "../ui/confirm-button.tsx";
import { CopyButton } from "../ui/copy-button.tsx";
import { Page, Panel } from "../ui/page.tsx";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { ErrorNote, QueryView } from "../ui/states.tsx";
import { Time } from "../ui/time.tsx";

type NewUser = AdminBody<"/api/admin/users", "post">;

const roleNotes = {
  owner: "everything, including users and the subscription's switches",
  admin: "apps, keys, Exclude List, audit log, and everything a member does",
  member: "pages, features, segments, reports, feedback",
  viewer: "reads analytics",
};

/** A one-time sign-in link, shown once to hand over. */
function SignInLink(props: { email: string; link: string; added: boolean }) {
  return (
    <div className="note success" role="status">
      <p>
        <strong>{props.added ? `${props.email} is added.` : `A new link for ${props.email}.`}</strong> Send
        them this one-time sign-in link (valid 24 hours); it sets their password.
      </p>
      <code className="secret">{props.link}</code>
      <CopyButton text={props.link} label="Copy link" />
    </div>
  );
}

function AddUser() {
  const queryClient = useQueryClient();
  const blank: NewUser = { email: "", name: "", role: "member", integrationKeyAccess: false };
  const [user, setUser] = useState<NewUser>(blank);
  const roleId = useId();
  const add = useMutation({
    mutationFn: () => must(api.POST("/api/admin/users", { body: user })),
    onSuccess: async () => {
      setUser(blank);
      await queryClient.invalidateQueries({ queryKey: queryKeys.users });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }
  return (
    <>
      <form className="inline-form" onSubmit={submit} aria-label="Add a user">
        <label>
          Email
          <input
            type="email"
            required
            value={user.email}
            onChange={(event) => setUser({ ...user, email: event.target.value })}
          />
        </label>
        <label>
          Name
          <input
            required
            value={user.name}
            onChange={(event) => setUser({ ...user, name: event.target.value })}
          />
        </label>
        <div className="stack">
          <label htmlFor={roleId}>Role</label>
          <select
            id={roleId}
            value={user.role}
            onChange={(event) => setUser({ ...user, role: event.target.value as NewUser["role"] })}
          >
            {Object.entries(roleNotes).map(([role, note]) => (
              <option key={role} value={role}>
                {role}: {note}
              </option>
            ))}
          </select>
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={user.integrationKeyAccess ?? false}
            onChange={(event) => setUser({ ...user, integrationKeyAccess: event.target.checked })}
          />
          Integration key access
        </label>
        <button type="submit" className="primary" disabled={add.isPending}>
          Add user
        </button>
        {add.isError ? <ErrorNote error={add.error} /> : null}
      </form>
      {add.data ? (
        <div className="note success" role="status">
          <p>
            <strong>{add.data.email} is added.</strong> Send them this one-time sign-in link (valid 24 hours);
            it sets their password.
          </p>
          <code className="secret">{add.data.signInLink}</code>
          <CopyButton text={add.data.signInLink} label="Copy link" />
        </div>
      ) : null}
    </>
  );
}

/** The owner changes a user's role or integration key access in place; the API refuses demoting the last owner. */
function UserControls(props: { user: UserRecord }) {
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (body: AdminBody<"/api/admin/users/{id}", "patch">) =>
      must(api.PATCH("/api/admin/users/{id}", { params: { path: { id: props.user.id } }, body })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.users }),
  });
  const { user } = props;
  // While a change is on its way, the controls show it (the list is read again once it is saved or refused).
  const pending = change.isPending ? change.variables : undefined;
  const role = pending?.role ?? user.role;
  const access = pending?.integrationKeyAccess ?? user.integrationKeyAccess;
  return (
    <>
      <td>
        <select
          aria-label={`Role of ${user.email}`}
          value={role}
          disabled={change.isPending}
          onChange={(event) => change.mutate({ role: event.target.value as NewUser["role"] })}
        >
          {Object.keys(roleNotes).map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
        {change.isError ? <ErrorNote error={change.error} /> : null}
      </td>
      <td>
        {role === "owner" ? (
          "yes (owner)"
        ) : (
          <input
            type="checkbox"
            aria-label={`Integration key access for ${user.email}`}
            checked={access}
            disabled={change.isPending}
            onChange={(event) => change.mutate({ integrationKeyAccess: event.target.checked })}
          />
        )}
      </td>
    </>
  );
}

/** Settings → Users: who may sign in, their role and whether they may manage integration keys. */
export function Users() {
  const session = useSession();
  const queryClient = useQueryClient();
  const users = useUsers();
  const isOwner = session.user.role === "owner";
  const [link, setLink] = useState<{ email: string; link: string } | null>(null);
  return (
    <Page title="Users" intro="People who sign in to Cairn, their roles, and who may make integration keys.">
      <Panel title="Users">
        {isOwner ? <AddUser /> : null}
        {link ? <SignInLink email={link.email} link={link.link} added={false} /> : null}
        <QueryView query={users} what="users">
          {(list) => (
            <ScrollRegion label="Users">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Name</th>
                    <th scope="col">Role</th>
                    <th scope="col">Integration key access</th>
                    <th scope="col">Password set</th>
                    <th scope="col">Added</th>
                    {isOwner ? <th scope="col">Actions</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {list.map((user) => (
                    <tr key={user.id}>
                      <td>{user.email}</td>
                      <td>{user.name}</td>
                      {isOwner ? (
                        <UserControls user={user} />
                      ) : (
                        <>
                          <td>{user.role}</td>
                          <td>
                            {user.role === "owner" ? "yes (owner)" : user.integrationKeyAccess ? "yes" : "no"}
                          </td>
                        </>
                      )}
                      <td>{user.hasPassword ? "yes" : "not yet"}</td>
                      <td>
                        <Time at={user.createdAt} />
                      </td>
                      {isOwner ? (
                        <td>
                          {user.id !== session.user.id ? (
                            <div className="row">
                              <ConfirmButton
                                label="New sign-in link"
                                question={`A new sign-in link for ${user.email}?`}
                                detail={
                                  <p>
                                    It signs them in once and asks for a password; earlier links stop working.
                                  </p>
                                }
                                confirmLabel="Make the link"
                                onConfirm={async () => {
                                  const answer = await must(
                                    api.POST("/api/admin/users/{id}/sign-in-link", {
                                      params: { path: { id: user.id } },
                                    }),
                                  );
                                  setLink({ email: user.email, link: answer.signInLink });
                                }}
                              />
                              <ConfirmButton
                                label="Remove"
                                danger
                                question={`Remove ${user.email}?`}
                                detail={<p>Their sessions end now. Keys they made keep working.</p>}
                                confirmLabel="Remove user"
                                onConfirm={async () => {
                                  await mustSucceed(
                                    api.DELETE("/api/admin/users/{id}", {
                                      params: { path: { id: user.id } },
                                    }),
                                  );
                                  await queryClient.invalidateQueries({ queryKey: queryKeys.users });
                                }}
                              />
                            </div>
                          ) : (
                            <span className="muted">you</span>
                          )}
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
        </QueryView>
      </Panel>
    </Page>
  );
}
