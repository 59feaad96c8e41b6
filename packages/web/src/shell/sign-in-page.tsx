import { type FormEvent, useEffect, useState } from "react";
import { api, must } from "../api/api.ts";
import { useSignedIn } from "../api/session.tsx";
import { ErrorNote } from "../ui/states.tsx";

/** Email and password. The first sign-in goes through the one-time link Cairn prints, which sets the password. */
export function SignInPage() {
  const signedIn = useSignedIn();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = "Sign in · Cairn";
  }, []);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      signedIn(await must(api.POST("/api/admin/sign-in", { body: { email, password } })));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="centered">
      <form className="card sign-in" onSubmit={signIn}>
        <h1>Sign in to Cairn</h1>
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error ? <ErrorNote error={error} /> : null}
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
        <p className="muted">
          First time here? Open the one-time sign-in link Cairn printed when it started (or run{" "}
          <code>npx cairn users link YOUR-EMAIL</code>) to set your password.
        </p>
      </form>
    </main>
  );
}
