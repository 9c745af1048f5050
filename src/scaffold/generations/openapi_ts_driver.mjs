// Run by scaffold (generations/openapi_ts_driver.py) with `node --input-type=module -e`, in a
// scratch copy of the frontend beside a link to its node_modules. Loading openapi-ts (it
// imports the TypeScript compiler) is most of its time, so it loads while the backend's
// Python dumps the OpenAPI document, then waits: "go" on stdin means openapi.json is written;
// stdin closed without it means the run needs no types (nothing generated, exit 0).
let createClient;
try {
  ({ createClient } = await import("@hey-api/openapi-ts"));
} catch (error) {
  console.error(`cannot load @hey-api/openapi-ts: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

let said = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) {
  said += chunk;
}
if (said.trim() !== "go") {
  process.exit(0);
}
try {
  // `{}`: what the `openapi-ts` command passes without arguments, so that the project's
  // openapi-ts.config.ts is read and applied exactly as `npm run api:types` does
  await createClient({});
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
// as the command does: a plugin's open handle must not keep this process alive
process.exit(0);
