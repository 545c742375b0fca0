/**
 * The README's pack table (rules, literal terms, regexes and checklist items per pack), generated from the rule
 * bundle so the numbers cannot drift: `npm run readme:packs` rewrites it, a unit test compares it.
 */
import type { RuleBundle } from "./schema"

export const TABLE_START = "<!-- pack-table:start -->"
export const TABLE_END = "<!-- pack-table:end -->"

export function packTable(bundle: RuleBundle): string {
  const rows = ["| pack | 名称 · name | default | rules | terms | regexes | checklist items |", "| --- | --- | --- | --- | --- | --- | --- |"]
  const total = { rules: 0, terms: 0, regexes: 0, checklist: 0 }
  // core packs (on by default) first, then industry packs; alphabetical within each
  const packs = [...bundle.packs].sort((a, b) => Number(b.enabledByDefault) - Number(a.enabledByDefault) || a.id.localeCompare(b.id))
  for (const p of packs) {
    const terms = p.rules.reduce((n, r) => n + (r.terms?.length ?? 0), 0)
    const regexes = p.rules.reduce((n, r) => n + (r.patterns?.length ?? 0) + (r.textPatterns?.length ?? 0), 0)
    const checklist = p.qualifications.length
    total.rules += p.rules.length
    total.terms += terms
    total.regexes += regexes
    total.checklist += checklist
    const onByDefault = p.enabledByDefault ? "on" : "off (industry)"
    rows.push(`| \`${p.id}\` | ${p.name.zh} · ${p.name.en} | ${onByDefault} | ${p.rules.length} | ${terms} | ${regexes} | ${checklist} |`)
  }
  rows.push(`| **total** | | | **${total.rules}** | **${total.terms}** | **${total.regexes}** | **${total.checklist}** |`)
  return rows.join("\n")
}

/** `readme` with the text between the table markers replaced by the current table. */
export function withPackTable(readme: string, bundle: RuleBundle): string {
  const start = readme.indexOf(TABLE_START)
  const end = readme.indexOf(TABLE_END)
  if (start < 0 || end < start) throw new Error(`README: the markers ${TABLE_START} … ${TABLE_END} are missing`)
  return `${readme.slice(0, start + TABLE_START.length)}\n${packTable(bundle)}\n${readme.slice(end)}`
}
