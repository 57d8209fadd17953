import { createRequire } from 'node:module'

/**
 * The emoji names this workspace knows, as Slack does: every standard name and alias in iamcal's
 * emoji-data (the dataset Slack's names come from), each skin-tone variant Slack accepts
 * (`+1::skin-tone-3`, `handshake::skin-tone-2-6`), and the workspace's custom emoji.
 * `reactions.add` with any other name answers `invalid_name`, as Slack does
 * (https://api.slack.com/methods/reactions.add#errors).
 */
export class SlackEmoji {
  private static standard: Set<string> | undefined
  /** Custom emoji a workspace admin uploaded (`emoji.list` on Slack); the seed adds one. */
  readonly custom = new Set<string>()

  knows(name: string): boolean {
    return SlackEmoji.standardNames().has(name) || this.custom.has(name)
  }

  private static standardNames(): Set<string> {
    if (SlackEmoji.standard) return SlackEmoji.standard
    const entries = createRequire(import.meta.url)('emoji-datasource') as {
      short_names: string[]
      skin_variations?: Record<string, unknown>
    }[]
    const names = new Set<string>()
    for (const entry of entries) {
      for (const name of entry.short_names) {
        names.add(name)
        for (const tones of Object.keys(entry.skin_variations ?? {})) names.add(`${name}::${toneName(tones)}`)
      }
    }
    SlackEmoji.standard = names
    return names
  }
}

/** Fitzpatrick modifiers U+1F3FB…U+1F3FF are Slack's skin-tone-2…6; two people: `skin-tone-2-6`. */
function toneName(tones: string): string {
  const numbers = [...new Set(tones.split('-').map((tone) => Number.parseInt(tone, 16) - 0x1f3fb + 2))]
  return `skin-tone-${numbers.join('-')}`
}
