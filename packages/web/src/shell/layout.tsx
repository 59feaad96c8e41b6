import { type ReactNode, useState } from "react";
import { Link, useLocation } from "wouter";
import { api, mustSucceed } from "../api/api.ts";
import { afterSignOut, atLeast, type Role, useSession } from "../api/session.tsx";

interface NavItem {
  readonly href: string;
  readonly label: string;
  /** The least role that may open it (the server refuses the rest anyway). */
  readonly role?: Role;
}

const sections: { title: string; items: NavItem[] }[] = [
  {
    title: "Analytics",
    items: [
      { href: "/", label: "Dashboard" },
      { href: "/pages", label: "Pages" },
      { href: "/features", label: "Features" },
      { href: "/track-events", label: "Track Events" },
      { href: "/visitors", label: "Visitors" },
      { href: "/accounts", label: "Accounts" },
      { href: "/query", label: "Query" },
    ],
  },
  {
    title: "Guides",
    items: [
      { href: "/guides", label: "Guides" },
      { href: "/segments", label: "Segments" },
    ],
  },
  {
    title: "Feedback",
    items: [
      { href: "/ideas", label: "Ideas" },
      { href: "/feedback-settings/api-access", label: "Settings → API Access", role: "admin" },
    ],
  },
  {
    title: "Settings",
    items: [
      { href: "/settings/install", label: "Install Settings" },
      { href: "/settings/integration-keys", label: "Integration Keys", role: "admin" },
      { href: "/settings/exclude-list", label: "Exclude List" },
      { href: "/settings/users", label: "Users", role: "member" },
      { href: "/settings/audit-log", label: "Audit Log", role: "admin" },
      { href: "/settings/subscription", label: "Subscription" },
    ],
  },
];

function isCurrent(location: string, href: string): boolean {
  return href === "/" ? location === "/" : location === href || location.startsWith(`${href}/`);
}

/** The frame of every signed-in screen: the menu (a drawer on a phone), who is signed in, sign-out. */
export function Layout(props: { children: ReactNode }) {
  const session = useSession();
  const [location] = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);

  async function signOut() {
    await mustSucceed(api.POST("/api/admin/sign-out"));
    afterSignOut();
  }

  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="menu"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <span className="brand">Cairn</span>
        <span className="whoami">
          {session.user.email} <span className="muted">({session.user.role})</span>
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav id="menu" className={menuOpen ? "menu open" : "menu"} aria-label="Main">
        {sections.map((section) => (
          <div key={section.title} className="menu-section">
            <h2>{section.title}</h2>
            <ul>
              {section.items
                .filter((item) => !item.role || atLeast(session, item.role))
                .map((item) => (
                  <li key={item.href}>
                    <Link
                      href={item.href}
                      aria-current={isCurrent(location, item.href) ? "page" : undefined}
                      onClick={() => setMenuOpen(false)}
                    >
                      {item.label}
                    </Link>
                  </li>
                ))}
            </ul>
          </div>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </div>
  );
}
