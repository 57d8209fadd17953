import type { PlatformActor } from '../../src/platform/platform.ts'

/** The seed community's people, on the platforms they use. */
export const jo: PlatformActor = {
  platform: 'discord',
  platformUserId: '100000000000000001',
  displayName: 'jo',
}
export const mark: PlatformActor = {
  platform: 'discord',
  platformUserId: '100000000000000002',
  displayName: 'mark',
}
export const visitor: PlatformActor = {
  platform: 'discord',
  platformUserId: '100000000000000003',
  displayName: 'visitor',
}
export const sam: PlatformActor = { platform: 'slack', platformUserId: 'U0SAM', displayName: 'sam' }
export const alex: PlatformActor = { platform: 'slack', platformUserId: 'U0ALEX', displayName: 'alex' }
export const guest: PlatformActor = { platform: 'slack', platformUserId: 'U0GUEST', displayName: 'guest' }
/** A Slack user who shares Discord user jo's id string: platforms namespace ids, so they are two people. */
export const slackTwinOfJo: PlatformActor = {
  platform: 'slack',
  platformUserId: jo.platformUserId,
  displayName: 'not jo',
}

export const lightbulb = {
  id: 'lightbulb-moment',
  name: 'Lightbulb Moment',
  discord: { guildId: '900000000000000001', channelId: '900000000000000002' },
  slack: { teamId: 'T0LIGHT', channelId: 'C0LIGHT' },
  moderators: [{ platform: 'discord' as const, userId: mark.platformUserId }],
}
