"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/** Ends the session (the httpOnly cookie is removed by the server) and goes to the login page. */
export function LogoutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);

  async function logout() {
    setBusy(true);
    try {
      await fetch("/auth/session", { method: "DELETE" });
    } finally {
      setBusy(false);
    }
    router.push("/login");
    router.refresh();
  }

  return (
    <button type="button" className="button button-secondary" onClick={logout} disabled={busy}>
      Log out
    </button>
  );
}
