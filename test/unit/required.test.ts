/** The regex prefilter must never skip a pattern that would have matched. */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

import { describe, expect, it } from "vitest"

import { buildT2sTable, compactOf, normalizeField } from "../../src/engine/normalize"
import { requiredLiterals } from "../../src/engine/required"
import { exampleCases } from "../../src/rules/examples"
import { buildBundle, loadPackFiles } from "../../src/rules/load"

describe("requiredLiterals", () => {
  it("finds literals, alternations and small classes, skipping optional parts and lookarounds", () => {
    expect(requiredLiterals("加我微信")).toEqual(["加我微信"])
    expect(requiredLiterals("(?:淘宝|拼多多)(?:搜|找)")?.sort()).toEqual(["拼多多", "淘宝"])
    expect(requiredLiterals("(?<!我)最[好佳]")).toEqual(["最"])
    expect(requiredLiterals("https?://[a-z]+")).toEqual(["http"])
    expect(requiredLiterals("(?<![\\d])1[3-9]\\d{9}")).not.toBeNull()
    expect(requiredLiterals("[a-z0-9._-]{1,64}@[a-z]{2,}")).toEqual(["@"])
    expect(requiredLiterals("(?:vx)?\\d{5,}")).toBeNull()
    expect(requiredLiterals("a|\\d+")).toBeNull()
    expect(requiredLiterals("(ab)?c*")).toBeNull()
    expect(requiredLiterals("([¥$])[a-z]{6}\\1")?.sort()).toEqual(["$", "¥"])
  })

  it("is sound on every pack pattern over every example and corpus note", () => {
    const bundle = buildBundle("rules")
    const t2s = buildT2sTable(bundle.t2s)
    const texts: string[] = []
    for (const dir of ["rules", "test/fixtures/packs"]) for (const c of exampleCases(loadPackFiles(dir))) texts.push(c.note.title, c.note.body)
    for (const half of ["risky", "clean"]) {
      const folder = join("test/corpus", half)
      for (const f of readdirSync(folder)) for (const n of JSON.parse(readFileSync(join(folder, f), "utf8"))) texts.push(n.title, n.body)
    }
    const views = texts.map((t) => normalizeField(t, t2s))
    let checked = 0
    for (const pack of bundle.packs) {
      for (const rule of pack.rules) {
        const sources = [...(rule.patterns ?? []).map((s) => [s, "compact"] as const), ...(rule.textPatterns ?? []).map((s) => [s, "text"] as const)]
        for (const [source, view] of sources) {
          let required = requiredLiterals(source)
          if (required && view === "text" && required.some((r) => compactOf(r, t2s) !== r)) required = null
          if (!required) continue
          const re = new RegExp(source, "u")
          for (const v of views) {
            if (!re.test(view === "compact" ? v.compact.text : v.text.text)) continue
            checked++
            expect(required.some((r) => v.compact.text.includes(r)), `${rule.id}: ${source} matched without ${required.join("|")}`).toBe(true)
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100)
  })
})
