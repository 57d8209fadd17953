import { createHmac, randomBytes } from 'node:crypto'

/**
 * Keyed afresh by each process: an id stays recognisable while its event can be delivered again
 * (a redelivery, a replay of the spool, which keeps the id it was given), and once the process
 * is gone nothing can tell from it what the words were. The id outlives an erasure of its writer
 * (processed_events is kept), so it must carry nothing of theirs.
 */
const WORDS_KEY = randomBytes(32)

/**
 * The event id of a Discord edit (MESSAGE_UPDATE). Discord stamps edits to the millisecond, so
 * the message and its stamp alone would make two edits in one millisecond one event, and the
 * second would be dropped as already seen; a keyed digest of the words tells them apart, while the
 * same edit delivered twice keeps one id.
 */
export function messageUpdateEventId(message: {
  id: string
  editedTimestamp: number | null
  content: string | null
}): string {
  const words = createHmac('sha256', WORDS_KEY)
    .update(message.content ?? '')
    .digest('base64url')
    .slice(0, 16)
  return `message_update:${message.id}:${message.editedTimestamp ?? ''}:${words}`
}
