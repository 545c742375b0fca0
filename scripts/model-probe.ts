/**
 * Shows how the clause model scores sentences, next to the rules' findings — for choosing the learned rules' examples
 * (a bad example must be reported by the model and covered by no rule) and for seeing why a clause was underlined:
 *   node scripts/run-ts.mjs scripts/model-probe.ts FILE        (one sentence per line; every pack on)
 * Prints each clause as text=detector score (its neighbours on the line as context)/leading category, then the error and warning findings of the line.
 */
import { readFileSync } from "node:fs"

import { compileEngine } from "../src/engine/engine"
import { detectorScores, forEachClause, loadModel, scoreCategories } from "../src/engine/model"
import { buildT2sTable, normalizeField } from "../src/engine/normalize"
import { buildBundle } from "../src/rules/load"

const bundle = buildBundle("rules")
if (!bundle.model) throw new Error("rules/model.json is missing: run npm run train")
const t2s = buildT2sTable(bundle.t2s)
const model = loadModel(bundle.model)
const engine = compileEngine(bundle, { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, true])) })
const scores = new Float32Array(model.outputs - 1)
console.log(`threshold ${model.threshold}`)
for (const line of readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l.trim())) {
  const compact = normalizeField(line, t2s).compact
  const bounds: number[] = []
  forEachClause(compact.text, (from, to) => bounds.push(from, to))
  const count = bounds.length / 2
  const detected = new Float64Array(count)
  detectorScores(model, compact.text, Int32Array.from(bounds), count, new Float64Array(3 * count), detected)
  const clauses = Array.from(detected, (score, k) => {
    scoreCategories(model, compact.text, bounds[2 * k], bounds[2 * k + 1], scores)
    const best = scores.indexOf(Math.max(...scores))
    return `${compact.text.slice(bounds[2 * k], bounds[2 * k + 1])}=${score.toFixed(2)}/${model.categories[best]}`
  })
  const findings = engine.check({ title: "", body: line }).filter((f) => f.severity !== "info")
  console.log(`${clauses.join(" | ")}  →  ${findings.map((f) => `${f.ruleId}「${f.text}」`).join(", ") || "-"}`)
}
