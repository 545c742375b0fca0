/** Deterministic generated notes for the benchmarks: ordinary prose with emoji, numbers, topics and some risky terms. */

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

const COMMON =
  "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间斯知世什两次使身者被高已亲其进此话常与活正感"
const SPRINKLES = ["😍", "✨", "！", "，", "。", "～", " ", "\n", "#好物分享 ", "#日常 ", "2024年", "人均88", "13:30", "🔥", "Vlog", "OOTD"]

/** `count` notes of `length` UTF-16 units; about 4 % of the pieces are drawn from `terms`. */
export function generateNotes(count: number, length: number, terms: string[]): string[] {
  const random = rng(20261127)
  const note = (): string => {
    let s = ""
    while (s.length < length) {
      const r = random()
      if (r < 0.04 && terms.length) s += terms[Math.floor(random() * terms.length)]
      else if (r < 0.12) s += SPRINKLES[Math.floor(random() * SPRINKLES.length)]
      else s += COMMON[Math.floor(random() * COMMON.length)]
    }
    return s.slice(0, length)
  }
  return Array.from({ length: count }, note)
}
