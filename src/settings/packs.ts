/**
 * The view of the compiled rule bundle (`src/generated/rules.json`) that the popup and options need:
 * packs with their rules and account qualification items. Browser-agnostic.
 */
import type { Localized, Severity } from "../engine/types"
import { CHECKLIST_INDUSTRIES, type PackSpec, type Qualification, type RuleSpec } from "../rules/schema"
import type { Settings } from "./schema"

/** The checklist's industries: one list, defined with the pack format (`qualifications[].industries`). */
export const INDUSTRIES = CHECKLIST_INDUSTRIES
export type Industry = (typeof INDUSTRIES)[number]

export const INDUSTRY_NAMES: Record<Industry, Localized> = {
  general: { zh: "普通创作者", en: "General creator" },
  merchant: { zh: "品牌 / 商家", en: "Brand / merchant" },
  education: { zh: "教育培训", en: "Education" },
  medical: { zh: "医疗 / 医美", en: "Medical / aesthetics" },
  finance: { zh: "金融理财", en: "Finance" },
  "real-estate": { zh: "房产", en: "Real estate" },
  beauty: { zh: "美妆个护", en: "Beauty & personal care" },
  "local-services": { zh: "本地生活", en: "Local services" }
}

/** One account-level checklist item of a pack (`qualifications:` in rules/<pack>.yaml). */
export type QualificationItem = Qualification

/** One rule as the settings UI sees it; `id` is the full "<pack>/<id>". */
export type RuleInfo = Pick<RuleSpec, "id" | "category" | "severity" | "message" | "terms"> & Partial<Pick<RuleSpec, "source">>

/** One pack as the settings UI sees it. */
export type PackInfo = Omit<PackSpec, "rules"> & { rules: RuleInfo[] }

/** The part of the compiled rule bundle (src/rules/schema.ts RuleBundle) the settings UI reads. */
export interface BundleView {
  packs: PackInfo[]
}

/** A qualification item together with its pack; `key` is the checklist key "<pack>/<qualification id>". */
export interface ChecklistEntry {
  key: string
  pack: string
  item: QualificationItem
}

export function isPackEnabled(settings: Pick<Settings, "packs">, pack: Pick<PackInfo, "id" | "enabledByDefault">): boolean {
  return settings.packs[pack.id] ?? pack.enabledByDefault
}

export function isRuleEnabled(settings: Pick<Settings, "rules">, rule: Pick<RuleInfo, "id">): boolean {
  return settings.rules[rule.id]?.enabled ?? true
}

export function ruleSeverity(settings: Pick<Settings, "rules">, rule: Pick<RuleInfo, "id" | "severity">): Severity {
  return settings.rules[rule.id]?.severity ?? rule.severity
}

/** Ids of the packs that are on under these settings. */
export function enabledPackIds(settings: Pick<Settings, "packs">, packs: PackInfo[]): string[] {
  return packs.filter((p) => isPackEnabled(settings, p)).map((p) => p.id)
}

/** Core packs first (no industry), then industry packs; file order kept within each group. */
export function groupPacks(packs: PackInfo[]): { core: PackInfo[]; industry: PackInfo[] } {
  return { core: packs.filter((p) => !p.industry), industry: packs.filter((p) => !!p.industry) }
}

/** The checklist items that apply to any of the picked industries, deduplicated by key, critical first. */
export function checklistFor(packs: PackInfo[], industries: string[]): ChecklistEntry[] {
  const picked = new Set(industries)
  const seen = new Set<string>()
  const out: ChecklistEntry[] = []
  for (const pack of packs) {
    for (const item of pack.qualifications ?? []) {
      const key = `${pack.id}/${item.id}`
      if (seen.has(key) || !item.industries.some((i) => picked.has(i))) continue
      seen.add(key)
      out.push({ key, pack: pack.id, item })
    }
  }
  return out.sort((a, b) => Number(b.item.critical) - Number(a.item.critical))
}

export function checklistProgress(entries: ChecklistEntry[], checklist: Settings["checklist"]): { done: number; total: number } {
  return { done: entries.filter((e) => checklist[e.key] === true).length, total: entries.length }
}

export function allRuleIds(packs: PackInfo[]): string[] {
  return packs.flatMap((p) => p.rules.map((r) => r.id))
}
