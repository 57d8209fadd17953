import { describe, expect, it } from 'vitest'
import { messageUpdateEventId } from '../../../adapters/discord/discord-edit-ids.ts'

/**
 * A Discord edit's event id is how a redelivery of it is recognised (processed_events). Discord
 * stamps edits to the millisecond, so an id of the message and that stamp alone made two edits
 * in one millisecond one event: the second was dropped as already seen, and the mirror kept the
 * first's words.
 */
describe('Discord edit event ids', () => {
  const edit = (content: string, editedTimestamp: number | null = 1_764_061_201_000) => ({
    id: '1300000000000000001',
    editedTimestamp,
    content,
  })

  it('two edits in the same millisecond are two events', () => {
    expect(messageUpdateEventId(edit('two'))).not.toBe(messageUpdateEventId(edit('three')))
  })

  it('the same edit delivered again is the same event', () => {
    expect(messageUpdateEventId(edit('two'))).toBe(messageUpdateEventId(edit('two')))
    expect(messageUpdateEventId(edit('two'))).not.toBe(messageUpdateEventId(edit('two', 1_764_061_201_001)))
  })

  it('carries none of the words: the id is kept after its writer is erased', () => {
    const id = messageUpdateEventId(edit('a secret plan'))
    expect(id).not.toContain('secret')
    expect(id.startsWith('message_update:1300000000000000001:1764061201000:')).toBe(true)
  })
})
