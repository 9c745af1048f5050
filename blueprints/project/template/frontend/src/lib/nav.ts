/**
 * The app's navigation: one small JSON file per generated resource or page in
 * `src/app/_nav/` (a private folder: no route), written by the generation that made the
 * screen and removed with it. This index never changes: it reads the folder.
 *
 *   { "href": "/campaigns", "label": "Campaigns", "kind": "resource" }
 */
import path from "node:path";

import { z } from "zod";

import { readJsonFolder } from "@/lib/json-folder";

export const navEntrySchema = z.object({
  href: z.string().startsWith("/"),
  label: z.string().min(1),
  kind: z.enum(["resource", "page"]),
});
export type NavEntry = z.infer<typeof navEntrySchema>;

export const NAV_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "src", "app", "_nav");

/** Every entry of `dir`, resources first, then by label. */
export function navEntries(dir: string = NAV_DIR): NavEntry[] {
  return readJsonFolder(dir, navEntrySchema).sort((a, b) =>
    a.kind === b.kind ? a.label.localeCompare(b.label) : a.kind === "resource" ? -1 : 1,
  );
}
