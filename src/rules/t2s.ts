/**
 * Traditional → simplified character pairs, derived at build time from OpenCC's dictionary (the opencc-js
 * dependency, Apache-2.0) and stored in the rule bundle, so the extension ships a small table, not OpenCC.
 */
import { createRequire } from "node:module"

export function t2sPairs(): string {
  const require = createRequire(import.meta.url)
  const OpenCC = require("opencc-js") as { Converter(options: { from: string; to: string }): (s: string) => string }
  const convert = OpenCC.Converter({ from: "t", to: "cn" })
  let pairs = ""
  for (let c = 0x3400; c <= 0x9fff; c++) {
    const ch = String.fromCharCode(c)
    const simplified = convert(ch)
    if (simplified !== ch && simplified.length === 1) pairs += ch + simplified
  }
  return pairs
}
