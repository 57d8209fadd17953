import { truncate } from '../format/truncate.ts'
import type { Platform } from '../platform/platform.ts'
import type { AuthorView } from '../platform/platform-port.ts'
import { visibleName } from './visible-name.ts'

/** How a mirror names the platform a person wrote on. */
export const PLATFORM_LABEL: Record<Platform, string> = { discord: 'Discord', slack: 'Slack' }

/** An author whose name shows nothing at all. */
const NAMELESS = 'someone'

export interface SignOptions {
  /** The longest name the platform takes, in UTF-16 code units (Discord's webhook names: 80). */
  max?: number
  /** A platform's own rewriting of words it refuses, applied to the name and the label alike. */
  rewrite?: (text: string) => string
}

/**
 * How a mirrored post is signed: the author's visible name, cut between graphemes (never inside
 * an emoji or a surrogate pair, ending in "…") so that the platform always follows whole:
 * "sam (Slack)". A name that already claims a platform ("mark (Discord)") keeps its words, but
 * the true platform is always last. Our own notices (platform null) carry no suffix.
 */
export function signedName(author: AuthorView, options: SignOptions = {}): string {
  const { max = Number.POSITIVE_INFINITY, rewrite = (text: string) => text } = options
  const suffix = author.platform === null ? '' : ` (${rewrite(PLATFORM_LABEL[author.platform])})`
  const name = rewrite(visibleName([author.displayName], NAMELESS))
  return `${truncate(name, max - suffix.length)}${suffix}`
}
