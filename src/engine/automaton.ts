/**
 * Aho–Corasick over UTF-16 code units.
 *
 * Chosen by measurement (`npm run bench`): the npm packages are several times slower on this workload. The root's
 * transitions are a dense table (every scan step that leaves the root is one typed-array read); deeper transitions
 * live in one open-addressing hash table keyed by (node, code unit). Each node's outputs are reached through
 * dictionary-suffix links, so a scan reports every pattern ending at each position.
 */

export interface AutomatonHit {
  /** Index of the pattern in the array given to `buildAutomaton`. */
  pattern: number
  start: number
  end: number
}

export interface Automaton {
  readonly patternCount: number
  readonly nodeCount: number
  /** Calls `onHit(pattern, start, end)` for every occurrence of every pattern in `text`. */
  scan(text: string, onHit: (pattern: number, start: number, end: number) => void): void
  /**
   * Every occurrence as (pattern, start, end) triples in `hits.data[0 .. 3 * count)`, in order of end position:
   * the allocation-free form of `scan` for the engine's hot path.
   */
  collect(text: string, hits: HitBuffer): number
}

/** A growable Int32Array of (pattern, start, end) triples, reused across scans. */
export class HitBuffer {
  data = new Int32Array(3 * 256)
  push(pattern: number, start: number, end: number, count: number): void {
    if (3 * count + 3 > this.data.length) {
      const bigger = new Int32Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[3 * count] = pattern
    this.data[3 * count + 1] = start
    this.data[3 * count + 2] = end
  }
}

const EMPTY = -1

export function buildAutomaton(patterns: readonly string[]): Automaton {
  // Build the trie with Map children first (simple), then freeze into flat tables.
  const children: Map<number, number>[] = [new Map()]
  const depth: number[] = [0]
  const terminal: number[] = [EMPTY] // pattern index ending exactly here (first one); duplicates share it
  const extraOutputs = new Map<number, number[]>() // node → further pattern indices ending here (duplicates)

  patterns.forEach((p, index) => {
    if (p.length === 0) return
    let node = 0
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i)
      let next = children[node].get(c)
      if (next === undefined) {
        next = children.length
        children.push(new Map())
        depth.push(depth[node] + 1)
        terminal.push(EMPTY)
        children[node].set(c, next)
      }
      node = next
    }
    if (terminal[node] === EMPTY) terminal[node] = index
    else {
      const list = extraOutputs.get(node) ?? []
      list.push(index)
      extraOutputs.set(node, list)
    }
  })

  const nodeCount = children.length
  const fail = new Int32Array(nodeCount)
  const dictLink = new Int32Array(nodeCount).fill(EMPTY) // nearest proper suffix node that is terminal

  // Flat hash of non-root transitions: key = node * 65536 + code (as float64-safe integer).
  let edgeCount = 0
  for (let n = 1; n < nodeCount; n++) edgeCount += children[n].size
  let capacity = 16
  while (capacity < edgeCount * 2) capacity *= 2
  const mask = capacity - 1
  const keyNode = new Int32Array(capacity).fill(EMPTY)
  const keyCode = new Uint16Array(capacity)
  const value = new Int32Array(capacity)
  const hashSlot = (node: number, code: number): number => (Math.imul(node, 0x9e3779b1) ^ Math.imul(code, 0x85ebca6b)) & mask

  const rootNext = new Int32Array(65536) // 0 = stay at root
  for (const [c, next] of children[0]) rootNext[c] = next
  for (let n = 1; n < nodeCount; n++) {
    for (const [c, next] of children[n]) {
      let slot = hashSlot(n, c)
      while (keyNode[slot] !== EMPTY) slot = (slot + 1) & mask
      keyNode[slot] = n
      keyCode[slot] = c
      value[slot] = next
    }
  }

  const step = (node: number, c: number): number => {
    for (;;) {
      if (node === 0) return rootNext[c]
      let slot = hashSlot(node, c)
      for (;;) {
        const k = keyNode[slot]
        if (k === EMPTY) break
        if (k === node && keyCode[slot] === c) return value[slot]
        slot = (slot + 1) & mask
      }
      node = fail[node]
    }
  }

  // Breadth-first failure links.
  const queue: number[] = []
  for (const [, next] of children[0]) {
    fail[next] = 0
    queue.push(next)
  }
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]
    for (const [c, next] of children[node]) {
      const f = step(fail[node], c)
      fail[next] = f
      dictLink[next] = terminal[f] !== EMPTY ? f : dictLink[f]
      queue.push(next)
    }
  }

  const nodeDepth = Int32Array.from(depth)
  const nodeTerminal = Int32Array.from(terminal)

  const report = (node: number, end: number, onHit: (pattern: number, start: number, end: number) => void): void => {
    const start = end - nodeDepth[node]
    onHit(nodeTerminal[node], start, end)
    const extra = extraOutputs.get(node)
    if (extra) for (const p of extra) onHit(p, start, end)
  }

  return {
    patternCount: patterns.length,
    nodeCount,
    collect(text, hits) {
      let count = 0
      let node = 0
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i)
        node = node === 0 ? rootNext[c] : step(node, c)
        if (node === 0) continue
        for (let d = nodeTerminal[node] !== EMPTY ? node : dictLink[node]; d !== EMPTY; d = dictLink[d]) {
          const start = i + 1 - nodeDepth[d]
          hits.push(nodeTerminal[d], start, i + 1, count++)
          const extra = extraOutputs.get(d)
          if (extra) for (const p of extra) hits.push(p, start, i + 1, count++)
        }
      }
      return count
    },
    scan(text, onHit) {
      let node = 0
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i)
        node = node === 0 ? rootNext[c] : step(node, c)
        if (node === 0) continue
        if (nodeTerminal[node] !== EMPTY) report(node, i + 1, onHit)
        for (let d = dictLink[node]; d !== EMPTY; d = dictLink[d]) report(d, i + 1, onHit)
      }
    }
  }
}
