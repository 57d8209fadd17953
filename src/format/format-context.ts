/**
 * What the converters know about the people, channels and roles a message mentions. Both
 * directions take it optionally: without it, an unknown id becomes readable plain text
 * (`UNKNOWN_MENTION`), never a raw `<@…>` that would render as gibberish or ping someone.
 */
export interface FormatContext {
  /** A display name for a user id of the source platform. */
  userName?(id: string): string | undefined
  /**
   * The same person's user id on the target platform, if they linked their accounts: the mention
   * then becomes a real mention there.
   */
  linkedUser?(id: string): string | undefined
  channelName?(id: string): string | undefined
  roleName?(id: string): string | undefined
  /**
   * A link to the original message, where what cannot be shown on the other platform can be
   * read: a Discord spoiler, which Slack has no way to hide.
   */
  sourceUrl?: string
}

/** Mass mentions as plain words, with a zero-width joiner after the @ so they cannot notify. */
export function neutralMassMention(which: 'everyone' | 'here' | 'channel'): string {
  return `@\u2060${which}`
}

/** Any "@everyone"-like word in plain text, defused the same way. */
export function defuseMassMentionWords(text: string): string {
  return text.replace(/@(everyone|here|channel)\b/gi, (_match, word: string) => `@\u2060${word}`)
}

/**
 * A mention nobody could name (a deleted account, a lookup that failed), in the words Discord's
 * own client uses for one it cannot resolve.
 */
export const UNKNOWN_MENTION = {
  user: 'unknown-user',
  channel: 'unknown-channel',
  role: 'unknown-role',
} as const

/**
 * A mention as plain text: the sigil and the name, without a sigil the name already has (a role
 * called "@everyone"), and never a broadcast word (a person who named themselves "here").
 */
export function mentionText(sigil: '@' | '#', name: string): string {
  return defuseMassMentionWords(`${sigil}${name.replace(/^[@#]/, '')}`)
}
