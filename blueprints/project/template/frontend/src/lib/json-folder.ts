/**
 * A folder of small JSON files, one per generation (`src/app/_nav/`, `src/app/_catalog/`):
 * each file checked against its schema. scaffold adds and removes the files; the indexes that
 * read them never change. A missing folder has no entries.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import type { z } from "zod";

export function readJsonFolder<T>(dir: string, schema: z.ZodType<T>): T[] {
  let names: string[];
  try {
    names = readdirSync(/*turbopackIgnore: true*/ dir).filter((name) => name.endsWith(".json"));
  } catch {
    return [];
  }
  return names.map((name) =>
    schema.parse(JSON.parse(readFileSync(/*turbopackIgnore: true*/ path.join(dir, name), "utf8"))),
  );
}
