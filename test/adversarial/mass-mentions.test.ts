import { describe, expect, it } from 'vitest'
import { guardedFetch } from '../../adapters/slack/slack-guarded-fetch.ts'
import { escapeSlack } from '../../src/format/discord-to-slack.ts'
import { convertText, discordToSlack } from '../../src/format/index.ts'
import { guardSlackText, OWN_MENTION_MARK } from '../../src/format/slack-control-guard.ts'

/** Any Slack control sequence that notifies: a broadcast, a user group, a person. */
const NOTIFIES = /<[!@]/

/** Attack 2 of issue 17: a masked link's target reached Slack as a control sequence. */
const ATTACKS = ['[](!channel)', '[x](!here)', '[docs](!subteam^S0123)', '[you](@U0123ABCD)', '[](!everyone)']

describe('a Discord member cannot ping a crowd on Slack through a masked link', () => {
  it.each(ATTACKS)('%s converts to text that notifies nobody', (attack) => {
    const converted = discordToSlack(attack)
    expect(converted).not.toMatch(NOTIFIES)
    expect(guardSlackText(converted)).not.toMatch(NOTIFIES)
  })

  it.each(ATTACKS)('%s in a digest line notifies nobody', (attack) => {
    expect(guardSlackText(convertText(attack, 'discord', 'slack'))).not.toMatch(NOTIFIES)
  })

  it('keeps the label and shows the target as text', () => {
    expect(discordToSlack('[x](!here)')).toBe('x (!here)')
  })
})

describe('the last pass before Slack', () => {
  it.each([
    '<!channel>',
    '<!here|x>',
    '<!everyone>',
    '<!subteam^S0123|@devs>',
    '<@U0123ABCD>',
    '<@W0123ABCD|you>',
    '<!date^1700000000^{date}^https://evil.example|today>',
  ])('turns %s into visible text', (sequence) => {
    const guarded = guardSlackText(`hey ${sequence} there`)
    expect(guarded).not.toMatch(NOTIFIES)
    expect(guarded).toContain('&lt;')
  })

  it.each([
    `<${OWN_MENTION_MARK}!channel>`,
    `<${OWN_MENTION_MARK}${OWN_MENTION_MARK}!here|x>`,
    `<${OWN_MENTION_MARK}@U0123ABCD>`,
  ])('does not join a stray mark’s neighbours into a live sequence: %j', (sequence) => {
    const guarded = guardSlackText(`hey ${sequence} there`)
    expect(guarded).not.toMatch(NOTIFIES)
    expect(guarded).not.toContain(OWN_MENTION_MARK)
  })

  it('keeps the mentions a converter made for linked people, and plain dates', () => {
    const linked = discordToSlack('hi <@123456789012345678>', { linkedUser: () => 'U0SAM' })
    expect(guardSlackText(linked)).toBe('hi <@U0SAM>')
    const date = discordToSlack('<t:1700000000:R>')
    expect(guardSlackText(date)).toBe(date)
  })

  // The mark is trusted by the pass; what makes it unforgeable is that every path people's words
  // take towards Slack removes it first.
  it('cannot be fooled by a mark someone typed', () => {
    const typed = `${OWN_MENTION_MARK}<@U0123ABCD> ${OWN_MENTION_MARK}<!channel>`
    expect(guardSlackText(escapeSlack(typed))).not.toMatch(NOTIFIES)
    expect(guardSlackText(discordToSlack(typed))).not.toMatch(NOTIFIES)
    expect(guardSlackText(convertText(typed, 'slack', 'slack'))).not.toMatch(/<!/)
    expect(guardSlackText(convertText(typed, 'plain', 'slack'))).not.toMatch(NOTIFIES)
  })
})

describe('every request to Slack passes the last pass', () => {
  async function sent(init: RequestInit): Promise<string> {
    let body = ''
    const recording: typeof fetch = async (_input, given) => {
      body = String(given?.body)
      return new Response('{"ok":true}')
    }
    await guardedFetch(recording)('https://slack.example/api/chat.postMessage', init)
    return body
  }

  it('a Web API call: its text, its blocks and its username', async () => {
    const form = new URLSearchParams({
      channel: 'C0LIGHT',
      text: 'hey <!channel>',
      username: 'x <!here>',
      blocks: JSON.stringify([
        { type: 'section', text: { type: 'mrkdwn', text: '<!subteam^S1|@devs> <@U0ALEX>' } },
      ]),
    }).toString()
    const body = await sent({
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
    })
    const fields = new URLSearchParams(body)
    expect(fields.get('channel')).toBe('C0LIGHT')
    expect(fields.get('text')).not.toMatch(NOTIFIES)
    expect(fields.get('username')).not.toMatch(NOTIFIES)
    expect(fields.get('blocks')).not.toMatch(NOTIFIES)
    expect(JSON.parse(fields.get('blocks') ?? '')[0].text.type).toBe('mrkdwn')
  })

  it('an answer through a response_url', async () => {
    const body = await sent({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'done <!here>' }),
    })
    expect(JSON.parse(body)).toEqual({ response_type: 'ephemeral', text: 'done &lt;!here&gt;' })
  })
})
