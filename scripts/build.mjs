// Builds everything: the rule bundle (validated), the `redline` CLI, then the extension.
//   node scripts/build.mjs            all three
//   node scripts/build.mjs --no-ext   rule bundle and CLI only
import { execFileSync } from "node:child_process"
import { chmodSync } from "node:fs"

import { build } from "esbuild"

const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit" })

await build({
  entryPoints: ["src/rules/compile.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: "dist/compile-rules.mjs",
  packages: "external",
  logLevel: "warning"
})
try {
  run(process.execPath, ["dist/compile-rules.mjs", "rules", "src/generated/rules.json"])
} catch {
  process.exit(1)
}

await build({
  entryPoints: ["src/cli/main.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: "dist/cli.js",
  banner: { js: "#!/usr/bin/env node" },
  logLevel: "warning"
})
chmodSync("dist/cli.js", 0o755)
console.log("cli: dist/cli.js")

if (!process.argv.includes("--no-ext")) {
  run("npx", ["plasmo", "build", "--src-path=.", "--target=chrome-mv3"])
  console.log("extension: build/chrome-mv3-prod (load it unpacked at chrome://extensions)")
}
