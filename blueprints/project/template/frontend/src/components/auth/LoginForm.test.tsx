import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";

import { server } from "@/test/msw";
import { router } from "@/test/next";

import { LoginForm } from "./LoginForm";

const SESSION_URL = `${window.location.origin}/auth/session`;

describe("LoginForm", () => {
  it("logs in and goes where the user was going", async () => {
    const user = userEvent.setup();
    let sent: unknown;
    server.use(
      http.post(SESSION_URL, async ({ request }) => {
        sent = await request.json();
        return new HttpResponse(null, { status: 204 });
      }),
    );
    render(<LoginForm next="/campaigns?page=2" />);

    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "s3cret");
    await user.click(screen.getByRole("button", { name: "Log in" }));

    await expect.poll(() => router.push.mock.calls).toEqual([["/campaigns?page=2"]]);
    // pragma: allowlist nextline secret (a test password)
    expect(sent).toEqual({ email: "ada@example.com", password: "s3cret" });
    expect(router.refresh).toHaveBeenCalled();
  });

  it("says the credentials are wrong and stays", async () => {
    const user = userEvent.setup();
    server.use(
      http.post(SESSION_URL, () =>
        HttpResponse.json({ detail: "Wrong email or password." }, { status: 401 }),
      ),
    );
    render(<LoginForm />);

    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "nope");
    await user.click(screen.getByRole("button", { name: "Log in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong email or password.");
    expect(router.push).not.toHaveBeenCalled();
  });

  it("checks the fields before sending anything", async () => {
    const user = userEvent.setup();
    render(<LoginForm next="//evil.example" />);

    await user.click(screen.getByRole("button", { name: "Log in" }));

    expect(await screen.findByLabelText("Email")).toHaveAccessibleDescription("Required");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("Required");
  });
});
