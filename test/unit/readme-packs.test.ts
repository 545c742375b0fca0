import { readFileSync } from "node:fs"
import { expect, test } from "vitest"

import { buildBundle } from "../../src/rules/load"
import { packTable, withPackTable } from "../../src/rules/table"

test("README's pack table matches rules/*.yaml (run `npm run readme:packs` after changing rules)", () => {
  const readme = readFileSync("README.md", "utf8")
  expect(withPackTable(readme, buildBundle("rules"))).toBe(readme)
})

test("the table has one row per pack and totals that add up", () => {
  const bundle = buildBundle("rules")
  const lines = packTable(bundle).split("\n")
  expect(lines).toHaveLength(bundle.packs.length + 3)
  const cells = (l: string) => l.split("|").map((c) => c.trim().replace(/\*\*/g, ""))
  const rows = lines.slice(2, -1).map(cells)
  const total = cells(lines.at(-1)!)
  for (const col of [4, 5, 6, 7]) expect(rows.reduce((n, r) => n + Number(r[col]), 0)).toBe(Number(total[col]))
  expect(Number(total[4])).toBe(bundle.packs.reduce((n, p) => n + p.rules.length, 0))
})
