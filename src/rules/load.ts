/**
 * Reads rules/*.yaml (Node only: the build, the CLI's tests, the test suite), validates every file and compiles the
 * packs into one RuleBundle. Every error names the file, the rule id and the field.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { basename, join } from "node:path"

import { parse as parseYaml } from "yaml"
import type { z } from "zod"

import { analyzeBundle } from "../engine/analysis"
import { loadModel, type ModelData } from "../engine/model"
import { ModelDataSchema, PackFileSchema, type PackFile, type PackSpec, type RuleBundle } from "./schema"
import { t2sPairs } from "./t2s"

export class RulePackError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join("\n"))
    this.name = "RulePackError"
  }
}

export interface LoadedPack {
  file: string
  data: PackFile
}

function describeIssue(file: string, data: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path
  let where = ""
  let field = path.join(".")
  if (path[0] === "rules" && typeof path[1] === "number") {
    const rules = (data as { rules?: { id?: unknown }[] })?.rules
    const id = rules?.[path[1]]?.id
    where = ` rule ${typeof id === "string" ? `"${id}"` : `#${path[1] + 1}`}`
    field = path.slice(2).join(".") || "(rule)"
  }
  return `${file}:${where} field "${field || "(file)"}": ${issue.message}`
}

/** Nested quantifiers such as (a+)+ or (\d*)* backtrack catastrophically; reject them outright. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/

/** Problems of a regex source, or null. Context regexes (before/after…) may match the empty string; patterns may not. */
export function checkRegex(source: string, { mayMatchEmpty = false } = {}): string | null {
  let re: RegExp
  try {
    re = new RegExp(source, "gu")
  } catch (e) {
    return `invalid regular expression: ${(e as Error).message}`
  }
  if (NESTED_QUANTIFIER.test(source)) return "nested quantifier (catastrophic backtracking risk)"
  if (!mayMatchEmpty && re.test("")) return "matches the empty string"
  // Probe with long adversarial inputs; a bounded regex finishes these in well under a millisecond each.
  const probes = ["a".repeat(20000) + "!", "1".repeat(20000) + "x", "微".repeat(20000), "a1_".repeat(7000) + "@"]
  const scan = (probe: string): number => {
    const t0 = performance.now()
    re.lastIndex = 0
    for (let m = re.exec(probe); m !== null; m = re.exec(probe)) {
      // An empty match leaves lastIndex where it was: step past it, or a context pattern such as ^(?=x) loops forever.
      if (m[0] === "") re.lastIndex++
      if (re.lastIndex > probe.length) break
    }
    return performance.now() - t0
  }
  for (const probe of probes) {
    // Backtracking is slow every time; a busy machine only sometimes. Judge by the fastest of three scans.
    if (scan(probe) > 200 && scan(probe) > 200 && scan(probe) > 200) {
      return "too slow on a 20,000-character input (backtracking): bound the quantifiers, e.g. {1,64} instead of +"
    }
  }
  return null
}

export function validatePackFile(file: string, raw: string): { data?: PackFile; errors: string[] } {
  let parsed: unknown
  try {
    parsed = parseYaml(raw)
  } catch (e) {
    return { errors: [`${file}: not valid YAML: ${(e as Error).message.split("\n")[0]}`] }
  }
  const result = PackFileSchema.safeParse(parsed)
  if (!result.success) return { errors: result.error.issues.map((issue) => describeIssue(file, parsed, issue)) }
  const data = result.data
  const errors: string[] = []
  const expectedId = basename(file).replace(/\.ya?ml$/, "")
  if (data.pack.id !== expectedId) errors.push(`${file}: field "pack.id": "${data.pack.id}" must equal the file name "${expectedId}"`)
  const seen = new Set<string>()
  for (const rule of data.rules) {
    if (seen.has(rule.id)) errors.push(`${file}: rule "${rule.id}" field "id": duplicate rule id`)
    seen.add(rule.id)
    const regexFields = [
      ...(rule.patterns ?? []).map((p, i) => [`patterns.${i}`, p] as const),
      ...(rule.textPatterns ?? []).map((p, i) => [`textPatterns.${i}`, p] as const),
      ...(rule.before ? [["before", rule.before] as const] : []),
      ...(rule.after ? [["after", rule.after] as const] : []),
      ...(rule.notBefore ? [["notBefore", rule.notBefore] as const] : []),
      ...(rule.notAfter ? [["notAfter", rule.notAfter] as const] : [])
    ]
    for (const [field, source] of regexFields) {
      const problem = checkRegex(source, { mayMatchEmpty: !field.includes("atterns") })
      if (problem) errors.push(`${file}: rule "${rule.id}" field "${field}": ${problem}`)
    }
  }
  const qualificationIds = new Set<string>()
  for (const q of data.qualifications) {
    if (qualificationIds.has(q.id)) errors.push(`${file}: qualification "${q.id}" field "id": duplicate qualification id`)
    qualificationIds.add(q.id)
  }
  return errors.length ? { errors } : { data, errors }
}

/** Loads and validates every pack in `dir`; throws RulePackError listing every problem found. */
export function loadPackFiles(dir: string): LoadedPack[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
  const errors: string[] = []
  const packs: LoadedPack[] = []
  const packIds = new Set<string>()
  for (const f of files) {
    const file = join(dir, f)
    const { data, errors: fileErrors } = validatePackFile(file, readFileSync(file, "utf8"))
    errors.push(...fileErrors)
    if (!data) continue
    if (packIds.has(data.pack.id)) errors.push(`${file}: field "pack.id": duplicate pack id "${data.pack.id}"`)
    packIds.add(data.pack.id)
    packs.push({ file, data })
  }
  if (files.length === 0) errors.push(`${dir}: no rule packs (*.yaml) found`)
  if (errors.length) throw new RulePackError(errors)
  return packs
}

export function toPackSpec({ data }: LoadedPack): PackSpec {
  return {
    ...data.pack,
    qualifications: data.qualifications,
    rules: data.rules.map(({ examples: _examples, id, ...rule }) => ({ ...rule, id: `${data.pack.id}/${id}`, pack: data.pack.id }))
  }
}

/** `<dir>/model.json`, validated (null when there is none); throws RulePackError naming the file and field. */
export function loadModelFile(dir: string): ModelData | null {
  const file = join(dir, "model.json")
  if (!existsSync(file)) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"))
  } catch (e) {
    throw new RulePackError([`${file}: not valid JSON: ${(e as Error).message}`])
  }
  const result = ModelDataSchema.safeParse(parsed)
  if (!result.success) throw new RulePackError(result.error.issues.map((issue) => describeIssue(file, parsed, issue)))
  try {
    loadModel(result.data)
  } catch (e) {
    throw new RulePackError([`${file}: field "${(e as Error).message.split(":")[0]}": ${(e as Error).message.split(": ").slice(1).join(": ")}`])
  }
  return result.data
}

/** The bundle of the packs in `dir`, with `dir/model.json` unless `withModel` is false (the trainer, which writes it). */
export function buildBundle(dir: string, { withModel = true } = {}): RuleBundle {
  const packs = loadPackFiles(dir)
  const bundle: RuleBundle = { version: 1, t2s: t2sPairs(), packs: packs.map(toPackSpec) }
  bundle.analysis = analyzeBundle(bundle)
  if (!withModel) return bundle
  const model = loadModelFile(dir)
  const learned = packs.flatMap(({ file, data }) => data.rules.filter((r) => r.learned).map((r) => `${file}: rule "${r.id}" field "learned": needs ${join(dir, "model.json")} (npm run train)`))
  if (learned.length && !model) throw new RulePackError(learned)
  if (model) {
    const outside = packs.flatMap(({ file, data }) =>
      data.rules
        .filter((r) => r.learned && !model.categories.includes(r.category))
        .map((r) => `${file}: rule "${r.id}" field "category": the model (${join(dir, "model.json")}) has no output for "${r.category}"`)
    )
    if (outside.length) throw new RulePackError(outside)
    const unknown = Object.keys(model.soften).filter((id) => !packs.some(({ data }) => data.pack.id === id))
    if (unknown.length) throw new RulePackError(unknown.map((id) => `${join(dir, "model.json")}: field "soften": no pack "${id}"`))
    bundle.model = model
  }
  return bundle
}
