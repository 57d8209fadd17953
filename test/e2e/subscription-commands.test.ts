import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnDiscord, runOnSlack } from '../support/run-command.ts'

/** /subscribe, /unsubscribe and /digest as people run them on each platform, and what is stored. */
describe('subscription commands (real clients, sandbox, real database)', () => {
  const t = useBridge()

  const subscriptionsOf = (platform: 'discord' | 'slack', user: string) =>
    t.database.db
      .selectFrom('subscriptions as s')
      .innerJoin('identities as i', 'i.member_id', 's.member_id')
      .leftJoin('discussions as d', 'd.id', 's.discussion_id')
      .select(['d.number', 's.community_id', 's.level'])
      .where('i.platform', '=', platform)
      .where('i.platform_user_id', '=', user)
      .orderBy('d.number')
      .execute()

  it('subscribes in a Discord thread by default, and unsubscribes for good', async () => {
    const { jo } = t.sandbox.discordSeed.users
    const started = await runOnSlack(t, t.sandbox.slackSeed.users.sam, 'discuss Plants\nWho waters them?')
    const number = Number(/#(\d+)/.exec(started ?? '')?.[1])
    const [thread] = await eventually(
      () => control<any[]>(t.discordUrl, 'GET', `/channels/${t.sandbox.discordSeed.forumId}/threads`),
      (threads) => threads.length === 1,
    )

    expect(await runOnDiscord(t, jo, 'subscribe', {}, thread.id)).toBe(
      `You are subscribed to replies in #${number} “Plants”. You will hear in a daily digest at 09:00 (UTC); change it with /digest.`,
    )
    expect(await subscriptionsOf('discord', jo)).toEqual([{ number, community_id: null, level: 'watching' }])

    expect(await runOnDiscord(t, jo, 'unsubscribe', { discussion: `#${number}` })).toBe(
      `You will no longer be notified of replies in #${number} “Plants”.`,
    )
    expect(await subscriptionsOf('discord', jo)).toEqual([{ number, community_id: null, level: 'muted' }])
    // Muted stays muted: replying no longer subscribes them again.
    expect(await runOnDiscord(t, jo, 'reply', { text: 'Not me.' }, thread.id)).toMatch(/^Replied to/)
    expect(await subscriptionsOf('discord', jo)).toEqual([{ number, community_id: null, level: 'muted' }])
  })

  it('subscribes to every new discussion with /threadbridge subscribe new', async () => {
    const { sam } = t.sandbox.slackSeed.users
    expect(await runOnSlack(t, sam, 'subscribe new')).toBe(
      'You are subscribed to new discussions in Lightbulb Moment. You will hear in a daily digest at 09:00 (UTC); change it with /threadbridge digest.',
    )
    expect(await subscriptionsOf('slack', sam)).toEqual([
      { number: null, community_id: t.sandbox.community.id, level: 'watching' },
    ])
    expect(await runOnSlack(t, sam, 'unsubscribe new')).toBe(
      'You will no longer hear of new discussions in Lightbulb Moment.',
    )
    expect(await subscriptionsOf('slack', sam)).toEqual([
      { number: null, community_id: t.sandbox.community.id, level: 'muted' },
    ])
  })

  it('refuses a subscription from a non-member or outside any discussion, saying what to do', async () => {
    expect(await runOnSlack(t, t.sandbox.slackSeed.users.guest, 'subscribe new')).toBe(
      'You need to be a member of Lightbulb Moment first. Join Lightbulb Moment with /threadbridge join, then try again.',
    )
    expect(await runOnSlack(t, t.sandbox.slackSeed.users.sam, 'subscribe')).toBe(
      'Which discussion? Give its number or a link to it, as in /threadbridge subscribe 12, or /threadbridge subscribe new.',
    )
    expect(await runOnSlack(t, t.sandbox.slackSeed.users.sam, 'subscribe nonsense')).toBe(
      '"nonsense" is not a discussion: give its number, such as 12, or a link to one of its messages, or "new" for every new discussion.',
    )
    expect(await runOnDiscord(t, t.sandbox.discordSeed.users.jo, 'subscribe', { discussion: '404' })).toBe(
      'There is no discussion #404 in Lightbulb Moment.',
    )
  })

  it('sets how notifications arrive with /digest, validating the hour and the time zone', async () => {
    const { sam } = t.sandbox.slackSeed.users
    expect(await runOnSlack(t, sam, 'digest weekly 7 america/new_york')).toBe(
      'You will hear of replies in a weekly digest on Mondays at 07:00 (America/New_York).',
    )
    expect(await runOnSlack(t, sam, 'digest daily 25')).toBe(
      'digest: hour must be at most 23. Usage: /threadbridge digest [off|immediate|daily|weekly] [hour] [time zone] [day] [discord|slack|latest], in any order',
    )
    expect(await runOnSlack(t, sam, 'digest daily 8.5')).toBe(
      'digest: hour must be a whole number. Usage: /threadbridge digest [off|immediate|daily|weekly] [hour] [time zone] [day] [discord|slack|latest], in any order',
    )
    expect(await runOnSlack(t, sam, 'digest Daily Europe/Paris')).toBe(
      'You will hear of replies in a daily digest at 07:00 (Europe/Paris).',
    )
    expect(await runOnSlack(t, sam, 'digest weekly friday 18 America/New_York')).toBe(
      'You will hear of replies in a weekly digest on Fridays at 18:00 (America/New_York).',
    )
    expect(await runOnSlack(t, sam, 'digest slack')).toBe(
      'You will hear of replies in a weekly digest on Fridays at 18:00 (America/New_York), on Slack.',
    )
    expect(await runOnSlack(t, sam, 'digest discord')).toBe(
      'You have no Discord account linked, so digests cannot go there: link one first, or choose latest.',
    )
    expect(await runOnSlack(t, sam, 'digest fri +05:00')).toBe(
      '"+05:00" is a UTC offset, which ignores daylight saving (a 09:00 digest would drift by an hour twice a year): use a time zone name such as Europe/London or America/New_York.',
    )
    expect(await runOnSlack(t, sam, 'digest weekly funday')).toMatch(
      /^digest: day must be one of monday, tuesday/,
    )
    expect(await runOnSlack(t, sam, 'digest 9am')).toBe(
      'digest: hour must be a whole number. Usage: /threadbridge digest [off|immediate|daily|weekly] [hour] [time zone] [day] [discord|slack|latest], in any order',
    )
    expect(await runOnSlack(t, sam, 'digest latest')).toBe(
      'You will hear of replies in a weekly digest on Fridays at 18:00 (America/New_York).',
    )
    expect(await runOnSlack(t, sam, 'digest')).toBe(
      'You hear of replies in a weekly digest on Fridays at 18:00 (America/New_York). Change it with /threadbridge digest off, immediate, daily or weekly.',
    )
    expect(await runOnSlack(t, sam, 'digest daily 8 Mars/Olympus')).toBe(
      '"Mars/Olympus" is not a time zone; use a name such as Europe/London or America/New_York.',
    )
    expect(await runOnSlack(t, sam, 'digest hourly')).toBe(
      'digest: frequency must be one of off, immediate, daily, weekly. Usage: /threadbridge digest [off|immediate|daily|weekly] [hour] [time zone] [day] [discord|slack|latest], in any order',
    )
    const { jo } = t.sandbox.discordSeed.users
    expect(await runOnDiscord(t, jo, 'digest', { frequency: 'immediate' })).toBe(
      'You will hear of replies right away, a message per burst of replies.',
    )
    expect(await runOnDiscord(t, jo, 'digest', { frequency: 'off' })).toBe(
      'Notifications are off: you will hear of no replies until you choose another frequency.',
    )

    const preferences = await t.database.db
      .selectFrom('member_preferences as p')
      .innerJoin('identities as i', 'i.member_id', 'p.member_id')
      .select(['i.platform', 'p.digest_frequency', 'p.digest_hour', 'p.timezone'])
      .orderBy('i.platform')
      .execute()
    expect(preferences).toEqual([
      { platform: 'discord', digest_frequency: 'off', digest_hour: 9, timezone: 'UTC' },
      { platform: 'slack', digest_frequency: 'weekly', digest_hour: 18, timezone: 'America/New_York' },
    ])
  })
})
