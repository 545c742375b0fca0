// Runs a TypeScript entry as compiled JavaScript: esbuild bundles it (dependencies stay external) into dist/run/,
// then Node imports it. Used by `npm run bench`, `npm run bench:e2e` and `npm run eval`.
//   node scripts/run-ts.mjs <entry.ts> [args…]
import { basename } from "node:path"
import { pathToFileURL } from "node:url"

import { build } from "esbuild"

const [entry, ...args] = process.argv.slice(2)
if (!entry) {
  console.error("usage: node scripts/run-ts.mjs <entry.ts> [args…]")
  process.exit(2)
}
const outfile = `dist/run/${basename(entry).replace(/\.ts$/, "")}.mjs`
await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", target: "node20", outfile, packages: "external", logLevel: "warning" })
process.argv = [process.argv[0], outfile, ...args]
await import(pathToFileURL(outfile).href)
