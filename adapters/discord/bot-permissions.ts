import { PermissionFlagsBits } from 'discord-api-types/v10'

/**
 * Every Discord permission the bot uses, each with why: what `threadbridge invite` asks an admin
 * to grant, what the sandbox's bot role holds, and what `threadbridge doctor` checks in each
 * bridged channel. Nothing more: an admin should be able to read why each right is asked for.
 * Bits from https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags
 */
export const BOT_PERMISSION_REASONS = {
  ViewChannel: 'see the bridged channel and its threads, and receive their messages',
  SendMessages: 'open a forum post (or a message) for a discussion started on Slack',
  SendMessagesInThreads: 'post in discussion threads',
  CreatePublicThreads: 'open a thread for a discussion in a text channel',
  ManageThreads: 'rename, lock and unlock discussion threads, and reopen an archived one to post in it',
  ManageWebhooks: "create the webhook that posts each Slack person's message under their name",
  ManageMessages: "delete a person's message everywhere (an author's or a moderator's deletion)",
  EmbedLinks: 'show link previews and embeds in what the bot posts',
  ReadMessageHistory: "read earlier messages, to find what a timed-out post did and a thread's first message",
  AddReactions: 'mirror a reaction made on Slack',
} as const satisfies Partial<Record<keyof typeof PermissionFlagsBits, string>>

export type BotPermissionName = keyof typeof BOT_PERMISSION_REASONS

/** The names, in the order above: how doctor names a missing right. */
export const BOT_PERMISSION_NAMES = Object.keys(BOT_PERMISSION_REASONS) as BotPermissionName[]

/** The rights above as Discord's permission integer (a bigint: bits go past 2^53). */
export const BOT_PERMISSIONS: bigint = BOT_PERMISSION_NAMES.reduce(
  (all, name) => all | PermissionFlagsBits[name],
  0n,
)

/** The rights among `names` that `granted` lacks. */
export function missingPermissions(
  granted: bigint,
  names: readonly BotPermissionName[] = BOT_PERMISSION_NAMES,
) {
  return names.filter((name) => (granted & PermissionFlagsBits[name]) === 0n)
}
