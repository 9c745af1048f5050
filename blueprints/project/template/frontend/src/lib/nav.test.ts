import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { navEntries } from "./nav";

describe("navEntries", () => {
  it("lists each entry file, resources first, then by label", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "nav-"));
    const write = (name: string, entry: object) =>
      writeFileSync(path.join(dir, name), JSON.stringify(entry));
    write("reports.json", { href: "/reports", label: "Reports", kind: "page" });
    write("leads.json", { href: "/leads", label: "Leads", kind: "resource" });
    write("campaigns.json", { href: "/campaigns", label: "Campaigns", kind: "resource" });
    writeFileSync(path.join(dir, "notes.txt"), "not an entry");

    expect(navEntries(dir).map((entry) => entry.href)).toEqual([
      "/campaigns",
      "/leads",
      "/reports",
    ]);
  });

  it("is empty before anything is generated", () => {
    expect(navEntries(path.join(tmpdir(), "no-such-nav-folder"))).toEqual([]);
  });
});
