/** Shared vocabulary of the rule engine. One name per concept: note, field, finding, rule, pack, category, severity. */

export const CATEGORIES = [
  "trade-diversion",
  "absolute-claim",
  "false-marketing",
  "prohibited-service",
  "low-quality",
  "ad-disclosure",
  "qualification",
  "format"
] as const
export type Category = (typeof CATEGORIES)[number]

export const SEVERITIES = ["error", "warning", "info"] as const
export type Severity = (typeof SEVERITIES)[number]

export const FIELDS = ["title", "body"] as const
export type Field = (typeof FIELDS)[number]

/** A note as plain text: the overlay strips hidden topic markup before sending. */
export interface Note {
  title: string
  body: string
}

export interface Localized {
  zh: string
  en: string
}

/**
 * One risky phrase. `start`/`end` are UTF-16 indices into the original field string,
 * `text === note[field].slice(start, end)`, and a finding never splits a surrogate pair.
 */
export interface Finding {
  ruleId: string
  pack: string
  category: Category
  severity: Severity
  field: Field
  start: number
  end: number
  text: string
  message: Localized
  suggestions: string[]
  source: string
  /**
   * Set when a rule's warning is shown as `info` because the clause model, reading the clause and its neighbours,
   * scores it far on the innocent side (the packs in the model's `soften`; see src/engine/model.ts).
   */
  softened?: true
  /**
   * Set when a rule's warning or error is shown as `info` because its words sit in quotation marks on their line
   * (「…」, “…”, …): someone else's words quoted — a flyer, a salesman's line — not the creator's claim. Contact
   * details (trade diversion) are never demoted this way.
   */
  quoted?: true
}

/** Chinese and English names of each category, for messages and UI. */
export const CATEGORY_NAMES: Record<Category, Localized> = {
  "trade-diversion": { zh: "交易导流", en: "Trade diversion" },
  "absolute-claim": { zh: "广告法极限词", en: "Absolute claim" },
  "false-marketing": { zh: "虚假营销", en: "False marketing" },
  "prohibited-service": { zh: "违禁服务", en: "Prohibited service" },
  "low-quality": { zh: "低质营销", en: "Low-quality marketing" },
  "ad-disclosure": { zh: "未标注广告", en: "Undisclosed ad" },
  qualification: { zh: "资质要求", en: "Qualification required" },
  format: { zh: "格式限制", en: "Format limit" }
}

export const SEVERITY_NAMES: Record<Severity, Localized> = {
  error: { zh: "高风险", en: "Error" },
  warning: { zh: "需复核", en: "Warning" },
  info: { zh: "提示", en: "Info" }
}
