/** The rule-pack file format (rules/<pack>.yaml) and the compiled bundle the extension and the CLI load. */
import type { BundleAnalysis } from "../engine/analysis"
import type { ModelData } from "../engine/model"
import * as z from "zod"

import { CATEGORIES, FIELDS, SEVERITIES, type Category, type Field, type Localized, type Severity } from "../engine/types"

export const INDUSTRIES = ["education", "medical", "finance", "real-estate", "beauty"] as const
export const CHECKLIST_INDUSTRIES = [
  "general",
  "merchant",
  "education",
  "medical",
  "finance",
  "real-estate",
  "beauty",
  "local-services"
] as const
export const NOTE_CHECKS = ["title-length", "body-length", "topic-count"] as const
export type NoteCheck = (typeof NOTE_CHECKS)[number]

const kebab = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be kebab-case (a-z, 0-9, -)")
const localized = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) })
const nonEmptyStrings = z.array(z.string().min(1)).min(1)
const example = z.union([z.string().min(1), z.strictObject({ title: z.string(), body: z.string() })])

export const QualificationSchema = z.strictObject({
  id: kebab,
  industries: z.array(z.enum(CHECKLIST_INDUSTRIES)).min(1),
  critical: z.boolean(),
  title: localized,
  why: localized,
  where: localized,
  source: z.string().min(1)
})

export const RuleFileSchema = z
  .strictObject({
    id: kebab,
    category: z.enum(CATEGORIES),
    severity: z.enum(SEVERITIES),
    terms: nonEmptyStrings.optional(),
    patterns: nonEmptyStrings.optional(),
    textPatterns: nonEmptyStrings.optional(),
    exceptions: nonEmptyStrings.optional(),
    near: nonEmptyStrings.optional(),
    window: z.number().int().min(1).max(200).optional(),
    before: z.string().min(1).optional(),
    after: z.string().min(1).optional(),
    notBefore: z.string().min(1).optional(),
    notAfter: z.string().min(1).optional(),
    unlessNote: nonEmptyStrings.optional(),
    fields: z.array(z.enum(FIELDS)).min(1).optional(),
    check: z.enum(NOTE_CHECKS).optional(),
    max: z.number().int().min(1).optional(),
    /** Reported by the clause model (src/engine/model.ts, rules/model.json) for clauses of this rule's category. */
    learned: z.literal(true).optional(),
    message: localized,
    suggestions: z.array(z.string().min(1)).default([]),
    source: z.string().min(1),
    examples: z.strictObject({
      bad: z.array(example).min(1, "every rule needs at least one bad example"),
      good: z.array(example).min(1, "every rule needs at least one good example")
    })
  })
  .superRefine((rule, ctx) => {
    const matches = rule.terms || rule.patterns || rule.textPatterns
    if (rule.check && matches) ctx.addIssue({ code: "custom", path: ["check"], message: "a rule has either check or terms/patterns, not both" })
    if (rule.learned && (matches || rule.check)) ctx.addIssue({ code: "custom", path: ["learned"], message: "a learned rule has no terms, patterns or check" })
    if (rule.learned) {
      for (const field of ["exceptions", "near", "window", "before", "after", "notBefore", "notAfter", "unlessNote"] as const) {
        if (rule[field] !== undefined) ctx.addIssue({ code: "custom", path: [field], message: "a learned rule does not use context fields (the model scores whole clauses)" })
      }
    }
    if (!rule.check && !matches && !rule.learned) ctx.addIssue({ code: "custom", path: ["terms"], message: "a rule needs terms, patterns, textPatterns, check or learned" })
    if (rule.check && rule.max === undefined) ctx.addIssue({ code: "custom", path: ["max"], message: "check needs max" })
  })

export const PackFileSchema = z.strictObject({
  pack: z.strictObject({
    id: kebab,
    name: localized,
    description: localized,
    industry: z.enum(INDUSTRIES).optional(),
    enabledByDefault: z.boolean()
  }),
  qualifications: z.array(QualificationSchema).default([]),
  rules: z.array(RuleFileSchema).min(1)
})

export type PackFile = z.infer<typeof PackFileSchema>
export type RuleFile = z.infer<typeof RuleFileSchema>
export type Qualification = z.infer<typeof QualificationSchema>
export type Example = z.infer<typeof example>

/** A rule as compiled into the bundle: full id, no examples. */
export interface RuleSpec {
  id: string
  pack: string
  category: Category
  severity: Severity
  terms?: string[]
  patterns?: string[]
  textPatterns?: string[]
  exceptions?: string[]
  near?: string[]
  window?: number
  before?: string
  after?: string
  notBefore?: string
  notAfter?: string
  unlessNote?: string[]
  fields?: Field[]
  check?: NoteCheck
  max?: number
  learned?: true
  message: Localized
  suggestions: string[]
  source: string
}

export interface PackSpec {
  id: string
  name: Localized
  description: Localized
  industry?: (typeof INDUSTRIES)[number]
  enabledByDefault: boolean
  qualifications: Qualification[]
  rules: RuleSpec[]
}

/** The one JSON bundle compiled from rules/ at build time (src/generated/rules.json). */
export interface RuleBundle {
  version: 1
  /** Traditional → simplified pairs, two UTF-16 units each. */
  t2s: string
  packs: PackSpec[]
  /** The required-literal analysis of every regex, done at build time (src/engine/analysis.ts); optional. */
  analysis?: BundleAnalysis
  /** The clause model (rules/model.json) for the learned rules; optional (without it they report nothing). */
  model?: ModelData
}

/** rules/model.json (written by scripts/train-model.ts; see src/engine/model.ts). */
export const ModelDataSchema = z.strictObject({
  version: z.literal(2),
  trainedOn: z.string(),
  categories: z.array(z.enum(CATEGORIES)).min(1),
  threshold: z.number(),
  context: z.number().int().min(0).max(8),
  soften: z.record(z.string(), z.number()),
  bits: z.number().int().min(8).max(24),
  bias: z.array(z.number()).min(2),
  scale: z.array(z.number().positive()).min(2),
  detector: z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, "must be base64"),
  keys: z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, "must be base64"),
  weights: z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, "must be base64")
})
