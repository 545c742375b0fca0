/** `npm run readme:packs`: rewrites the pack table in README.md from rules/*.yaml (see src/rules/table.ts). */
import { readFileSync, writeFileSync } from "node:fs"

import { buildBundle } from "../src/rules/load"
import { withPackTable } from "../src/rules/table"

const readme = readFileSync("README.md", "utf8")
const updated = withPackTable(readme, buildBundle("rules"))
if (updated !== readme) writeFileSync("README.md", updated)
console.log(updated === readme ? "README.md: pack table already current" : "README.md: pack table updated")
