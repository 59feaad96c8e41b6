// The sign-in link's page: spends the one-time token from the URL, then sets the password.
// Plain browser JavaScript with no dependencies; every text it shows is set with textContent.
(() => {
  const form = document.getElementById("set-password");
  const message = document.getElementById("message");
  const token = new URLSearchParams(window.location.search).get("token") || "";
  // Keep the one-time token out of the history and of anything the page loads later.
  window.history.replaceState(null, "", window.location.pathname);

  function show(text, isError) {
    message.textContent = text;
    message.className = isError ? "error" : "";
  }

  async function post(path, body, csrfToken) {
    const headers = { "content-type": "application/json" };
    if (csrfToken) headers["x-csrf-token"] = csrfToken;
    const response = await fetch(path, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : {};
    if (!response.ok)
      throw new Error(data.error ? `${data.error.message} ${data.error.hint}` : `HTTP ${response.status}`);
    return data;
  }

  if (!token) show("This page needs the link Cairn printed (it ends in ?token=…).", true);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const password = document.getElementById("password").value;
    if (password !== document.getElementById("confirm").value) {
      show("The two passwords differ.", true);
      return;
    }
    try {
      const session = await post("/api/admin/sign-in/link", { token });
      await post("/api/admin/password", { password }, session.csrfToken);
      form.hidden = true;
      show(`Signed in as ${session.user.email}; your password is set. Opening Cairn…`, false);
      window.location.assign("/");
    } catch (error) {
      show(error.message, true);
    }
  });
})();
