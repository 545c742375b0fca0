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
/** Slot of (node, code unit) in an open-addressing table of mask + 1 slots. */
function slotOf(node: number, code: number, mask: number): number {
  return (Math.imul(node, 0x9e3779b1) ^ Math.imul(code, 0x85ebca6b)) & mask
}

export function buildAutomaton(patterns: readonly string[]): Automaton {
  // Nodes are numbered as they are created; node 0 is the root. Transitions from the root live in a dense table,
  // all others in one open-addressing hash table keyed by (node, code unit), sized for the worst case up front.
  let totalLength = 0
  for (const p of patterns) totalLength += p.length
  const maxNodes = totalLength + 1
  let capacity = 16
  while (capacity < totalLength * 2) capacity *= 2
  const mask = capacity - 1
  const keyNode = new Int32Array(capacity).fill(EMPTY)
  const keyCode = new Uint16Array(capacity)
  const value = new Int32Array(capacity)
  const hashSlot = (node: number, code: number): number => (Math.imul(node, 0x9e3779b1) ^ Math.imul(code, 0x85ebca6b)) & mask
  const rootNext = new Int32Array(65536) // 0 = stay at root

  const parent = new Int32Array(maxNodes)
  const viaCode = new Uint16Array(maxNodes)
  const depth = new Int32Array(maxNodes)
  const terminal = new Int32Array(maxNodes).fill(EMPTY) // first pattern index ending exactly here
  // Per node, a 32-bit filter of its children's code units (bit c & 31): a clear bit means "no such child", which
  // settles most steps without probing the hash table.
  const childBits = new Int32Array(maxNodes)
  const extraOutputs = new Map<number, number[]>() // node → further pattern indices ending here (duplicates)
  let nodeCount = 1

  /** The child of `node` by `c`, or -1 (no failure links followed). */
  const child = (node: number, c: number): number => {
    if (node === 0) return rootNext[c] || EMPTY
    if ((childBits[node] & (1 << (c & 31))) === 0) return EMPTY
    for (let slot = hashSlot(node, c); ; slot = (slot + 1) & mask) {
      const k = keyNode[slot]
      if (k === EMPTY) return EMPTY
      if (k === node && keyCode[slot] === c) return value[slot]
    }
  }
  const addChild = (node: number, c: number): number => {
    const next = nodeCount++
    parent[next] = node
    viaCode[next] = c
    depth[next] = depth[node] + 1
    childBits[node] |= 1 << (c & 31)
    if (node === 0) rootNext[c] = next
    else {
      let slot = hashSlot(node, c)
      while (keyNode[slot] !== EMPTY) slot = (slot + 1) & mask
      keyNode[slot] = node
      keyCode[slot] = c
      value[slot] = next
    }
    return next
  }

  patterns.forEach((p, index) => {
    if (p.length === 0) return
    let node = 0
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i)
      const next = child(node, c)
      node = next === EMPTY ? addChild(node, c) : next
    }
    if (terminal[node] === EMPTY) terminal[node] = index
    else {
      const list = extraOutputs.get(node) ?? []
      list.push(index)
      extraOutputs.set(node, list)
    }
  })

  const fail = new Int32Array(nodeCount)
  const dictLink = new Int32Array(nodeCount).fill(EMPTY) // nearest proper suffix node that is terminal

  const step = (node: number, c: number): number => {
    for (;;) {
      if (node === 0) return rootNext[c]
      const next = child(node, c)
      if (next !== EMPTY) return next
      node = fail[node]
    }
  }

  // Failure links in breadth-first order: nodes sorted by depth (a parent's link is set before its children's),
  // with a counting sort (a comparison sort of every node was most of the build time).
  let maxDepth = 0
  for (let node = 1; node < nodeCount; node++) if (depth[node] > maxDepth) maxDepth = depth[node]
  const nextAtDepth = new Int32Array(maxDepth + 2)
  for (let node = 1; node < nodeCount; node++) nextAtDepth[depth[node] + 1]++
  for (let d = 1; d <= maxDepth + 1; d++) nextAtDepth[d] += nextAtDepth[d - 1]
  const byDepth = new Int32Array(nodeCount - 1)
  for (let node = 1; node < nodeCount; node++) byDepth[nextAtDepth[depth[node]]++] = node
  for (const node of byDepth) {
    const up = parent[node]
    const f = up === 0 ? 0 : step(fail[up], viaCode[node])
    fail[node] = f
    dictLink[node] = terminal[f] !== EMPTY ? f : dictLink[f]
  }

  const nodeDepth = depth
  const nodeTerminal = terminal

  // The scan's own tables, built once the trie is complete: scanning is bound by dependent memory reads, so what one
  // step reads sits together. Transitions below the root: (node, code unit, child) side by side in one table sized
  // for the actual edge count, so a probe touches one cache line instead of three arrays'.
  let scanCapacity = 16
  while (scanCapacity < 2 * nodeCount) scanCapacity *= 2
  const scanMask = scanCapacity - 1
  const edges = new Int32Array(3 * scanCapacity).fill(EMPTY)
  for (let node = 1; node < nodeCount; node++) {
    const up = parent[node]
    if (up === 0) continue
    let slot = slotOf(up, viaCode[node], scanMask)
    while (edges[3 * slot] !== EMPTY) slot = (slot + 1) & scanMask
    edges[3 * slot] = up
    edges[3 * slot + 1] = viaCode[node]
    edges[3 * slot + 2] = node
  }
  const hasExtra = new Uint8Array(nodeCount)
  for (const node of extraOutputs.keys()) hasExtra[node] = 1
  // Per node, the first node of its output chain: itself when a pattern ends there, else its dictionary-suffix link
  // (one read per scan step instead of two).
  const firstOutput = new Int32Array(nodeCount)
  for (let node = 0; node < nodeCount; node++) firstOutput[node] = terminal[node] !== EMPTY ? node : dictLink[node]
  // Per node, (child bits, failure link) side by side.
  const nodeInfo = new Int32Array(2 * nodeCount)
  for (let node = 0; node < nodeCount; node++) {
    nodeInfo[2 * node] = childBits[node]
    nodeInfo[2 * node + 1] = fail[node]
  }
  const scanStep = (node: number, c: number): number => {
    for (;;) {
      if (node === 0) return rootNext[c]
      if ((nodeInfo[2 * node] & (1 << (c & 31))) !== 0) {
        for (let slot = slotOf(node, c, scanMask); ; slot = (slot + 1) & scanMask) {
          const k = edges[3 * slot]
          if (k === EMPTY) break
          if (k === node && edges[3 * slot + 1] === c) return edges[3 * slot + 2]
        }
      }
      node = nodeInfo[2 * node + 1]
    }
  }

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
        node = node === 0 ? rootNext[c] : scanStep(node, c)
        if (node === 0) continue
        for (let d = firstOutput[node]; d !== EMPTY; d = dictLink[d]) {
          const start = i + 1 - nodeDepth[d]
          hits.push(nodeTerminal[d], start, i + 1, count++)
          if (hasExtra[d] === 0) continue
          for (const p of extraOutputs.get(d)!) hits.push(p, start, i + 1, count++)
        }
      }
      return count
    },
    scan(text, onHit) {
      let node = 0
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i)
        node = node === 0 ? rootNext[c] : scanStep(node, c)
        if (node === 0) continue
        if (nodeTerminal[node] !== EMPTY) report(node, i + 1, onHit)
        for (let d = dictLink[node]; d !== EMPTY; d = dictLink[d]) report(d, i + 1, onHit)
      }
    }
  }
}
