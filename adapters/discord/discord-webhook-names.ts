import { truncate } from '../../src/format/truncate.ts'
import { signedName } from '../../src/names/signed-name.ts'
import type { AuthorView } from '../../src/platform/platform-port.ts'

/** Discord's longest webhook name, in characters. */
const MAX_WEBHOOK_NAME = 80
/** Words Discord refuses anywhere in a webhook's name, in any case. */
const REFUSED_WORDS = /(disc)(ord)|(cl)(yde)/gi

/**
 * How a mirrored post is signed on Discord: the author's name and platform ("sam (Slack)") as the
 * webhook message's username, at most 80 characters with the platform always whole (see
 * signedName), and their avatar. Discord refuses webhook names containing "discord" or "clyde"
 * (https://discord.com/developers/docs/resources/webhook#create-webhook; its naming rules also
 * "limit some zero-width characters", so an invisible joiner is no way around it): a visible
 * middle dot splits those words ("Disc·ord"), until none is left.
 */
export function webhookIdentity(author: AuthorView): { username: string; avatarURL?: string } {
  const username = signedName(author, { max: MAX_WEBHOOK_NAME, rewrite: withoutRefusedWords })
  return { username, ...(author.avatarUrl ? { avatarURL: author.avatarUrl } : {}) }
}

function withoutRefusedWords(text: string): string {
  let rewritten = text
  // Splitting one word can join letters into another ("discordiscord"): repeat until none is left.
  while (new RegExp(REFUSED_WORDS.source, 'i').test(rewritten))
    rewritten = rewritten.replace(REFUSED_WORDS, (_word, disc, ord, cl, yde) =>
      disc === undefined ? `${cl}\u00b7${yde}` : `${disc}\u00b7${ord}`,
    )
  return rewritten
}

/** A forum thread's name: the title on one line, within Discord's 100 characters. */
export function threadName(title: string): string {
  return truncate(title.replace(/\s+/g, ' ').trim(), 100) || 'Discussion'
}
