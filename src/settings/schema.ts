/**
 * The user's settings: schema, defaults, migration from older stored shapes, and validation of imported files.
 * Browser-agnostic; the background worker, the content script, the popup and options all read settings through here.
 */
import * as z from "zod"
import { CATEGORIES, SEVERITIES, type Category, type Severity } from "../engine/types"
import { INDUSTRIES } from "./packs"

export const SETTINGS_VERSION = 1
/** chrome.storage.local key holding the persisted settings (zustand persist shape `{ state, version }`). */
export const SETTINGS_STORAGE_KEY = "settings"
/** Imported settings files larger than this are rejected before parsing. */
export const MAX_IMPORT_BYTES = 1024 * 1024
export const CHECK_DELAY_MIN = 100
export const CHECK_DELAY_MAX = 2000

export interface CustomTerm {
  term: string
  category: Category
  severity: Severity
  message: string
}

export interface RuleOverride {
  enabled?: boolean
  severity?: Severity
}

export interface Settings {
  version: 1
  /** pack id -> enabled; absent = the pack's enabledByDefault */
  packs: Record<string, boolean>
  /** full rule id "<pack>/<id>" -> override */
  rules: Record<string, RuleOverride>
  customTerms: CustomTerm[]
  /** phrases never flagged */
  allowlist: string[]
  /** publish gate on */
  gate: boolean
  checkDelayMs: number
  language: "zh" | "en"
  /** checklist industries picked */
  industries: string[]
  /** "<pack>/<qualification id>" -> done */
  checklist: Record<string, boolean>
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const PackIdSchema = z.string().regex(ID, { error: "pack id must be kebab-case" })
const QualifiedIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'must look like "<pack>/<id>"' })

export const CustomTermSchema = z.strictObject({
  term: z.string().trim().min(1).max(100),
  category: z.enum(CATEGORIES),
  severity: z.enum(SEVERITIES),
  message: z.string().trim().max(500)
})

export const RuleOverrideSchema = z.strictObject({
  enabled: z.boolean().optional(),
  severity: z.enum(SEVERITIES).optional()
})

export const SettingsSchema = z.strictObject({
  version: z.literal(SETTINGS_VERSION),
  packs: z.record(PackIdSchema, z.boolean()),
  rules: z.record(QualifiedIdSchema, RuleOverrideSchema),
  customTerms: z.array(CustomTermSchema).max(5000),
  allowlist: z.array(z.string().trim().min(1).max(200)).max(10000),
  gate: z.boolean(),
  checkDelayMs: z.number().int().min(CHECK_DELAY_MIN).max(CHECK_DELAY_MAX),
  language: z.enum(["zh", "en"]),
  industries: z.array(z.enum(INDUSTRIES)).max(INDUSTRIES.length),
  checklist: z.record(QualifiedIdSchema, z.boolean())
})

// The schema's output must be a Settings (compile-time check).
const _schemaMatchesInterface: (s: z.output<typeof SettingsSchema>) => Settings = (s) => s
void _schemaMatchesInterface

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  version: 1,
  packs: {},
  rules: {},
  customTerms: [],
  allowlist: [],
  gate: true,
  checkDelayMs: 300,
  language: "zh",
  industries: [],
  checklist: {}
}) as Settings

/** A fresh, mutable copy of the defaults. */
export function defaultSettings(): Settings {
  return structuredClone({ ...DEFAULT_SETTINGS })
}

export const SETTINGS_FIELDS = Object.keys(SettingsSchema.shape) as (keyof Settings)[]

/**
 * Version 0 (Redline 0.0.x, before zustand): a flat object stored under the same key.
 * Kept only so that old installs migrate.
 */
export interface SettingsV0 {
  enabledPacks?: string[]
  disabledPacks?: string[]
  disabledRules?: string[]
  allow?: string[]
  words?: string[]
  gateOn?: boolean
  delay?: number
  lang?: string
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []
}

/** Version 0 → version 1. Unknown or mistyped fields are dropped; the result still goes through coerceSettings. */
export function migrateV0(old: SettingsV0 | Record<string, unknown>): Record<string, unknown> {
  const v0 = old as Record<string, unknown>
  const packs: Record<string, boolean> = {}
  for (const id of strings(v0.enabledPacks)) packs[id] = true
  for (const id of strings(v0.disabledPacks)) packs[id] = false
  const rules: Record<string, RuleOverride> = {}
  for (const id of strings(v0.disabledRules)) rules[id] = { enabled: false }
  const delay = typeof v0.delay === "number" ? Math.round(v0.delay) : DEFAULT_SETTINGS.checkDelayMs
  return {
    version: 1,
    packs,
    rules,
    customTerms: strings(v0.words)
      .map((w) => w.trim())
      .filter((w) => w.length > 0)
      .map((term) => ({ term, category: "low-quality", severity: "warning", message: "自定义词 · Custom term" })),
    allowlist: strings(v0.allow),
    gate: typeof v0.gateOn === "boolean" ? v0.gateOn : DEFAULT_SETTINGS.gate,
    checkDelayMs: Math.min(CHECK_DELAY_MAX, Math.max(CHECK_DELAY_MIN, delay)),
    language: typeof v0.lang === "string" && v0.lang.toLowerCase().startsWith("en") ? "en" : "zh"
  }
}

/**
 * Any valid-or-not object claiming to be settings → valid Settings, field by field:
 * a field that fails the schema takes its default, the others are kept.
 */
export function coerceSettings(value: unknown): Settings {
  const out = defaultSettings() as unknown as Record<string, unknown>
  if (!isRecord(value)) return out as unknown as Settings
  const shape = SettingsSchema.shape as Record<string, z.ZodType>
  for (const field of SETTINGS_FIELDS) {
    if (field === "version") continue
    const parsed = shape[field].safeParse(value[field])
    if (parsed.success) out[field] = parsed.data
  }
  out.version = SETTINGS_VERSION
  return out as unknown as Settings
}

/** zustand persist `migrate(persistedState, version)`: any stored version → current Settings. */
export function migrate(persisted: unknown, version: number): Settings {
  let state = persisted
  if (version < 1 && isRecord(state)) state = migrateV0(state)
  return coerceSettings(state)
}

/** Unwraps what may be stored under the key: persist shape, a JSON string of it, or the old flat v0 object. */
export function unwrapStored(raw: unknown): { state: unknown; version: number } | null {
  let value = raw
  if (typeof value === "string") {
    try {
      value = JSON.parse(value)
    } catch {
      return null
    }
  }
  if (!isRecord(value)) return null
  // `storage.local.get(SETTINGS_STORAGE_KEY)` result passed whole
  if (SETTINGS_STORAGE_KEY in value && !("state" in value) && !("packs" in value) && !("enabledPacks" in value)) {
    return unwrapStored(value[SETTINGS_STORAGE_KEY])
  }
  if ("state" in value && typeof value.version === "number") return { state: value.state, version: value.version }
  if (typeof value.version === "number") return { state: value, version: value.version }
  return { state: value, version: 0 }
}

/**
 * Whatever is stored under SETTINGS_STORAGE_KEY (the zustand persist shape, a JSON string of it, the v0 shape,
 * or undefined) → migrated, valid Settings. Missing or invalid parts take their defaults. Never throws.
 */
export function readStoredSettings(raw: unknown): Settings {
  const unwrapped = unwrapStored(raw)
  if (!unwrapped) return defaultSettings()
  return migrate(unwrapped.state, unwrapped.version)
}

/** The value written under SETTINGS_STORAGE_KEY (the zustand persist shape). */
export function toStoredValue(settings: Settings): { state: Settings; version: number } {
  return { state: settings, version: SETTINGS_VERSION }
}

/** Settings → the text of an exported file. */
export function exportSettingsJson(settings: Settings): string {
  return JSON.stringify(pickSettings(settings), null, 2) + "\n"
}

/** Only the Settings fields of an object that may carry more (e.g. a store state with actions). */
export function pickSettings(value: Settings): Settings {
  const out: Record<string, unknown> = {}
  for (const field of SETTINGS_FIELDS) out[field] = structuredClone(value[field])
  return out as unknown as Settings
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = ""
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`
    else out += (out ? "." : "") + String(part)
  }
  return out || "(root)"
}

type Issue = z.core.$ZodIssue

function describeIssue(issue: Issue): { zh: string; en: string } {
  switch (issue.code) {
    case "invalid_type":
      return { zh: `类型应为 ${issue.expected}`, en: `expected ${issue.expected}` }
    case "invalid_value":
      return {
        zh: `取值应为 ${issue.values.map((v) => JSON.stringify(v)).join(" / ")}`,
        en: `expected ${issue.values.map((v) => JSON.stringify(v)).join(" | ")}`
      }
    case "too_small":
      return issue.origin === "string"
        ? { zh: "不能为空", en: "must not be empty" }
        : { zh: `不能小于 ${issue.minimum}`, en: `must be at least ${issue.minimum}` }
    case "too_big":
      return issue.origin === "string"
        ? { zh: `不能超过 ${issue.maximum} 个字符`, en: `at most ${issue.maximum} characters` }
        : issue.origin === "array"
          ? { zh: `最多 ${issue.maximum} 项`, en: `at most ${issue.maximum} items` }
          : { zh: `不能大于 ${issue.maximum}`, en: `must be at most ${issue.maximum}` }
    case "unrecognized_keys":
      return { zh: `未知字段 ${issue.keys.join(", ")}`, en: `unknown field ${issue.keys.join(", ")}` }
    case "invalid_key":
      return { zh: "键名格式不对", en: `invalid key (${issue.issues[0]?.message ?? "bad format"})` }
    case "invalid_format":
      return { zh: "格式不对", en: issue.message }
    default:
      return { zh: "取值无效", en: issue.message }
  }
}

function importError(fileName: string, field: string | null, zh: string, en: string): { ok: false; error: string } {
  const where = field ? `字段 ${field}：` : ""
  const whereEn = field ? `field ${field}: ` : ""
  return {
    ok: false,
    error: `设置文件「${fileName}」无效：${where}${zh}。\nInvalid settings file "${fileName}": ${whereEn}${en}.`
  }
}

/** The error for a file over MAX_IMPORT_BYTES (the options page checks File.size before reading it). */
export function oversizeImportError(fileName: string, size: number): { ok: false; error: string } {
  return importError(fileName, null, `文件过大（${size} 字节，上限 1 MB）`, `file too large (${size} bytes, limit 1 MB)`)
}

function byteLength(text: string): number {
  if (text.length > MAX_IMPORT_BYTES) return text.length // at least this many bytes; no need to encode
  return new TextEncoder().encode(text).length
}

/**
 * Validates the text of an imported settings file. Missing fields take their defaults; anything present must be
 * valid, pack and rule ids must exist. Errors name the file and the field, in Chinese and English.
 */
export function parseImportedSettings(
  jsonText: string,
  fileName: string,
  knownPackIds: string[],
  knownRuleIds: string[]
): { ok: true; settings: Settings } | { ok: false; error: string } {
  const size = byteLength(jsonText)
  if (size > MAX_IMPORT_BYTES) return oversizeImportError(fileName, size)
  let data: unknown
  try {
    data = JSON.parse(jsonText)
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e)
    return importError(fileName, null, `不是有效的 JSON（${detail}）`, `not valid JSON (${detail})`)
  }
  if (!isRecord(data)) {
    return importError(fileName, null, "顶层应为一个对象 {…}", "the top level must be an object {…}")
  }
  // A file saved from the store itself ({ state, version }) is accepted too.
  if ("state" in data && typeof data.version === "number" && isRecord(data.state)) {
    data = { ...data.state, version: data.version }
  }
  const obj = data as Record<string, unknown>
  if (!("version" in obj)) {
    return importError(fileName, "version", "缺少版本号（应为 1）", "missing (expected 1)")
  }
  if (typeof obj.version !== "number" || !Number.isInteger(obj.version)) {
    return importError(fileName, "version", "应为整数 1", "expected the integer 1")
  }
  if (obj.version > SETTINGS_VERSION) {
    return importError(
      fileName,
      "version",
      `版本 ${obj.version} 来自更新的红线，请先升级`,
      `version ${obj.version} comes from a newer Redline; update first`
    )
  }
  let candidate: Record<string, unknown> = obj
  if (obj.version < SETTINGS_VERSION) {
    // Old files: migrate, then validate the result strictly like a current one.
    candidate = migrateV0(obj)
  }
  const filled = { ...defaultSettings(), ...candidate }
  const parsed = SettingsSchema.safeParse(filled)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path = [...issue.path]
    if (issue.code === "unrecognized_keys" && issue.keys.length > 0) path.push(issue.keys[0])
    const d = describeIssue(issue)
    return importError(fileName, formatPath(path), d.zh, d.en)
  }
  const settings = parsed.data as Settings
  const packSet = new Set(knownPackIds)
  const ruleSet = new Set(knownRuleIds)
  for (const id of Object.keys(settings.packs)) {
    if (!packSet.has(id)) return importError(fileName, `packs.${id}`, `未知的规则包「${id}」`, `unknown pack "${id}"`)
  }
  for (const id of Object.keys(settings.rules)) {
    if (!ruleSet.has(id)) return importError(fileName, `rules.${id}`, `未知的规则「${id}」`, `unknown rule "${id}"`)
  }
  for (const key of Object.keys(settings.checklist)) {
    const pack = key.split("/")[0]
    if (!packSet.has(pack)) {
      return importError(fileName, `checklist.${key}`, `未知的规则包「${pack}」`, `unknown pack "${pack}"`)
    }
  }
  return { ok: true, settings }
}
