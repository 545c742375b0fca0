/** The compiled rule bundle as the settings UI sees it (built from rules/*.yaml into src/generated/rules.json). */
import raw from "../generated/rules.json"
import type { PackInfo, RuleBundle } from "./packs"

export const BUNDLE: RuleBundle = raw as unknown as RuleBundle

export const PACKS: PackInfo[] = BUNDLE.packs.map((p) => ({ ...p, qualifications: p.qualifications ?? [], rules: p.rules ?? [] }))
