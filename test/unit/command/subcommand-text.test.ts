import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineCommand } from '../../../src/command/command.ts'
import { slackArgs, slackUsage, splitSubcommand } from '../../../src/command/subcommand-text.ts'

const command = (slack: { positional: string[]; split?: 'words' | 'lines' }) =>
  defineCommand({
    name: 'try',
    description: 'A command to parse for',
    args: z.object({ first: z.string().optional(), second: z.string(), third: z.string().optional() }),
    slack: slack as never,
    async run() {
      return { text: '' }
    },
  })

describe('Slack subcommand text', () => {
  it('splits the subcommand word (lowercased) from the rest, keeping the rest’s lines', () => {
    expect(splitSubcommand('  Discuss Coffee\nIs it good?  ')).toEqual({
      name: 'discuss',
      rest: 'Coffee\nIs it good?',
    })
    expect(splitSubcommand('discuss\nCoffee\nIs it good?')).toEqual({
      name: 'discuss',
      rest: 'Coffee\nIs it good?',
    })
    expect(splitSubcommand('')).toEqual({ name: 'help', rest: '' })
    expect(splitSubcommand(' \n ')).toEqual({ name: 'help', rest: '' })
  })

  it('takes one word per argument and the rest of the text for the last', () => {
    const words = command({ positional: ['first', 'second', 'third'] })
    expect(slackArgs(words, '12 hello there\nfriend')).toEqual({
      first: '12',
      second: 'hello',
      third: 'there\nfriend',
    })
    expect(slackArgs(words, '12')).toEqual({ first: '12' })
    expect(slackArgs(words, '')).toEqual({})
  })

  it('with lines, takes the first line and then the following ones', () => {
    const lines = command({ positional: ['second', 'third'], split: 'lines' })
    expect(slackArgs(lines, 'A title\nA body\non two lines')).toEqual({
      second: 'A title',
      third: 'A body\non two lines',
    })
    expect(slackArgs(lines, 'Only a title')).toEqual({ second: 'Only a title' })
  })

  it('shows a word before a required one as required: positions cannot be skipped', () => {
    expect(slackUsage(command({ positional: ['first', 'second', 'third'] }))).toBe(
      'try <first> <second> [third]',
    )
  })
})
