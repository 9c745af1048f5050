/**
 * The app's navigation: one small JSON file per generated resource or page in
 * `src/app/_nav/` (a private folder: no route), written by the generation that made the
 * screen and removed with it. This index never changes: it reads the folder.
 *
 *   { "href": "/campaigns", "label": "Campaigns", "kind": "resource" }
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import { z } from "zod";

export const navEntrySchema = z.object({
  href: z.string().startsWith("/"),
  label: z.string().min(1),
  kind: z.enum(["resource", "page"]),
});
export type NavEntry = z.infer<typeof navEntrySchema>;

export const NAV_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "src", "app", "_nav");

/** Every entry of `dir`, resources first, then by label. */
export function navEntries(dir: string = NAV_DIR): NavEntry[] {
  let names: string[];
  try {
    names = readdirSync(/*turbopackIgnore: true*/ dir).filter((name) => name.endsWith(".json"));
  } catch {
    return [];
  }
  return names
    .map((name) =>
      navEntrySchema.parse(
        JSON.parse(readFileSync(/*turbopackIgnore: true*/ path.join(dir, name), "utf8")),
      ),
    )
    .sort((a, b) =>
      a.kind === b.kind ? a.label.localeCompare(b.label) : a.kind === "resource" ? -1 : 1,
    );
}
