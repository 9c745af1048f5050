/**
 * The component catalog's index: one JSON file per generated component in
 * `src/app/_catalog/`, written by the generation that made it (with the sample page
 * `/catalog/<name>`) and removed with it.
 */
import path from "node:path";

import { z } from "zod";

import { readJsonFolder } from "@/lib/json-folder";

export const catalogEntrySchema = z.object({
  name: z.string().min(1),
  href: z.string().startsWith("/catalog/"),
  description: z.string(),
});
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

export const CATALOG_DIR = path.join(
  /*turbopackIgnore: true*/ process.cwd(),
  "src",
  "app",
  "_catalog",
);

export function catalogEntries(dir: string = CATALOG_DIR): CatalogEntry[] {
  return readJsonFolder(dir, catalogEntrySchema).sort((a, b) => a.name.localeCompare(b.name));
}
