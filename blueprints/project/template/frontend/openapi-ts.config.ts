/**
 * TypeScript types and zod schemas generated from the backend's OpenAPI document
 * (`npm run api:types`). scaffold dumps the document to openapi.json and runs this after
 * every generation, migration or destroy that changes the API; never edit the output.
 */
import { defineConfig } from "@hey-api/openapi-ts";

export default defineConfig({
  input: "./openapi.json",
  output: "src/lib/api/generated",
  plugins: ["@hey-api/typescript", "zod"],
});
