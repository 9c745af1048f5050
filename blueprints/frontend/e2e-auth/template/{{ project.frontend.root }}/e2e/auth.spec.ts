/**
 * Logging in and out, end to end: the session cookie set by the /auth/session route handler,
 * the app shell showing who is logged in, and a wrong password refused.
 */
import { expect, test } from "@playwright/test";

import { USER, login } from "./auth";

test.describe("Login and logout", () => {
  test("a wrong password is refused", async ({ page }) => {
    await page.goto("/login");
    const form = page.getByRole("form", { name: "Log in" });
    await form.getByLabel("Email").fill(USER.email);
    await form.getByLabel("Password").fill(`${USER.password}-wrong`);
    await form.getByRole("button", { name: "Log in" }).click();

    await expect(form.getByRole("alert")).toHaveText("Wrong email or password.");
    await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  });

  test("a user logs in, sees who they are, and logs out", async ({ page, context }) => {
    await login(page);

    await expect(page.getByRole("banner")).toContainText(USER.email);
    const cookie = (await context.cookies()).find((item) => item.name === "session");
    expect(cookie?.httpOnly).toBe(true);

    await page.getByRole("button", { name: "Log out" }).click();

    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
    expect((await context.cookies()).some((item) => item.name === "session")).toBe(false);
  });
});
