/**
 * A/B timing of another checkout's engine ("A", e.g. main before a change) against this checkout's ("B"), in one
 * process, on the same rules and notes, alternating (nothing asserted; figures for the README):
 *   node --expose-gc scripts/run-ts.mjs test/bench/ab.ts <baseline checkout> [rulesDir] [rounds]
 * e.g. `git worktree add /tmp/ab-base <commit>` then `… test/bench/ab.ts /tmp/ab-base rules 3`. Both engines get
 * this checkout's bundle of `rulesDir` (an engine ignores analysis it does not know). Prints, per round, each
 * engine's median µs per note and the plain Map-transition automaton (the yardstick) measured right after;
 * then "block minima": the notes in blocks of 100, each block timed for A and B back to back, keeping each block's
 * fastest pass — preemption by other processes only ever adds time, so on a busy machine this is the steadiest
 * comparison.
 */
import { resolve } from "node:path"
import { pathToFileURL } from "node:url"

import { build } from "esbuild"

import { compileEngine as compileB } from "../../src/engine/engine"
import { buildT2sTable, compactOf } from "../../src/engine/normalize"
import { buildBundle } from "../../src/rules/load"
import { generateNotes } from "./notes"
import { PlainAhoCorasick } from "./plain-automaton"

const [baseline, rulesDir = "rules", roundsArg = "3"] = process.argv.slice(2)
if (!baseline) {
  console.error("usage: node --expose-gc scripts/run-ts.mjs test/bench/ab.ts <baseline checkout> [rulesDir] [rounds]")
  process.exit(2)
}
const baseOut = resolve("dist/run/ab-baseline-engine.mjs")
await build({ entryPoints: [resolve(baseline, "src/engine/engine.ts")], bundle: true, platform: "node", format: "esm", outfile: baseOut, logLevel: "error" })
const { compileEngine: compileA } = (await import(pathToFileURL(baseOut).href)) as { compileEngine: typeof compileB }

const bundle = buildBundle(rulesDir)
const rounds = Number(roundsArg)
const allOn = { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, true])) }
const notes = generateNotes(2000, 1000)
const t2s = buildT2sTable(bundle.t2s)
const terms = [...new Set(bundle.packs.flatMap((p) => p.rules.flatMap((r) => r.terms ?? [])).map((t) => compactOf(t, t2s)).filter(Boolean))]

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}
function perNote(fn: (note: string) => number): number {
  let sink = 0
  for (const n of notes) sink ^= fn(n)
  const times: number[] = []
  for (let pass = 0; pass < 2; pass++) {
    for (const n of notes) {
      const t0 = performance.now()
      sink ^= fn(n)
      times.push((performance.now() - t0) * 1000)
    }
  }
  if (sink === 0.5) console.log("")
  return median(times)
}
const gc = (globalThis as { gc?: () => void }).gc
const a = compileA(bundle, allOn)
const b = compileB(bundle, allOn)
const plain = new PlainAhoCorasick(terms)
for (let r = 0; r < rounds; r++) {
  // Alternating which goes first.
  const order = r % 2 === 0 ? [a, b] : [b, a]
  const t: number[] = []
  for (const engine of order) {
    gc?.()
    t.push(perNote((n) => engine.check({ title: "", body: n }).length))
  }
  const [ta, tb] = r % 2 === 0 ? t : [t[1], t[0]]
  gc?.()
  const tp = perNote((n) => {
    let hits = 0
    plain.scan(n, () => hits++)
    return hits
  })
  console.log(`round ${r + 1}: A ${ta.toFixed(1)} µs (${(ta / tp).toFixed(2)}×)  B ${tb.toFixed(1)} µs (${(tb / tp).toFixed(2)}×)  B/A ${(tb / ta).toFixed(3)}  yardstick ${tp.toFixed(1)} µs`)
}

// Block minimum: the notes in blocks of 100, each block timed whole for A and B back to back (order alternating),
// keeping each block's fastest of `rounds` passes: preemption by other processes only ever adds time, so the sum of
// the minima is the steadiest figure on a busy machine.
{
  const BLOCK = 100
  const blocks = Math.ceil(notes.length / BLOCK)
  const minA = new Array(blocks).fill(Infinity)
  const minB = new Array(blocks).fill(Infinity)
  let sink = 0
  for (let pass = 0; pass < rounds * 2; pass++) {
    for (let k = 0; k < blocks; k++) {
      const part = notes.slice(k * BLOCK, (k + 1) * BLOCK).map((body) => ({ title: "", body }))
      for (const which of (pass + k) % 2 === 0 ? [0, 1] : [1, 0]) {
        const engine = which === 0 ? a : b
        const t0 = performance.now()
        for (const note of part) sink ^= engine.check(note).length
        const t = ((performance.now() - t0) * 1000) / part.length
        if (which === 0) minA[k] = Math.min(minA[k], t)
        else minB[k] = Math.min(minB[k], t)
      }
    }
  }
  const sumA = minA.reduce((x, y) => x + y, 0) / blocks
  const sumB = minB.reduce((x, y) => x + y, 0) / blocks
  if (sink === 0.5) console.log("")
  console.log(`block minima (mean µs per note): A ${sumA.toFixed(1)}  B ${sumB.toFixed(1)}  B/A ${(sumB / sumA).toFixed(3)}`)
}
