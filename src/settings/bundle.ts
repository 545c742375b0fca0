/** The compiled rule bundle as the settings UI sees it (built from rules/*.yaml into src/generated/rules.json). */
import raw from "../generated/rules.json"
import type { BundleView, PackInfo } from "./packs"

export const BUNDLE: BundleView = raw as unknown as BundleView

export const PACKS: PackInfo[] = BUNDLE.packs.map((p) => ({ ...p, qualifications: p.qualifications ?? [], rules: p.rules ?? [] }))
