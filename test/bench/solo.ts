/**
 * One checkout's engine alone in a process, on this checkout's rules and the bench notes (nothing asserted):
 *   node scripts/run-ts.mjs test/bench/solo.ts <checkout> [pack,pack…]   (the listed packs off, e.g. learned)
 * Prints three rounds of the median µs per note (wall clock) and of the mean CPU µs per note (process.cpuUsage, which
 * other processes' load does not inflate). Run it alternately for two checkouts to compare them as they run in
 * production, one engine per process: test/bench/ab.ts puts both engines in one process, where their thousands of
 * regular expressions share V8's caches, and it has ranked changes differently from separate processes.
 */
import { resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { build } from "esbuild"
import { buildBundle } from "../../src/rules/load"
import { generateNotes } from "./notes"
const dir = process.argv[2]
const off = (process.argv[3] ?? "").split(",").filter(Boolean)
const out = resolve(`dist/run/solo-${Date.now()}.mjs`)
await build({ entryPoints: [resolve(dir, "src/engine/engine.ts")], bundle: true, platform: "node", format: "esm", outfile: out, logLevel: "error" })
const { compileEngine } = await import(pathToFileURL(out).href)
const bundle = buildBundle("rules")
const e = compileEngine(bundle, { packs: Object.fromEntries(bundle.packs.map((p: { id: string }) => [p.id, !off.includes(p.id)])) })
const notes = generateNotes(2000, 1000)
let sink = 0
for (const n of notes) sink ^= e.check({ title: "", body: n }).length
const res: number[] = []
const cpu: number[] = []
for (let r = 0; r < 3; r++) {
  const c0 = process.cpuUsage()
  for (const n of notes) sink ^= e.check({ title: "", body: n }).length
  const c1 = process.cpuUsage(c0)
  cpu.push((c1.user + c1.system) / notes.length)
  const times: number[] = []
  for (const n of notes) { const t0 = performance.now(); sink ^= e.check({ title: "", body: n }).length; times.push(performance.now() - t0) }
  times.sort((a, b) => a - b)
  res.push(times[1000] * 1000)
}
console.log(dir, off.length ? `(off: ${off.join(",")})` : "", "median", res.map((x) => x.toFixed(1)).join(" "), "cpu mean", cpu.map((x) => x.toFixed(1)).join(" "), sink === 0.5 ? "" : "")
