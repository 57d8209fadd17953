import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { discordCommand } from '../../adapters/discord/discord-command-data.ts'
import { COMMANDS } from '../../commands/registry.ts'
import { useBridge } from '../support/bridge-harness.ts'
import { control } from '../support/control.ts'

/**
 * Every command's arguments, fuzzed through the real clients and the sandbox: empty, too long,
 * unicode, markup, mentions and injection strings, in every position. Each input must be answered,
 * privately, in words (never our apology for a crash, never a stack trace), and the bot must stay up.
 */
describe('command arguments, fuzzed on both platforms (real clients, sandbox, real database)', () => {
  const t = useBridge()

  const nasty = fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      '0',
      '-1',
      '#0',
      '99999999999',
      'NaN',
      '1e3',
      "'; drop table discussions; --",
      '\u0024{process.exit()}',
      '<script>alert(1)</script>',
      '@everyone',
      '<!channel>',
      '<@U0SAM>',
      '<@100000000000000001>',
      '**bold** _it_ ~~s~~ `code`',
      '```\nblock\n```',
      'https://discord.com/channels/1/2/3',
      '<https://x.slack.com/archives/C0LIGHT/p1700000000000100>',
      'Europe/London',
      'weekly',
      'new',
      '\u202Eevil\u202C',
      '👩🏽‍💻🇯🇵',
      '数据 مرحبا',
      '\u0000\u0007',
    ),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ minLength: 301, maxLength: 700 }),
  )
  const ANSWER_DEADLINE_MS = 3000
  const apology = /something went wrong/i
  const stackTrace = /\bat \S+ \(\S+:\d+:\d+\)|\w*Error: |node_modules\//

  it('answers every Slack subcommand, whatever follows it', async () => {
    const { sam } = t.sandbox.slackSeed.users
    const names = [...COMMANDS.map((c) => c.name), 'nope']
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.array(nasty, { maxLength: 3 }),
        fc.boolean(),
        async (name, words, lines) => {
          const text = `${name} ${words.join(lines ? '\n' : ' ')}`
          const started = Date.now()
          const result = await control<{
            answered: boolean
            responses: { text: string; response_type: string }[]
          }>(t.slackUrl, 'POST', '/commands', {
            user: sam,
            channel: t.sandbox.slackSeed.channelId,
            command: '/threadbridge',
            text,
          })
          expect(result.answered, text).toBe(true)
          expect(Date.now() - started).toBeLessThan(ANSWER_DEADLINE_MS + 10_000)
          const said = result.responses.filter((r) => r.text !== '')
          if (said.length === 0) {
            // Answered with a form instead (a command run with nothing after it): close it.
            const shown = await control<{ views: unknown[] }>(t.slackUrl, 'GET', `/shown/${sam}`)
            expect(shown.views.length, text).toBe(1)
            await control(t.slackUrl, 'POST', '/views/close', { user: sam })
          }
          for (const answer of said) {
            expect(answer.response_type).toBe('ephemeral')
            expect(answer.text, text).not.toMatch(apology)
            expect(answer.text, text).not.toMatch(stackTrace)
          }
        },
      ),
      { numRuns: 30 },
    )
  })

  it('answers every Discord command, whatever its string options hold', async () => {
    const runs = COMMANDS.map((command) => {
      const options = discordCommand(command).options ?? []
      const value = (option: (typeof options)[number]) => {
        // Discord's client only sends a listed choice, an integer within bounds, text within
        // max_length: the fuzz sends what Discord would, with the worst content it allows.
        if ('choices' in option && option.choices)
          return fc.constantFrom(...option.choices.map((c) => c.value))
        // A user option: Discord's picker sends one of the server's people.
        if (option.type === 6) return fc.constantFrom(...Object.values(t.sandbox.discordSeed.users))
        if ('minValue' in option && option.type === 4)
          return fc.integer({ min: option.minValue ?? -1e6, max: option.maxValue ?? 1e6 })
        const max = 'maxLength' in option && option.maxLength ? option.maxLength : 6000
        return nasty.map((s) => s.slice(0, max)).filter((s) => s.trim() !== '')
      }
      return fc
        .record(
          Object.fromEntries(
            options.map((o) => [
              o.name,
              'required' in o && o.required ? value(o) : fc.option(value(o), { nil: undefined }),
            ]),
          ),
        )
        .map((args) => ({ name: command.name, args }))
    })
    await fc.assert(
      fc.asyncProperty(fc.oneof(...runs), fc.boolean(), async ({ name, args }, inForum) => {
        const options = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined))
        const result = await control<{
          answered: boolean
          responses: { kind: string; content: string | null; ephemeral: boolean }[]
        }>(t.discordUrl, 'POST', '/interactions', {
          user_id: t.sandbox.discordSeed.users.jo,
          channel_id: inForum ? t.sandbox.discordSeed.forumId : t.sandbox.discordSeed.generalId,
          name,
          options,
        })
        const what = `${name} ${JSON.stringify(options)}`
        expect(result.answered, what).toBe(true)
        // A command with a form, run bare, shows the form: a modal only that person sees.
        if (result.responses.length === 1 && result.responses[0]?.kind === 'modal') return
        expect(
          result.responses.every((r) => r.ephemeral),
          what,
        ).toBe(true)
        const last = result.responses.at(-1)?.content ?? ''
        expect(last, what).not.toBe('')
        expect(last, what).not.toMatch(apology)
        expect(last, what).not.toMatch(stackTrace)
      }),
      { numRuns: 30 },
    )
  })
})
