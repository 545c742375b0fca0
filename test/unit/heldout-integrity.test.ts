/**
 * The held-out notes (test/corpus-heldout/) measure how the rules do on phrasings nobody wrote them from. A rule example
 * that shares a clause with a held-out note means someone read the batch (or copied from it): the measurement is spoiled.
 * A run of RUN code units in common is that signal. Shorter runs happen by chance in stereotyped phrasing: an author
 * of batch ZX, who saw no rules, wrote 需要病假条、诊断证明的可以找我 (15 units) as a pass-10 example had seven hours
 * earlier.
 */
import { describe, expect, it } from "vitest"

import { exampleCases } from "../../src/rules/examples"
import { loadPackFiles } from "../../src/rules/load"
import { readCorpusNotes } from "../eval/notes"

const RUN = 20

describe("held-out notes stay unseen", () => {
  const heldout = [...readCorpusNotes("test/corpus-heldout/risky"), ...readCorpusNotes("test/corpus-heldout/clean")]
  const runs = new Map<string, string>()
  for (const note of heldout) {
    for (const text of [note.title, note.body]) {
      for (let i = 0; i + RUN <= text.length; i++) runs.set(text.slice(i, i + RUN), note.id)
    }
  }

  it("has held-out notes to compare with", () => expect(heldout.length).toBeGreaterThan(0))

  it(`no rule example shares a ${RUN}-character run with a held-out note`, () => {
    const shared: string[] = []
    for (const c of exampleCases(loadPackFiles("rules"))) {
      for (const text of [c.note.title, c.note.body]) {
        for (let i = 0; i + RUN <= text.length; i++) {
          const id = runs.get(text.slice(i, i + RUN))
          if (id !== undefined) {
            shared.push(`${c.ruleId} (${c.kind}) and ${id}: 「${text.slice(i, i + RUN)}」`)
            break
          }
        }
      }
    }
    expect(shared).toEqual([])
  })
})
