/**
 * `npm run bench:patterns`: what each regular expression of the packs costs per 1,000-character note, most expensive
 * first — for rule authors choosing between a whole-field pattern and terms with context.
 */
import { buildT2sTable, normalizeField } from "../../src/engine/normalize"
import { buildBundle } from "../../src/rules/load"
import { generateNotes } from "./notes"

const bundle = buildBundle(process.argv[2] ?? "rules")
const t2s = buildT2sTable(bundle.t2s)
const views = generateNotes(500, 1000).map((n) => normalizeField(n, t2s))
const rows: [number, string][] = []
for (const pack of bundle.packs) {
  for (const rule of pack.rules) {
    const sources = [...(rule.patterns ?? []).map((p) => ["compact", p] as const), ...(rule.textPatterns ?? []).map((p) => ["text", p] as const)]
    for (const [view, source] of sources) {
      const re = new RegExp(source, "gu")
      const t0 = performance.now()
      for (let round = 0; round < 2; round++) {
        for (const v of views) {
          const s = view === "compact" ? v.compact.text : v.text.text
          re.lastIndex = 0
          while (re.exec(s)) if (re.lastIndex === 0) break
        }
      }
      rows.push([((performance.now() - t0) * 1000) / views.length / 2, `${rule.id} [${view}] ${source}`])
    }
  }
}
rows.sort((a, b) => b[0] - a[0])
console.log(`${rows.length} patterns, ${rows.reduce((n, r) => n + r[0], 0).toFixed(1)} µs per 1,000-character note in all`)
for (const [us, name] of rows) console.log(`${us.toFixed(2).padStart(8)} µs  ${name.length > 140 ? name.slice(0, 140) + "…" : name}`)
