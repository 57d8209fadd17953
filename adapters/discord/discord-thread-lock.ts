import { type Client, RESTJSONErrorCodes } from 'discord.js'
import { isDiscordError } from './discord-errors.ts'

/**
 * A thread's lock as Discord says it is now: GET /channels/{thread.id}, never discord.js's cache,
 * which the gateway may not have brought up to date yet. Undefined when the thread is gone.
 */
export async function lockedNow(client: Client, threadId: string): Promise<boolean | undefined> {
  try {
    const thread = await client.channels.fetch(threadId, { force: true })
    return thread?.isThread() ? (thread.locked ?? false) : undefined
  } catch (error) {
    if (isDiscordError(error, RESTJSONErrorCodes.UnknownChannel)) return undefined
    throw error
  }
}
