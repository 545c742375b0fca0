/**
 * Normalisation with an offset map back to the original string.
 *
 * Two views of a field, each code point mapped on its own:
 * - `text`: NFKC, lower case, traditional → simplified, zero-width and joiner characters removed.
 * - `compact`: `text` without spaces, emoji, symbols and filler punctuation; `+`/`➕` read as 加;
 *   Chinese and circled numerals (also the dingbat and double-circled ones NFKC leaves alone) read as digits. Sentence punctuation and line breaks stay as boundaries.
 * The compact view is built for every check; the text view only when a text-view pattern needs it, and then often
 * just for a part of the field (partialTextView).
 *
 * Each unit i of a view came from the original code point starting at starts[i], so a match [s, e) in a view
 * covers the original range [starts[s], endOf(view, original, e - 1)) — whole code points, never half a surrogate pair.
 */

export interface View {
  text: string
  /** Original offset of the code point each unit came from. */
  starts: Int32Array
}

/** Original end offset of the code point unit `k` of a view came from (after a surrogate pair, +2). */
export function endOf(view: View, original: string, k: number): number {
  const o = view.starts[k]
  const c = original.charCodeAt(o)
  return c >= 0xd800 && c <= 0xdbff && o + 1 < original.length && (original.charCodeAt(o + 1) & 0xfc00) === 0xdc00 ? o + 2 : o + 1
}

export interface NormalizedField {
  readonly original: string
  /** Built lazily on first access. */
  readonly text: View
  readonly compact: View
  /** Whether `text` has been built already. */
  readonly hasText: boolean
}

/** Traditional → simplified table over U+3400..U+9FFF; 0 means "unchanged". */
export type T2sTable = Uint16Array
const T2S_BASE = 0x3400
const T2S_END = 0x9fff

const t2sTables = new Map<string, T2sTable>()

/** The table for these pairs; built once per distinct pairs string, so its character cache is shared too. */
export function buildT2sTable(pairs: string): T2sTable {
  let cached = t2sTables.get(pairs)
  if (!cached) {
    cached = makeT2sTable(pairs)
    t2sTables.set(pairs, cached)
  }
  return cached
}

function makeT2sTable(pairs: string): T2sTable {
  const table = new Uint16Array(T2S_END - T2S_BASE + 1)
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const from = pairs.charCodeAt(i)
    if (from >= T2S_BASE && from <= T2S_END) table[from - T2S_BASE] = pairs.charCodeAt(i + 1)
  }
  return table
}

const CHINESE_DIGITS: Record<string, string> = {
  "零": "0", "〇": "0", "一": "1", "幺": "1", "二": "2", "两": "2", "三": "3", "四": "4",
  "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
  // financial (capital) numerals, used to write phone numbers past filters
  "壹": "1", "贰": "2", "叁": "3", "肆": "4", "伍": "5", "陆": "6", "柒": "7", "捌": "8", "玖": "9"
}

/** Characters removed from a view entirely (zero-width, joiners, variation selectors, BOM, bidi marks). */
function isInvisible(cp: number): boolean {
  return (
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0xfeff ||
    cp === 0x00ad ||
    cp === 0x034f ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef) ||
    (cp >= 0xe0000 && cp <= 0xe007f)
  )
}

/** Kept in the compact view as boundaries: sentence punctuation, line breaks, and characters with meaning in patterns. */
const KEPT_PUNCTUATION = new Set(Array.from("，。！？；：、,!?;:\n@#%¥$="))

const FILLER_RE = /[\p{Z}\s\p{S}\p{P}\p{Extended_Pictographic}\p{Emoji_Modifier}\p{M}]/u

interface CharMapping {
  text: string
  compact: string
}

/**
 * Enclosed digits NFKC leaves alone (① and ⒈ it reads as 1): negative, double-circled and dingbat circled digits
 * (❶❸❽, ⓵⓷⓻, ➀, ➊, ⓫…⓴, ⓿, 🄋🄌), another way of writing a phone number past a filter. null: not one.
 */
function enclosedDigits(cp: number): string | null {
  if (cp >= 0x24eb && cp <= 0x24f4) return String(cp - 0x24eb + 11) // ⓫..⓴
  if (cp >= 0x24f5 && cp <= 0x24fe) return String(cp - 0x24f5 + 1) // ⓵..⓾
  for (const first of [0x2776, 0x2780, 0x278a]) if (cp >= first && cp <= first + 9) return String(cp - first + 1) // ❶.. ➀.. ➊..
  if (cp === 0x24ff || cp === 0x1f10b || cp === 0x1f10c) return "0" // ⓿ 🄋 🄌
  return null
}

/** Per-code-point mapping cache for everything outside the ASCII and CJK fast paths. Bounded. */
const slowCache = new Map<number, CharMapping>()

function mapSlow(cp: number, t2s: T2sTable): CharMapping {
  const cached = slowCache.get(cp)
  if (cached !== undefined) return cached
  let text: string
  const digits = enclosedDigits(cp)
  if (digits !== null) {
    text = digits
  } else if (isInvisible(cp)) {
    text = ""
  } else {
    text = String.fromCodePoint(cp).normalize("NFKC").toLowerCase()
    let simplified = ""
    for (const ch of text) {
      const c = ch.codePointAt(0)!
      const s = c >= T2S_BASE && c <= T2S_END ? t2s[c - T2S_BASE] : 0
      simplified += s ? String.fromCharCode(s) : ch
    }
    text = simplified
  }
  let compact = ""
  for (const ch of text) compact += compactChar(ch)
  if (cp === 0x2795) compact = "加" // ➕ heavy plus sign
  const mapping = { text, compact }
  if (slowCache.size < 20000) slowCache.set(cp, mapping)
  return mapping
}

const CURRENCY_RE = /\p{Sc}/u

function compactChar(ch: string): string {
  const digit = CHINESE_DIGITS[ch]
  if (digit !== undefined) return digit
  if (ch === "+") return "加"
  if (KEPT_PUNCTUATION.has(ch) || CURRENCY_RE.test(ch)) return ch
  if (ch === "\r") return "\n"
  if (FILLER_RE.test(ch)) return ""
  return ch
}

/** ASCII mapping for the compact view, by char code: 0 = dropped. */
const ASCII_COMPACT_CODES = new Uint16Array(128)
for (let c = 0; c < 128; c++) {
  const mapped = compactChar(String.fromCharCode(c).toLowerCase())
  ASCII_COMPACT_CODES[c] = mapped ? mapped.charCodeAt(0) : 0
}

/** Chinese numerals → digit char codes over U+4E00..U+9FFF, for the CJK fast path (0 = not a numeral). */
const CJK_DIGIT_CODES = new Uint16Array(0x9fff - 0x4e00 + 1)
for (const [ch, d] of Object.entries(CHINESE_DIGITS)) {
  const code = ch.charCodeAt(0)
  if (code >= 0x4e00 && code <= 0x9fff) CJK_DIGIT_CODES[code - 0x4e00] = d.charCodeAt(0)
}

/**
 * Growable buffer of UTF-16 units with the original offset each came from. The engine keeps one set per field and
 * reuses it across checks (a view is only read until the next check), which spares the garbage collector.
 */
export class ViewBuffer {
  units: Uint16Array
  starts: Int32Array
  length = 0
  /** Whether a surrogate unit was written (only `string` writes them): if not, decoding needs no check for lone ones. */
  surrogates = false
  /**
   * Text-view units to watch for while building a compact view (1 = watched; null: none). They must be units the
   * compact view drops: their occurrences, invisible in it, are listed in `dropped` instead.
   */
  watch: Uint8Array | null = null
  /** (text unit, original start, original end) of each watched unit the last compact view dropped. */
  readonly dropped: number[] = []
  constructor(capacity = 1024) {
    this.units = new Uint16Array(capacity)
    this.starts = new Int32Array(capacity)
  }
  /** Empties the buffer, keeping at least `capacity` units of room. */
  reset(capacity: number): void {
    this.length = 0
    this.surrogates = false
    this.dropped.length = 0
    this.reserve(capacity)
  }
  /** Makes room for `extra` more units (only the slow path can expand one code point into several). */
  reserve(extra: number): void {
    if (this.length + extra <= this.units.length) return
    const capacity = (this.length + extra) * 2
    const units = new Uint16Array(capacity)
    units.set(this.units.subarray(0, this.length))
    const starts = new Int32Array(capacity)
    starts.set(this.starts.subarray(0, this.length))
    this.units = units
    this.starts = starts
  }
  string(s: string, start: number): void {
    this.reserve(s.length)
    for (let k = 0; k < s.length; k++) {
      const u = s.charCodeAt(k)
      if (u >= 0xd800 && u <= 0xdfff) this.surrogates = true
      this.units[this.length] = u
      this.starts[this.length++] = start
    }
  }
  view(): View {
    return { text: decodeUnits(this.units.subarray(0, this.length), this.surrogates), starts: this.starts.subarray(0, this.length) }
  }
}

const utf16 = typeof TextDecoder !== "undefined" ? new TextDecoder("utf-16le") : undefined

/** `surrogates`: whether `units` may hold surrogate units (when not, the scan for lone ones is skipped). */
function decodeUnits(units: Uint16Array, surrogates: boolean): string {
  if (utf16 && units.length > 64) {
    // TextDecoder replaces lone surrogates; use it only when there are none.
    let clean = true
    for (let k = 0; surrogates && k < units.length; k++) {
      const u = units[k]
      if (u >= 0xd800 && u <= 0xdfff) {
        const paired = u <= 0xdbff ? k + 1 < units.length && (units[k + 1] & 0xfc00) === 0xdc00 : false
        if (!paired) {
          clean = false
          break
        }
        k++
      }
    }
    if (clean) return utf16.decode(units)
  }
  let text = ""
  for (let k = 0; k < units.length; k += 4096) {
    text += String.fromCharCode.apply(null, units.subarray(k, Math.min(units.length, k + 4096)) as unknown as number[])
  }
  return text
}

/**
 * Per-table cache of BMP characters outside the ASCII and CJK fast paths (CJK punctuation, full-width forms, symbols)
 * whose mapping is one unit or nothing in each view: filled on first sight, then one array read per character.
 */
interface BmpCache {
  /** 0 = not seen yet, 1 = one-unit mapping stored below, 2 = expands: use mapSlow. */
  kind: Uint8Array
  text: Uint16Array
  compact: Uint16Array
  /** U+4E00..U+9FFF in the compact view (traditional → simplified, then numerals → digits): one read per character. */
  cjkCompact: Uint16Array
  /**
   * One bit per U+4E00..U+9FFF character, set when either view changes it (cjkCompact[c] !== c: a traditional form
   * or a numeral; a character the compact view keeps is one the text view keeps too). Most characters stay as they
   * are, and this 2.6 kB bitmap says so without reading the 42 kB tables, which other work keeps evicting from cache.
   */
  cjkChanged: Int32Array
}
const bmpCaches = new WeakMap<T2sTable, BmpCache>()

function bmpCacheFor(t2s: T2sTable): BmpCache {
  let cache = bmpCaches.get(t2s)
  if (!cache) {
    const cjkCompact = new Uint16Array(0x9fff - 0x4e00 + 1)
    for (let c = 0x4e00; c <= 0x9fff; c++) {
      const code = t2s[c - T2S_BASE] || c
      cjkCompact[c - 0x4e00] = CJK_DIGIT_CODES[code - 0x4e00] || code
    }
    const cjkChanged = new Int32Array((cjkCompact.length + 31) >> 5)
    for (let k = 0; k < cjkCompact.length; k++) if (cjkCompact[k] !== k + 0x4e00) cjkChanged[k >> 5] |= 1 << (k & 31)
    cache = { kind: new Uint8Array(65536), text: new Uint16Array(65536), compact: new Uint16Array(65536), cjkCompact, cjkChanged }
    bmpCaches.set(t2s, cache)
  }
  return cache
}

/** Caches the mapping of BMP character `c` (outside the fast paths) and returns its kind. */
function fillBmpCache(bmp: BmpCache, c: number, t2s: T2sTable): number {
  const m = mapSlow(c, t2s)
  const kind = m.text.length <= 1 && m.compact.length <= 1 ? 1 : 2
  bmp.kind[c] = kind
  bmp.text[c] = m.text ? m.text.charCodeAt(0) : 0
  bmp.compact[c] = m.compact ? m.compact.charCodeAt(0) : 0
  return kind
}

/** Reusable buffers for the two views of one field. */
export interface FieldBuffers {
  text: ViewBuffer
  compact: ViewBuffer
}

/**
 * Builds the views of a field (the text view only when first read). With `buffers`, the views live in them and are
 * valid until the buffers are used again.
 */
export function normalizeField(original: string, t2s: T2sTable, buffers?: FieldBuffers): NormalizedField {
  return new Field(original, t2s, buffers)
}

/** A NormalizedField as a class: its lazy text view is a prototype getter, not two closures per field checked. */
class Field implements NormalizedField {
  readonly compact: View
  private textView: View | undefined = undefined
  constructor(
    readonly original: string,
    private readonly t2s: T2sTable,
    private readonly buffers: FieldBuffers | undefined
  ) {
    this.compact = buildView(original, t2s, buffers?.compact ?? new ViewBuffer(original.length + 8), true)
  }
  get hasText(): boolean {
    return this.textView !== undefined
  }
  // Built on first use: most checks never need it (only text-view patterns that were triggered do).
  get text(): View {
    return (this.textView ??= buildView(this.original, this.t2s, this.buffers?.text ?? new ViewBuffer(this.original.length + 8), false))
  }
}

/**
 * One pass over the code points, filling `buffer` with the compact view (`compact`) or the text view. The buffer's
 * arrays and length live in locals during the loop (property loads and stores per character cost about as much as
 * the mapping itself); only the slow path, which may grow the buffer, writes them back and reloads them.
 */
function buildView(original: string, t2s: T2sTable, buffer: ViewBuffer, compact: boolean, from = 0, to = original.length): View {
  // `from` and `to` must fall on code point boundaries (never inside a surrogate pair).
  const n = to
  buffer.reset(n - from + 8)
  const bmp = bmpCacheFor(t2s)
  const cjkCompact = bmp.cjkCompact
  const cjkChanged = bmp.cjkChanged
  const watch = compact ? buffer.watch : null
  let units = buffer.units
  let starts = buffer.starts
  let length = 0
  let i = from
  while (i < n) {
    const c = original.charCodeAt(i)
    if (c < 128) {
      // ASCII fast path: no expansion, so the buffer (sized for the range + 8) always has room here.
      const u = compact ? ASCII_COMPACT_CODES[c] : c >= 65 && c <= 90 ? c + 32 : c
      if (u !== 0 || !compact) {
        units[length] = u
        starts[length++] = i
      } else if (watch !== null && watch[c >= 65 && c <= 90 ? c + 32 : c] === 1) {
        buffer.dropped.push(c >= 65 && c <= 90 ? c + 32 : c, i, i + 1)
      }
      i++
      continue
    }
    if (c >= 0x4e00 && c <= 0x9fff) {
      const k = c - 0x4e00
      units[length] = (cjkChanged[k >> 5] & (1 << (k & 31))) === 0 ? c : compact ? cjkCompact[k] : t2s[c - T2S_BASE] || c
      starts[length++] = i
      i++
      continue
    }
    if (c < 0xd800 || c > 0xdfff) {
      const kind = bmp.kind[c] || fillBmpCache(bmp, c, t2s)
      if (kind === 1) {
        const u = compact ? bmp.compact[c] : bmp.text[c]
        if (u !== 0) {
          units[length] = u
          starts[length++] = i
        } else if (watch !== null && watch[bmp.text[c]] === 1) {
          buffer.dropped.push(bmp.text[c], i, i + 1)
        }
        i++
        continue
      }
    }
    // Slow path: astral code points, lone surrogates, and characters that expand into several units.
    let cp = c
    let len = 1
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = original.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000
        len = 2
      }
    }
    buffer.length = length
    if (cp >= 0xd800 && cp <= 0xdfff) {
      // A lone surrogate: kept in the text view as is, dropped from the compact view.
      if (!compact) buffer.string(original[i], i)
    } else {
      const m = mapSlow(cp, t2s)
      const mapped = compact ? m.compact : m.text
      if (mapped) buffer.string(mapped, i)
      if (watch !== null) for (let k = 0; k < m.text.length; k++) if (watch[m.text.charCodeAt(k)] === 1) buffer.dropped.push(m.text.charCodeAt(k), i, i + len)
    }
    units = buffer.units
    starts = buffer.starts
    length = buffer.length
    i += len
  }
  buffer.length = length
  return buffer.view()
}

/** How many text-view units the code point at `i` (`len` units long) becomes: the text pass of buildView, counting only. */
function textUnitsAt(original: string, i: number, len: number, t2s: T2sTable, bmp: BmpCache): number {
  const c = original.charCodeAt(i)
  if (c < 128 || (c >= 0x4e00 && c <= 0x9fff)) return 1
  if (len === 1 && c >= 0xd800 && c <= 0xdfff) return 1 // a lone surrogate is kept as is
  if (len === 1) {
    const kind = bmp.kind[c] || fillBmpCache(bmp, c, t2s)
    if (kind === 1) return bmp.text[c] ? 1 : 0
    return mapSlow(c, t2s).text.length
  }
  return mapSlow(original.codePointAt(i)!, t2s).text.length
}

/**
 * The original offset (on a code point boundary) from which the text view has at least `units` units before
 * `offset`, or 0. A surrogate pair is one code point: a low surrogate pairs with the high one right before it.
 */
export function textUnitsBack(original: string, t2s: T2sTable, offset: number, units: number): number {
  const bmp = bmpCacheFor(t2s)
  let i = offset
  for (let count = 0; i > 0 && count < units; ) {
    const len = i >= 2 && (original.charCodeAt(i - 1) & 0xfc00) === 0xdc00 && (original.charCodeAt(i - 2) & 0xfc00) === 0xd800 ? 2 : 1
    i -= len
    count += textUnitsAt(original, i, len, t2s, bmp)
  }
  return i
}

/** The original offset (on a code point boundary) up to which the text view has at least `units` units after `offset`, or the end. */
export function textUnitsForward(original: string, t2s: T2sTable, offset: number, units: number): number {
  const bmp = bmpCacheFor(t2s)
  let i = offset
  for (let count = 0; i < original.length && count < units; ) {
    const len = (original.charCodeAt(i) & 0xfc00) === 0xd800 && i + 1 < original.length && (original.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1
    count += textUnitsAt(original, i, len, t2s, bmp)
    i += len
  }
  return i
}

/**
 * The text view of original[from, to) alone (both on code point boundaries), starts still in original offsets. Each
 * code point maps on its own, so this is exactly the slice of the whole field's text view over those code points:
 * a regex window that needs only a few dozen units doesn't pay for normalising the whole field.
 */
export function partialTextView(original: string, t2s: T2sTable, buffer: ViewBuffer, from: number, to: number): View {
  return buildView(original, t2s, buffer, false, from, to)
}

/** Scratch buffers for normalising terms at compile time (thousands of short strings: no allocation each). */
const termBuffers: FieldBuffers = { text: new ViewBuffer(64), compact: new ViewBuffer(64) }

/** Normalise a rule term or phrase to its compact form (what the automaton stores). */
export function compactOf(term: string, t2s: T2sTable): string {
  // Most terms are compact already (lower-case ASCII, simplified CJK): those come back as they are, unbuilt.
  const cjkCompact = bmpCacheFor(t2s).cjkCompact
  let same = true
  for (let i = 0; i < term.length && same; i++) {
    const c = term.charCodeAt(i)
    same = c < 128 ? ASCII_COMPACT_CODES[c] === c : c >= 0x4e00 && c <= 0x9fff && cjkCompact[c - 0x4e00] === c
  }
  return same ? term : buildView(term, t2s, termBuffers.compact, true).text
}
