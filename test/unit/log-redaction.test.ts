import { describe, expect, it } from 'vitest'
import { createLogger } from '../../bin/cli-support.ts'

describe('the log', () => {
  it('blanks the parts of a logged error that quote what a person wrote', () => {
    const lines: string[] = []
    const logger = createLogger('info', { write: (line: string) => lines.push(line) })
    const refused = Object.assign(new Error('new row for relation "replies" violates check constraint'), {
      code: '23514',
      detail: 'Failing row contains (… my secret words …)',
    })
    const discord = Object.assign(new Error('Invalid Form Body'), {
      requestBody: { json: { content: 'my secret words' } },
      rawError: { message: 'Invalid Form Body', content: 'my secret words' },
    })
    logger.error({ err: refused, command: 'reply' }, 'a command failed')
    logger.error({ err: discord, command: 'reply' }, 'a command failed')
    expect(lines).toHaveLength(2)
    for (const line of lines) expect(line).not.toContain('secret words')
    // What a person can act on stays: the message and the code.
    expect(JSON.parse(lines[0] ?? '{}').err).toMatchObject({ code: '23514', detail: '[redacted]' })
  })
})
