/**
 * `npm run bench:patterns`: what each regular expression of the packs costs per 1,000-character note, most expensive
 * first. A pattern runs only on notes containing one of its required literals (its triggers, found by the engine's
 * automaton pass) and, for a text-view pattern with one, one of the characters compaction drops that it needs (its
 * watched characters); "runs" is the share of notes where that happens, "µs/note" the cost averaged over all notes
 * (each run over the whole note: the engine runs most patterns only in windows around their triggers, so less).
 */
import { buildT2sTable, compactOf, normalizeField } from "../../src/engine/normalize"
import { requiredLiterals } from "../../src/engine/required"
import { buildBundle } from "../../src/rules/load"
import { generateNotes } from "./notes"

const bundle = buildBundle(process.argv[2] ?? "rules")
const t2s = buildT2sTable(bundle.t2s)
const views = generateNotes(500, 1000).map((n) => normalizeField(n, t2s))
const rows: { us: number; runs: number; name: string; triggers: string }[] = []
for (const pack of bundle.packs) {
  for (const rule of pack.rules) {
    const sources = [...(rule.patterns ?? []).map((p) => ["compact", p] as const), ...(rule.textPatterns ?? []).map((p) => ["text", p] as const)]
    for (const [view, source] of sources) {
      const triggers = requiredLiterals(source, view === "text" ? (ch) => compactOf(ch, t2s) : undefined)
      const watched = view === "text" ? (bundle.analysis?.text[source]?.dropped ?? null) : null
      const re = new RegExp(source, "gu")
      let runs = 0
      const t0 = performance.now()
      for (let round = 0; round < 2; round++) {
        for (const v of views) {
          if (triggers && !triggers.every((set) => set.some((t) => v.compact.text.includes(t)))) continue
          if (watched && !watched.some((ch) => v.text.text.includes(ch))) continue
          runs++
          const s = view === "compact" ? v.compact.text : v.text.text
          re.lastIndex = 0
          while (re.exec(s)) if (re.lastIndex === 0) break
        }
      }
      rows.push({
        us: ((performance.now() - t0) * 1000) / views.length / 2,
        runs: runs / views.length / 2,
        name: `${rule.id} [${view}] ${source}`,
        triggers: triggers ? triggers.map((set) => set.slice(0, 4).join("|") + (set.length > 4 ? "|…" : "")).join(" & ") : "(always)"
      })
    }
  }
}
rows.sort((a, b) => b.us - a.us)
console.log(`${rows.length} patterns, ${rows.reduce((n, r) => n + r.us, 0).toFixed(1)} µs per 1,000-character note in all (includes the trigger look-up)`)
console.log("  µs/note   runs   triggers → pattern")
for (const r of rows) {
  const name = r.name.length > 110 ? r.name.slice(0, 110) + "…" : r.name
  console.log(`${r.us.toFixed(2).padStart(9)} ${(r.runs * 100).toFixed(0).padStart(5)}%   ${r.triggers} → ${name}`)
}
