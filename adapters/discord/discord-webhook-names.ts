import { truncate } from '../../src/format/truncate.ts'
import type { AuthorView } from '../../src/platform/platform-port.ts'

/**
 * How a mirrored post is signed on Discord: the author's name and platform ("sam (Slack)") as the
 * webhook message's username (at most 80 characters), and their avatar. Discord refuses usernames
 * containing "discord" or "clyde"; a word joiner keeps them readable
 * (https://discord.com/developers/docs/resources/webhook#execute-webhook).
 */
export function webhookIdentity(author: AuthorView): { username: string; avatarURL?: string } {
  const label =
    author.platform === null
      ? author.displayName
      : `${author.displayName} (${author.platform === 'slack' ? 'Slack' : 'Discord'})`
  const username = label
    .replace(/(disc)(ord)/gi, '$1\u2060$2')
    .replace(/(cl)(yde)/gi, '$1\u2060$2')
    .slice(0, 80)
  return { username, ...(author.avatarUrl ? { avatarURL: author.avatarUrl } : {}) }
}

/** A forum thread's name: the title on one line, within Discord's 100 characters. */
export function threadName(title: string): string {
  return truncate(title.replace(/\s+/g, ' ').trim(), 100) || 'Discussion'
}
