/**
 * The `redline` command line: the same engine and rule bundle as the extension, over files.
 *   redline check [--format text|json] [--packs all|<id,id>] [--allow <term,term>] [--lang zh|en] <file…|->
 *   redline rules [--format json]
 * Exit codes: 0 no error findings, 1 some error finding, 2 usage or input error (other inputs are still checked).
 */
import { readFileSync } from "node:fs"
import { extname } from "node:path"
import { parseArgs } from "node:util"

import bundleJson from "../generated/rules.json"
import { compileEngine, type EngineSettings } from "../engine/engine"
import type { Finding, Note } from "../engine/types"
import type { RuleBundle } from "../rules/schema"
import { formatJson, formatText, type NoteResult } from "./format"

const bundle = bundleJson as RuleBundle

const USAGE = `用法 Usage:
  redline check [--format text|json] [--packs all|<id,id>] [--allow <term,term>] [--lang zh|en] <file…|->
  redline rules [--format json]

  .txt/.md 文件是一篇笔记的正文；.json 文件是 {"title","body"} 或其数组；- 读取标准输入。
  A .txt/.md file is a note body; a .json file holds {"title","body"} or an array of them; - reads stdin.
  Exit: 0 no error findings, 1 some error findings, 2 usage or input error.`

class InputError extends Error {}

function readSource(source: string): string {
  if (source === "-") return readFileSync(0, "utf8")
  try {
    return readFileSync(source, "utf8")
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new InputError(code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory" : (e as Error).message)
  }
}

function toNote(value: unknown, where: string): Note {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InputError(`${where} is not an object with "body"`)
  const v = value as Record<string, unknown>
  if (typeof v.body !== "string") throw new InputError(`${where} has no string "body"`)
  if (v.title !== undefined && typeof v.title !== "string") throw new InputError(`${where} has a non-string "title"`)
  return { title: (v.title as string | undefined) ?? "", body: v.body }
}

/** Parses one input into its notes. JSON: an object or an array of objects; anything else: a note body. */
export function parseNotes(source: string, text: string): Note[] {
  const isJson = extname(source).toLowerCase() === ".json" || (source === "-" && /^\s*[[{]/.test(text))
  if (!isJson) return [{ title: "", body: text }]
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    throw new InputError(`invalid JSON: ${(e as Error).message}`)
  }
  if (Array.isArray(value)) return value.map((item, i) => toNote(item, `note [${i}]`))
  return [toNote(value, "the note")]
}

function commandCheck(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: "string", default: "text" },
      packs: { type: "string" },
      allow: { type: "string" },
      lang: { type: "string", default: "zh" }
    }
  })
  if (values.format !== "text" && values.format !== "json") throw new UsageError(`--format must be text or json, not "${values.format}"`)
  if (values.lang !== "zh" && values.lang !== "en") throw new UsageError(`--lang must be zh or en, not "${values.lang}"`)
  if (positionals.length === 0) throw new UsageError("no input files (use - for standard input)")
  const settings: EngineSettings = {}
  if (values.packs !== undefined) {
    const known = new Set(bundle.packs.map((p) => p.id))
    const wanted = values.packs === "all" ? [...known] : values.packs.split(",").map((s) => s.trim()).filter(Boolean)
    const unknown = wanted.filter((id) => !known.has(id))
    if (unknown.length) throw new UsageError(`unknown pack "${unknown[0]}" (known: ${[...known].join(", ")})`)
    settings.packs = Object.fromEntries([...known].map((id) => [id, wanted.includes(id)]))
  }
  if (values.allow) settings.allowlist = values.allow.split(",").map((s) => s.trim()).filter(Boolean)
  const engine = compileEngine(bundle, settings)

  const results: NoteResult[] = []
  let inputError = false
  for (const source of positionals) {
    try {
      const notes = parseNotes(source, readSource(source))
      notes.forEach((note, index) => results.push({ source, index, note, findings: engine.check(note) }))
    } catch (e) {
      if (!(e instanceof InputError)) throw e
      inputError = true
      process.stderr.write(`redline: ${source === "-" ? "<stdin>" : source}: ${e.message}\n`)
    }
  }
  process.stdout.write(values.format === "json" ? formatJson(results) : formatText(results, values.lang as "zh" | "en"))
  if (inputError) return 2
  return results.some((r) => r.findings.some((f: Finding) => f.severity === "error")) ? 1 : 0
}

function commandRules(args: string[]): number {
  const { values } = parseArgs({ args, options: { format: { type: "string", default: "text" } } })
  if (values.format === "json") {
    const packs = bundle.packs.map((p) => ({
      id: p.id,
      name: p.name,
      industry: p.industry ?? null,
      enabledByDefault: p.enabledByDefault,
      rules: p.rules.map((r) => ({
        id: r.id,
        category: r.category,
        severity: r.severity,
        terms: r.terms ?? [],
        patterns: [...(r.patterns ?? []), ...(r.textPatterns ?? [])]
      }))
    }))
    process.stdout.write(JSON.stringify({ packs }, null, 2) + "\n")
    return 0
  }
  if (values.format !== "text") throw new UsageError(`--format must be text or json, not "${values.format}"`)
  for (const p of bundle.packs) {
    process.stdout.write(`${p.id}  ${p.name.zh} · ${p.name.en}  (${p.rules.length} rules${p.enabledByDefault ? "" : ", off by default"})\n`)
    for (const r of p.rules) process.stdout.write(`  ${r.severity.padEnd(7)} ${r.id}  ${r.message.zh}\n`)
  }
  return 0
}

class UsageError extends Error {}

export function main(argv: string[]): number {
  const [command, ...rest] = argv
  try {
    if (command === "check") return commandCheck(rest)
    if (command === "rules") return commandRules(rest)
    if (command === "--help" || command === "-h" || command === "help") {
      process.stdout.write(USAGE + "\n")
      return 0
    }
    throw new UsageError(command ? `unknown command "${command}"` : "no command")
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`redline: ${(e as Error).message}\n${USAGE}\n`)
      return 2
    }
    throw e
  }
}

// A reader that stops early (`redline rules --format json | head`) closes the pipe: stop quietly, as other CLIs do.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e
  process.exit(process.exitCode ?? 0)
})
process.exitCode = main(process.argv.slice(2))
