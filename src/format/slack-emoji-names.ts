import { createRequire } from 'node:module'

/**
 * Slack's names for Unicode emoji, both ways, from iamcal's emoji-data (`emoji-datasource`): the
 * dataset Slack's own emoji names come from. A name may carry a skin tone the way Slack writes it
 * in message text (`:ok_hand::skin-tone-5:`) and in reaction names (`ok_hand::skin-tone-5`);
 * here it is `ok_hand::skin-tone-5`, without the outer colons.
 *
 * Skin tones: Slack numbers the five Fitzpatrick modifiers U+1F3FB…U+1F3FF as `skin-tone-2` …
 * `skin-tone-6`; an emoji with two people of different tones is `skin-tone-2-6`.
 */
interface DatasetEntry {
  unified: string
  non_qualified: string | null
  short_name: string
  short_names: string[]
  skin_variations?: Record<string, { unified: string; non_qualified: string | null }>
}

interface Index {
  /** Every short name (aliases included), with tone suffix where it has one → the emoji. */
  byName: Map<string, string>
  /** The fully-qualified emoji (and tone variants) → Slack's primary name. */
  byUnicode: Map<string, string>
  /** Non-qualified spellings (no U+FE0F) → Slack's primary name: what reactions may carry. */
  byLooseUnicode: Map<string, string>
}

let index: Index | undefined

/** The emoji that Slack calls `name` (`thinking_face`, `+1::skin-tone-3`), or undefined. */
export function unicodeForSlackName(name: string): string | undefined {
  return dataset().byName.get(name)
}

/**
 * Slack's name for a Unicode emoji (`🤔` → `thinking_face`, `👌🏾` → `ok_hand::skin-tone-5`), or
 * undefined when Slack has none. With `exact`, only the fully-qualified spelling matches, so a
 * conversion back to Unicode gives the same code points.
 */
export function slackNameForUnicode(unicode: string, exact = false): string | undefined {
  const { byUnicode, byLooseUnicode } = dataset()
  return byUnicode.get(unicode) ?? (exact ? undefined : byLooseUnicode.get(unicode))
}

/** Whether Slack has a standard emoji of this name (custom workspace emoji are not in the dataset). */
export function isSlackEmojiName(name: string): boolean {
  return dataset().byName.has(name)
}

function dataset(): Index {
  if (index !== undefined) return index
  // Loaded on first use: 1.3 MB of JSON that a process which never converts an emoji need not parse.
  const entries = createRequire(import.meta.url)('emoji-datasource') as DatasetEntry[]
  const built: Index = { byName: new Map(), byUnicode: new Map(), byLooseUnicode: new Map() }
  for (const entry of entries) {
    const emoji = fromCodePoints(entry.unified)
    const primary = primaryName(entry)
    built.byUnicode.set(emoji, primary)
    if (entry.non_qualified) built.byLooseUnicode.set(fromCodePoints(entry.non_qualified), primary)
    for (const name of entry.short_names) built.byName.set(name, emoji)
    for (const [tones, variation] of Object.entries(entry.skin_variations ?? {})) {
      const suffix = `::${skinToneName(tones)}`
      const toned = fromCodePoints(variation.unified)
      built.byUnicode.set(toned, `${primary}${suffix}`)
      if (variation.non_qualified)
        built.byLooseUnicode.set(fromCodePoints(variation.non_qualified), `${primary}${suffix}`)
      for (const name of entry.short_names) built.byName.set(`${name}${suffix}`, toned)
    }
  }
  index = built
  return built
}

/**
 * The name Slack shows. Ten country flags kept their pre-2016 names first (`jp`, `us`); Slack
 * writes every country flag as `flag-xx`, so that spelling wins where there is one.
 */
function primaryName(entry: DatasetEntry): string {
  return entry.short_names.find((name) => name.startsWith('flag-')) ?? entry.short_name
}

/** `1F3FE` → `skin-tone-5`; `1F3FB-1F3FF` → `skin-tone-2-6`; a repeated tone is named once. */
function skinToneName(tones: string): string {
  const numbers = [...new Set(tones.split('-').map((tone) => Number.parseInt(tone, 16) - 0x1f3fb + 2))]
  return `skin-tone-${numbers.join('-')}`
}

function fromCodePoints(hex: string): string {
  return String.fromCodePoint(...hex.split('-').map((point) => Number.parseInt(point, 16)))
}
