// Runs test/bench/e2e-latency.ts: esbuild bundles it (dependencies external) and replaces each source file's
// `import.meta.url` with that file's own URL, so the e2e harness and the replica's build find their files.
//   node test/bench/run-e2e.mjs [args…]
import { readFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

import { build } from "esbuild"

const here = dirname(fileURLToPath(import.meta.url))
const outfile = join(here, "..", "..", "dist", "run", "e2e-latency.mjs")
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
  entryPoints: [join(here, "e2e-latency.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile,
  packages: "external",
  plugins: [keepImportMetaUrl],
  logLevel: "warning"
})
await import(pathToFileURL(outfile).href)
