/**
 * Deterministic 1,000-character notes for the benchmarks, assembled from sentences of the labelled corpus
 * (test/corpus: risky and clean notes, titles and bodies), so they read like real notes: emoji, numbers, topics,
 * ordinary prose and the occasional risky phrase.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

// mulberry32: every run measures the same notes.
function rng(seed: number) {
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function corpusSentences(dir = "test/corpus"): string[] {
  const sentences: string[] = []
  for (const half of ["risky", "clean"]) {
    for (const file of readdirSync(join(dir, half)).filter((f) => f.endsWith(".json")).sort()) {
      for (const note of JSON.parse(readFileSync(join(dir, half, file), "utf8")) as { title: string; body: string }[]) {
        sentences.push(note.title + "\n")
        sentences.push(...(note.body.match(/[^。！？!?\n]+[。！？!?\n]*/g) ?? []))
      }
    }
  }
  return sentences
}

/** `count` notes of exactly `length` UTF-16 units (the last sentence is cut). */
export function generateNotes(count: number, length: number): string[] {
  const sentences = corpusSentences()
  const random = rng(20261127)
  return Array.from({ length: count }, () => {
    let s = ""
    while (s.length < length) s += sentences[Math.floor(random() * sentences.length)]
    return s.slice(0, length)
  })
}
