/**
 * A driver to profile the engine with `node --cpu-prof` (nothing is timed or asserted here):
 *   node scripts/run-ts.mjs test/bench/profile.ts [rulesDir] [check|compile] [rounds]   (builds dist/run/profile.mjs)
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/run/profile.mjs [rulesDir] [check|compile] [rounds]
 * `check` compiles every pack once and checks the bench notes (test/bench/notes.ts) `rounds` times (default 8);
 * `compile` compiles every pack `rounds` times (default 60).
 */
import { compileEngine } from "../../src/engine/engine"
import { buildBundle } from "../../src/rules/load"
import { generateNotes } from "./notes"

const [rulesDir = "rules", mode = "check", roundsArg] = process.argv.slice(2)
const bundle = buildBundle(rulesDir)
const allOn = { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, true])) }
let sink = 0
if (mode === "compile") {
  const rounds = Number(roundsArg ?? 60)
  for (let i = 0; i < rounds; i++) sink ^= compileEngine(bundle, allOn).ruleCount
} else {
  const rounds = Number(roundsArg ?? 8)
  const notes = generateNotes(2000, 1000)
  const engine = compileEngine(bundle, allOn)
  for (let r = 0; r < rounds; r++) for (const body of notes) sink ^= engine.check({ title: "", body }).length
}
console.log(`${mode} done (${sink})`)
