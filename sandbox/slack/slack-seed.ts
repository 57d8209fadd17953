import type { SlackState } from './slack-state.ts'

export interface SlackSeed {
  teamId: string
  channelId: string
  users: { sam: string; alex: string; guest: string }
}

/**
 * The Lightbulb Moment workspace: channel #lightbulb-moment with sam, alex (the workspace's
 * primary owner), guest and the bot, and one custom emoji, `:partyparrot:`.
 */
export function seedSlack(state: SlackState): SlackSeed {
  const sam = state.addUser('sam')
  const alex = state.addUser('alex')
  const guest = state.addUser('guest')
  // Every workspace has one primary owner: alex, who set it up.
  Object.assign(alex, { is_admin: true, is_owner: true, is_primary_owner: true })
  state.emoji.custom.add('partyparrot')
  const channel = state.addChannel('lightbulb-moment', [sam.id, alex.id, guest.id, state.botUser.id])
  return {
    teamId: state.team.id,
    channelId: channel.id,
    users: { sam: sam.id, alex: alex.id, guest: guest.id },
  }
}
