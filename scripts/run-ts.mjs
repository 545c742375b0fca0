// Runs a TypeScript entry as compiled JavaScript: esbuild bundles it (dependencies stay external) into dist/run/,
// then Node imports it. Each source file's `import.meta.url` is kept as that file's own URL, so code that finds files
// relative to itself (the e2e harness, the replica's build) works from the bundle too.
// Used by `npm run bench`, `npm run bench:patterns`, `npm run bench:e2e` and `npm run eval`.
//   node scripts/run-ts.mjs <entry.ts> [args…]
import { readFile } from "node:fs/promises"
import { basename } from "node:path"
import { pathToFileURL } from "node:url"

import { build } from "esbuild"

const [entry, ...args] = process.argv.slice(2)
if (!entry) {
  console.error("usage: node scripts/run-ts.mjs <entry.ts> [args…]")
  process.exit(2)
}
const outfile = `dist/run/${basename(entry).replace(/\.ts$/, "")}.mjs`
const keepImportMetaUrl = {
  name: "keep-import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8")
      return { contents: source.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader: "ts" }
    })
  }
}
await build({
  entryPoints: [entry],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile,
  packages: "external",
  plugins: [keepImportMetaUrl],
  logLevel: "warning"
})
process.argv = [process.argv[0], outfile, ...args]
await import(pathToFileURL(outfile).href)
