/**
 * The part of compiling a rule bundle that depends only on the rules: the required-literal analysis of every regex
 * (required.ts). The build (src/rules/load.ts buildBundle) stores it in the bundle, so compiling an engine at run
 * time only looks it up; a source the bundle lacks (an older bundle) is analysed on the spot, with the same functions.
 */
import type { RuleBundle } from "../rules/schema"
import { buildT2sTable, compactOf, type T2sTable } from "./normalize"
import { contextAlternatives } from "./alternatives"
import { anchoredLiterals, type AnchoredLiterals } from "./literal"
import { analyzePattern, requiredCharSet } from "./required"

/** Required sets and reach of a compact-view pattern (reach null: Infinity, which JSON can't hold). */
export interface CompactAnalysis {
  sets: string[][] | null
  reach: number | null
}
/** As CompactAnalysis, plus the set of characters the compact view drops that every match needs, with its reach. */
export interface TextAnalysis extends CompactAnalysis {
  dropped: string[] | null
  droppedReach: number | null
}
/** Required sets of a context pattern (before, after, notBefore, notAfter), in the compact view as written. */
export type ContextAnalysis = string[][] | null

/** Per regex source, by the view it runs on. */
export interface BundleAnalysis {
  compact: Record<string, CompactAnalysis>
  text: Record<string, TextAnalysis>
  context: Record<string, ContextAnalysis>
  /**
   * Context patterns that are only anchored literals (literal.ts), checked without a regex; a context source absent
   * here is not one. Optional: a bundle without it (older builds) has them worked out when the engine compiles.
   */
  contextLiterals?: Record<string, AnchoredLiterals>
  /**
   * Per context pattern that splits into alternatives (alternatives.ts) and is not a literal one: each alternative's
   * required sets, in the order contextAlternatives gives them. Optional, as contextLiterals.
   */
  contextParts?: Record<string, ContextAnalysis[]>
}

const toJson = (reach: number): number | null => (reach === Infinity ? null : reach)
export const fromJson = (reach: number | null): number => (reach === null ? Infinity : reach)

/** Characters compaction drops (a text-view pattern's requirement the automaton can't see). */
function droppableFor(t2s: T2sTable): (ch: string) => boolean {
  return (ch) => ch.length === 1 && (ch.charCodeAt(0) & 0xf800) !== 0xd800 && compactOf(ch, t2s) === ""
}

export function analyzeCompactPattern(source: string): CompactAnalysis {
  const { sets, reach } = analyzePattern(source)
  return { sets, reach: toJson(reach) }
}

export function analyzeTextPattern(source: string, t2s: T2sTable): TextAnalysis {
  // Triggers are looked up in the compact view: a text-view pattern can only use strings compaction leaves as they are.
  const { sets, reach } = analyzePattern(source, (ch) => compactOf(ch, t2s))
  const dropped = requiredCharSet(source, droppableFor(t2s))
  return { sets, reach: toJson(reach), dropped: dropped.set, droppedReach: toJson(dropped.reach) }
}

export function analyzeContextPattern(source: string): ContextAnalysis {
  return analyzePattern(source).sets
}

/** The required sets of each alternative of a context pattern (null: it does not split). */
export function contextPartsAnalysis(source: string): ContextAnalysis[] | null {
  return contextAlternatives(source)?.map(analyzeContextPattern) ?? null
}

/** The analysis of every regex of every pack in the bundle. */
export function analyzeBundle(bundle: Pick<RuleBundle, "t2s" | "packs">): BundleAnalysis {
  const t2s = buildT2sTable(bundle.t2s)
  const analysis: BundleAnalysis = { compact: {}, text: {}, context: {}, contextLiterals: {}, contextParts: {} }
  for (const pack of bundle.packs) {
    for (const rule of pack.rules) {
      // (A source spelled "__proto__" would set the record's prototype: left to the engine to analyse.)
      for (const source of rule.patterns ?? []) {
        if (source !== "__proto__" && !Object.hasOwn(analysis.compact, source)) analysis.compact[source] = analyzeCompactPattern(source)
      }
      for (const source of rule.textPatterns ?? []) {
        if (source !== "__proto__" && !Object.hasOwn(analysis.text, source)) analysis.text[source] = analyzeTextPattern(source, t2s)
      }
      for (const source of [rule.before, rule.after, rule.notBefore, rule.notAfter]) {
        if (source !== undefined && source !== "__proto__" && !Object.hasOwn(analysis.context, source)) {
          analysis.context[source] = analyzeContextPattern(source)
          const literals = anchoredLiterals(source)
          if (literals) analysis.contextLiterals![source] = literals
          else analysis.contextParts![source] = contextPartsAnalysis(source) ?? []
        }
      }
    }
  }
  return analysis
}
