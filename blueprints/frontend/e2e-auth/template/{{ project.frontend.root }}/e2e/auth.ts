/**
 * Logging in for the end-to-end tests: the user the backend was seeded with (E2E_EMAIL and
 * E2E_PASSWORD, the defaults below otherwise), through the login screen like a person.
 */
import { expect, type Page } from "@playwright/test";

export const USER = {
  email: process.env.E2E_EMAIL ?? "e2e@example.com",
  password: process.env.E2E_PASSWORD ?? "e2e-password",
};

export async function login(page: Page, next = "/"): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  const form = page.getByRole("form", { name: "Log in" });
  await form.getByLabel("Email").fill(USER.email);
  await form.getByLabel("Password").fill(USER.password);
  await form.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
}
