import { describe, expect, it } from 'vitest'
import { convertText } from '../../../src/format/index.ts'
import { guardSlackText } from '../../../src/format/slack-control-guard.ts'

describe('text posted back to the platform it was written on (a command’s text)', () => {
  it('defuses Slack broadcasts and user groups, keeping a person’s own mentions', () => {
    expect(
      guardSlackText(
        convertText(
          'hey <!channel> <!here|here> <!everyone> <!subteam^S0DEVS|@devs> <@U0ALEX>',
          'slack',
          'slack',
        ),
      ),
    ).toBe('hey @\u2060channel @\u2060here @\u2060everyone @devs <@U0ALEX>')
  })

  it('leaves Discord text as written: allowed_mentions keeps it from pinging', () => {
    expect(convertText('hey @everyone <@1>', 'discord', 'discord')).toBe('hey @everyone <@1>')
  })
})
