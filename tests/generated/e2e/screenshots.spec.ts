/**
 * Screenshots of a feature's screens, for a person to look at (issue 12): the login screen,
 * the empty list, the list with rows, a record's page, its edit form and the component
 * catalog. tests/generated/e2e copies this spec into a generated project that has the
 * feature `leads` (email:str score:int? notes:text?) and runs it with the project's own
 * Playwright configuration; the PNG files go to SCREENSHOTS_DIR. The other specs share the
 * database and may have run first: the spec empties the table before the empty list.
 */
import { expect, test, type Page } from "@playwright/test";

import { login } from "./auth";

const DIR = process.env.SCREENSHOTS_DIR ?? "test-results/screenshots";
const API = "/backend/api/leads";

/** Delete every lead of the tenant through the API, a page at a time. */
async function deleteEveryLead(page: Page): Promise<void> {
  for (;;) {
    const response = await page.request.get(`${API}?limit=100`);
    expect(response.status()).toBe(200);
    const { items } = (await response.json()) as { items: { id: number }[] };
    if (items.length === 0) return;
    for (const { id } of items) {
      expect((await page.request.delete(`${API}/${id}`)).status()).toBe(204);
    }
  }
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${DIR}/${name}.png`, fullPage: true });
}

test("the screens of a feature, photographed", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("form", { name: "Log in" })).toBeVisible();
  await shot(page, "login");

  await login(page, "/leads");
  await deleteEveryLead(page);
  await page.reload();
  await expect(page.getByText("No leads yet.")).toBeVisible();
  await shot(page, "list-empty");

  const rows = [
    { email: "ada@example.com", score: 42, notes: "Met at the spring fair." },
    { email: "grace@example.com", score: 7, notes: null },
    { email: "linus@example.com", score: null, notes: "Call back in June." },
  ];
  for (const row of rows) {
    const response = await page.request.post(API, { data: row });
    expect(response.status()).toBe(201);
  }
  await page.goto("/leads");
  await expect(page.getByRole("row")).toHaveCount(rows.length + 1);
  await shot(page, "list");

  await page.getByRole("row").nth(1).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Lead \d+$/);
  await expect(page.getByRole("main")).toContainText("ada@example.com");
  await shot(page, "detail");

  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("form", { name: "Lead" })).toBeVisible();
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue("ada@example.com");
  await shot(page, "edit-form");

  await page.goto("/catalog");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Component catalog");
  await shot(page, "catalog");
});
