import { describe, expect, it } from 'vitest'
import { eventually, useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'
import { runOnDiscord } from '../support/run-command.ts'

type Answer = {
  interaction_id: string
  answered: boolean
  responses: { kind: string; content: string | null; ephemeral: boolean; modal?: any }[]
  choices?: { name: string; value: string }[] | null
}

/**
 * What Discord gets beyond typed options: a modal for /discuss run bare, and autocomplete where a
 * discussion or a time zone is chosen.
 */
describe('Discord forms and suggestions (real discord.js client, sandbox, real database)', () => {
  const t = useBridge()
  const interact = (body: Record<string, unknown>) =>
    control<Answer>(t.discordUrl, 'POST', '/interactions', {
      user_id: t.sandbox.discordSeed.users.jo,
      channel_id: t.sandbox.discordSeed.forumId,
      ...body,
    })

  it('shows a form for /discuss run bare, and starts the discussion submitted', async () => {
    const shown = await interact({ name: 'discuss' })
    expect(shown.responses.map((r) => r.kind)).toEqual(['modal'])
    expect(shown.responses[0]?.modal).toMatchObject({
      title: 'Start a discussion',
      inputs: [
        { custom_id: 'title', label: 'Title', required: true, max_length: 300 },
        { custom_id: 'body', label: 'Opening post', required: false },
      ],
    })
    const submitted = await control<Answer>(
      t.discordUrl,
      'POST',
      `/interactions/${shown.interaction_id}/modal`,
      {
        values: { title: 'Form-made', body: 'Written in a modal.' },
      },
    )
    expect(submitted.answered).toBe(true)
    expect(submitted.responses.every((r) => r.ephemeral)).toBe(true)
    expect(submitted.responses.at(-1)?.content).toMatch(/^Started #1 “Form-made” in Lightbulb Moment/)
    const [root] = await eventually(
      () => control<any[]>(t.slackUrl, 'GET', `/conversations/${t.sandbox.slackSeed.channelId}/history`),
      (roots) => roots.length === 1,
    )
    expect(root.text).toBe('*Form-made*\nWritten in a modal.')
  })

  it('refuses a non-member before the form opens, so nothing typed is lost', async () => {
    const shown = await interact({ name: 'discuss', user_id: t.sandbox.discordSeed.users.visitor })
    expect(shown.responses.map((r) => [r.kind, r.ephemeral])).toEqual([['initial', true]])
    expect(shown.responses[0]?.content).toBe(
      'You need to be a member of Lightbulb Moment first. Join Lightbulb Moment with /join, then try again.',
    )
  })

  it('suggests discussions by number or title, every new discussion, and time zones', async () => {
    const { jo } = t.sandbox.discordSeed.users
    for (const title of ['Coffee machine', 'Bike racks', 'Coffee beans'])
      await runOnDiscord(t, jo, 'discuss', { title, body: 'Body.' })

    const byWords = await interact({
      name: 'reply',
      options: { text: 'x', discussion: 'coffee' },
      focused: 'discussion',
    })
    expect(byWords.choices).toEqual([
      { name: '#3 “Coffee beans”', value: '3' },
      { name: '#1 “Coffee machine”', value: '1' },
    ])
    const byNumber = await interact({ name: 'reply', options: { discussion: '2' }, focused: 'discussion' })
    expect(byNumber.choices).toEqual([{ name: '#2 “Bike racks”', value: '2' }])
    const forSubscribe = await interact({
      name: 'subscribe',
      options: { discussion: '' },
      focused: 'discussion',
    })
    expect(forSubscribe.choices?.map((c) => c.value)).toEqual(['new', '3', '2', '1'])
    const zones = await interact({
      name: 'digest',
      options: { frequency: 'daily', timezone: 'new_y' },
      focused: 'timezone',
    })
    expect(zones.choices).toEqual([{ name: 'America/New_York', value: 'America/New_York' }])

    // The suggestion's value is what the command takes.
    expect(await runOnDiscord(t, jo, 'reply', { text: 'Chosen from the list.', discussion: '2' })).toBe(
      'Replied to #2 “Bike racks”: it appears on Discord and Slack in a moment.',
    )
  })
})
