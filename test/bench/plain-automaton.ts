/**
 * The yardstick of issue 2: a plain, textbook Aho–Corasick over UTF-16 code units — a Map of transitions per node,
 * failure links set breadth-first, each node's output list merged with its failure node's. Deliberately not tuned;
 * `npm run bench` compares the full check against it and against our own automaton (src/engine/automaton.ts).
 */
export class PlainAhoCorasick {
  private readonly next: Map<number, number>[] = [new Map()]
  private readonly fail: number[] = [0]
  private readonly output: number[][] = [[]]
  private readonly depth: number[] = [0]

  constructor(patterns: readonly string[]) {
    patterns.forEach((pattern, index) => {
      if (!pattern) return
      let node = 0
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern.charCodeAt(i)
        let child = this.next[node].get(c)
        if (child === undefined) {
          child = this.next.length
          this.next.push(new Map())
          this.fail.push(0)
          this.output.push([])
          this.depth.push(this.depth[node] + 1)
          this.next[node].set(c, child)
        }
        node = child
      }
      this.output[node].push(index)
    })
    const queue = [...this.next[0].values()]
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]
      for (const [c, child] of this.next[node]) {
        let f = this.fail[node]
        while (f !== 0 && !this.next[f].has(c)) f = this.fail[f]
        const target = this.next[f].get(c)
        this.fail[child] = target !== undefined && target !== child ? target : 0
        this.output[child].push(...this.output[this.fail[child]])
        queue.push(child)
      }
    }
  }

  /** Calls `onHit(pattern, start, end)` for every occurrence of every pattern in `text`. */
  scan(text: string, onHit: (pattern: number, start: number, end: number) => void): void {
    let node = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      let next = this.next[node].get(c)
      while (next === undefined && node !== 0) {
        node = this.fail[node]
        next = this.next[node].get(c)
      }
      node = next ?? 0
      for (const pattern of this.output[node]) onHit(pattern, i + 1 - this.depth[node], i + 1)
    }
  }
}
