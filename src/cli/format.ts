/** Output formats of `redline check`: ESLint-stylish text and a JSON array, one element per note. */
import type { Finding, Note } from "../engine/types"

export interface NoteResult {
  source: string
  index: number
  note: Note
  findings: Finding[]
}

export function formatJson(results: NoteResult[]): string {
  return JSON.stringify(results.map(({ source, index, findings }) => ({ source, index, findings })), null, 2) + "\n"
}

/** 1-based line and column (in code points) of a UTF-16 offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: Array.from(text.slice(lineStart, offset)).length + 1 }
}

export function formatText(results: NoteResult[], lang: "zh" | "en"): string {
  const out: string[] = []
  const counts = { error: 0, warning: 0, info: 0 }
  for (const r of results) {
    if (r.findings.length === 0) continue
    out.push(`${r.source}${results.filter((x) => x.source === r.source).length > 1 ? ` [${r.index}]` : ""}`)
    for (const f of r.findings) {
      counts[f.severity]++
      const { line, column } = lineColumn(r.note[f.field], f.start)
      const where = `${f.field === "title" ? "title " : ""}${line}:${column}`
      // A softened or quoted finding says so: the rule matched, and the model read the sentence as someone's own life,
      // or the words stand in quotation marks.
      const softened = f.softened
        ? lang === "zh" ? "（上下文像个人经历，已降为提示）" : " (softened: reads as a personal account)"
        : f.quoted
          ? lang === "zh" ? "（在引号里，像是引用，已降为提示）" : " (quoted: reads as someone else's words)"
          : ""
      out.push(`  ${where.padEnd(10)} ${f.severity.padEnd(7)} 「${f.text}」 ${f.message[lang]}${softened}  ${f.ruleId}`)
    }
    out.push("")
  }
  const total = counts.error + counts.warning + counts.info
  out.push(
    total === 0
      ? `✓ ${results.length} note(s), no problems`
      : `✖ ${total} problem(s) (${counts.error} error, ${counts.warning} warning, ${counts.info} info) in ${results.length} note(s)`
  )
  return out.join("\n") + "\n"
}
