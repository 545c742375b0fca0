/**
 * `npm run bench`: the engine against bare automata, on the same generated 1,000-character notes, every pack on.
 * Prints medians per note and ratios (against our automaton and against a plain textbook one, the yardstick). Figures go in the README; nothing here asserts a time.
 */
import { spawnSync } from "node:child_process"
import { writeFileSync } from "node:fs"

import { AhoCorasick as MonyoneAhoCorasick } from "@monyone/aho-corasick"
import { Mint } from "mint-filter"
import ModernAhoCorasick from "modern-ahocorasick"

import { buildAutomaton } from "../../src/engine/automaton"
import { compileEngine } from "../../src/engine/engine"
import { buildT2sTable, compactOf } from "../../src/engine/normalize"
import { buildBundle } from "../../src/rules/load"
import { generateNotes } from "./notes"
import { PlainAhoCorasick } from "./plain-automaton"

const NOTES = 2000
const NOTE_LENGTH = 1000

const bundle = buildBundle(process.argv[2] ?? "rules")
const allOn = { packs: Object.fromEntries(bundle.packs.map((p) => [p.id, true])) }
const t2s = buildT2sTable(bundle.t2s)
const terms = [...new Set(bundle.packs.flatMap((p) => p.rules.flatMap((r) => r.terms ?? [])).map((t) => compactOf(t, t2s)).filter(Boolean))]

const notes = generateNotes(NOTES, NOTE_LENGTH)

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

/** Median microseconds per note over all notes, after a warm-up pass; each note timed on its own. */
function perNote(name: string, fn: (note: string) => unknown): { name: string; us: number } {
  let sink = 0
  for (let round = 0; round < 2; round++) for (const n of notes) sink ^= Number(Boolean(fn(n)))
  const times: number[] = []
  for (let round = 0; round < 3; round++) {
    for (const n of notes) {
      const t0 = performance.now()
      const r = fn(n)
      times.push((performance.now() - t0) * 1000)
      sink ^= Number(Boolean(r))
    }
  }
  if (sink === 42) console.log("")
  return { name, us: median(times) }
}

// Compile time: every pack, median of 20; the first compile of the process (cold code) is shown as well.
const coldStart = performance.now()
compileEngine(bundle, allOn)
const coldCompile = performance.now() - coldStart
const compileTimes: number[] = []
for (let i = 0; i < 20; i++) {
  const t0 = performance.now()
  compileEngine(bundle, allOn)
  compileTimes.push(performance.now() - t0)
}
/**
 * Builds one implementation right before measuring it, with a full collection before and after the build (when
 * `npm run bench` runs Node with --expose-gc): no implementation is timed while the garbage of another's build is
 * still being marked.
 */
function measure(name: string, build: () => (note: string) => unknown): { name: string; us: number } {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const fn = build()
  gc?.()
  return perNote(name, fn)
}

const results = [
  measure("redline full check (normalise, match, context, note rules)", () => {
    const engine = compileEngine(bundle, allOn)
    return (n) => engine.check({ title: "", body: n }).length
  }),
  // The two scan loops below are written out separately on purpose: one shared counting closure would make its
  // `scan` call site polymorphic, and the second implementation timed would pay for the first.
  measure("redline bare automaton (code units)", () => {
    const ours = buildAutomaton(terms)
    return (n) => {
      let hits = 0
      ours.scan(n, () => hits++)
      return hits
    }
  }),
  measure("plain Aho–Corasick, Map transitions (the issue's yardstick)", () => {
    const plain = new PlainAhoCorasick(terms)
    return (n) => {
      let hits = 0
      plain.scan(n, () => hits++)
      return hits
    }
  }),
  measure("@monyone/aho-corasick matchInText", () => {
    const monyone = new MonyoneAhoCorasick(terms)
    return (n) => monyone.matchInText(n).length
  }),
  measure("mint-filter filter(replace:false)", () => {
    const mint = new Mint(terms)
    return (n) => mint.filter(n, { replace: false }).words.length
  }),
  measure("modern-ahocorasick search", () => {
    const modern = new ModernAhoCorasick(terms)
    return (n) => modern.search(n).length
  })
]

// CLI start-up: compiled JavaScript, one small note, median of 5 runs.
writeFileSync("dist/run/bench-note.txt", "最近在学做饭，第一次做红烧肉。")
const cliTimes: number[] = []
for (let i = 0; i < 5; i++) {
  const t0 = performance.now()
  spawnSync(process.execPath, ["dist/cli.js", "check", "dist/run/bench-note.txt"])
  cliTimes.push(performance.now() - t0)
}

const full = results[0].us
const bare = results[1].us
const yardstick = results[2].us
console.log(`Redline engine benchmark — ${NOTES} generated notes × ${NOTE_LENGTH} chars, every pack on`)
const engine = compileEngine(bundle, allOn)
console.log(`packs ${bundle.packs.length}, rules ${engine.ruleCount}, literal terms ${terms.length}, automaton nodes ${buildAutomaton(terms).nodeCount}`)
console.log("")
console.log("median µs/note   vs full check   implementation")
for (const r of results) console.log(`${r.us.toFixed(1).padStart(14)}   ${(r.us / full).toFixed(2).padStart(12)}×   ${r.name}`)
console.log("")
console.log(`full check / plain Map-transition automaton: ${(full / yardstick).toFixed(2)}×   (target ≤ 2×)`)
console.log(`full check / our bare automaton: ${(full / bare).toFixed(2)}×`)
console.log(`full check median: ${full.toFixed(1)} µs   (target ≤ 40 µs, faster than every npm package)`)
console.log(`compile every pack: ${median(compileTimes).toFixed(1)} ms median of 20, first compile ${coldCompile.toFixed(1)} ms   (target ≤ 20 ms)`)
console.log(`CLI start + check one note (node dist/cli.js): ${median(cliTimes).toFixed(0)} ms median of 5`)
