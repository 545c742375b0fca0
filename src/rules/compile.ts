/** Build step: validate rules/*.yaml and write the one JSON bundle (`node dist/compile-rules.mjs [rulesDir] [out]`). */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"

import { buildBundle, RulePackError } from "./load"

const [rulesDir = "rules", out = "src/generated/rules.json"] = process.argv.slice(2)
try {
  const t0 = performance.now()
  const bundle = buildBundle(rulesDir)
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, JSON.stringify(bundle))
  const rules = bundle.packs.reduce((n, p) => n + p.rules.length, 0)
  console.log(`rules: ${bundle.packs.length} packs, ${rules} rules → ${out} (${(performance.now() - t0).toFixed(0)} ms)`)
} catch (e) {
  if (e instanceof RulePackError) {
    console.error(`rules: ${e.errors.length} problem(s) in ${rulesDir}/:\n` + e.errors.map((x) => "  " + x).join("\n"))
    process.exit(1)
  }
  throw e
}
