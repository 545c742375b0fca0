/** The built `redline` CLI (dist/cli.js, compiled JavaScript) run as a real process. */
import { execFileSync, spawnSync } from "node:child_process"

import { beforeAll, describe, expect, it } from "vitest"

function redline(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ["dist/cli.js", ...args], { input, encoding: "utf8" })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

beforeAll(() => {
  execFileSync(process.execPath, ["scripts/build.mjs", "--no-ext"], { stdio: "pipe" })
}, 120000)

describe("redline output into a closed pipe", () => {
  it("stops quietly when the reader closes early (| head)", () => {
    const r = spawnSync("bash", ["-c", `set -o pipefail; "${process.execPath}" dist/cli.js rules --format json | head -c 10`], { encoding: "utf8" })
    expect(r.stdout).toBe('{\n  "packs')
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/)
    expect(r.status).toBe(0)
  })
})

describe("redline check", () => {
  it("prints one JSON element per note with findings per the contract", () => {
    const r = redline(["check", "--format", "json", "--packs", "all", "test/fixtures/cli/notes.json"])
    const out = JSON.parse(r.stdout)
    expect(out.map((x: { source: string; index: number }) => [x.source, x.index])).toEqual([
      ["test/fixtures/cli/notes.json", 0],
      ["test/fixtures/cli/notes.json", 1]
    ])
    const second = out[1].findings as { ruleId: string; field: string; text: string; start: number; end: number }[]
    expect(second.map((f) => f.ruleId)).toEqual(expect.arrayContaining(["format/title-length", "format/topic-count"]))
    for (const f of second) expect(Object.keys(f).sort()).toEqual(["category", "end", "field", "message", "pack", "ruleId", "severity", "source", "start", "suggestions", "text"])
    expect(out[0].findings).toEqual([])
  })
  it("exits 0 on a clean text file and prints a summary", () => {
    const r = redline(["check", "test/fixtures/cli/clean.txt"])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/no problems/)
  })
  it("exits 1 when an error finding exists, and --allow silences a phrase", () => {
    const risky = "有问题加我微信，电话 138 1234 5678"
    const r = redline(["check", "--format", "json", "-"], risky)
    const findings = JSON.parse(r.stdout)[0].findings as { severity: string; category: string; text: string }[]
    expect(r.status).toBe(1)
    expect(findings.filter((f) => f.severity === "error").map((f) => f.category)).toContain("trade-diversion")
    expect(findings.some((f) => f.text.includes("138 1234 5678"))).toBe(true)
    const allowed = redline(["check", "--format", "json", "--allow", "138 1234 5678", "-"], risky)
    // The finding takes in the word before the number (电话 138 1234 5678); allowing the number silences it all the same.
    expect(JSON.parse(allowed.stdout)[0].findings.some((f: { text: string }) => f.text.includes("138 1234 5678"))).toBe(false)
  })
  it("prints ESLint-style text with line:column, severity, message and rule id", () => {
    const r = redline(["check", "-"], "第一行\n有问题加我微信")
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(/^<stdin>|^-/m)
    expect(r.stdout).toMatch(/ 2:\d+\s+error\s+「[^」]*微信[^」]*」 .+ trade-diversion\//)
    expect(r.stdout).toMatch(/✖ \d+ problem\(s\) \(\d+ error/)
  })
  it("says when a warning was softened to info (the sentence of the softening unit test)", () => {
    const r = redline(["check", "-"], "周末和闺蜜去爬山，山顶的云海真的是顶级，累但值得，下次还想去")
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/ 1:\d+\s+info\s+「顶级」 .+（上下文像个人经历，已降为提示） +absolute-claim\/top-grade/)
    expect(redline(["check", "--lang", "en", "-"], "周末和闺蜜去爬山，山顶的云海真的是顶级，累但值得，下次还想去").stdout).toMatch(/\(softened: reads as a personal account\)/)
  })
  it("says when a finding was shown as info because its words stand in quotation marks", () => {
    const sentence = "海报上印着“十年包租，每年返租8%”，看着挺诱人"
    expect(redline(["check", "--packs", "all", "-"], sentence).stdout).toMatch(/ 1:\d+\s+info\s+「[^」]+」 .+（在引号里，像是引用，已降为提示） +real-estate\/leaseback/)
    expect(redline(["check", "--packs", "all", "--lang", "en", "-"], sentence).stdout).toMatch(/\(quoted: reads as someone else's words\)/)
  })
  it("exits 2 naming the file for bad input, and still checks the other files", () => {
    const r = redline(["check", "--format", "json", "missing.json", "test/fixtures/cli/clean.txt"])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/missing\.json: file not found/)
    expect(JSON.parse(r.stdout).map((x: { source: string }) => x.source)).toEqual(["test/fixtures/cli/clean.txt"])
    const bad = redline(["check", "-"], '{"title": "x"}')
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/<stdin>: the note has no string "body"/)
    const notJson = redline(["check", "-"], "[1, 2")
    expect(notJson.status).toBe(2)
    expect(notJson.stderr).toMatch(/invalid JSON/)
  })
  it("exits 2 on usage errors", () => {
    expect(redline(["check"]).status).toBe(2)
    expect(redline(["check", "--packs", "nope", "-"], "x").stderr).toMatch(/unknown pack "nope"/)
    expect(redline(["frobnicate"]).status).toBe(2)
  })
})

describe("redline rules", () => {
  it("lists every pack and rule with its literal terms", () => {
    const r = redline(["rules", "--format", "json"])
    expect(r.status).toBe(0)
    const { packs } = JSON.parse(r.stdout)
    expect(packs.length).toBeGreaterThan(0)
    for (const p of packs) {
      expect(Object.keys(p).sort()).toEqual(["enabledByDefault", "id", "industry", "name", "rules"])
      for (const rule of p.rules) expect(Object.keys(rule).sort()).toEqual(["category", "id", "patterns", "severity", "terms"])
    }
  })
})
