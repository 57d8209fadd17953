import { RESTJSONErrorCodes } from 'discord.js'
import { DeliveryError } from '../../src/errors.ts'
import { isDiscordError } from './discord-errors.ts'

/**
 * Discord refuses edits and deletions in an archived thread (threads archive themselves after a
 * day of quiet, and a locked discussion's thread is archived). Reopen it with the bot's Manage
 * Threads, do the work, and archive it again as it was. A thread the bot may not reopen is a
 * permanent failure whose reason names the missing right, for the moderators' alert.
 *
 * `patchThread` is the rate-shaped PATCH /channels/{thread.id}, throwing DeliveryError.
 */
export async function inOpenThread(
  work: () => Promise<unknown>,
  patchThread: (change: { archived: boolean }) => Promise<unknown>,
): Promise<void> {
  try {
    await work()
    return
  } catch (error) {
    if (
      !(
        error instanceof DeliveryError &&
        isDiscordError(error.cause, RESTJSONErrorCodes.InvalidActionOnArchivedThread)
      )
    )
      throw error
  }
  await patchThread({ archived: false }).catch((error: unknown) => {
    if (error instanceof DeliveryError && isDiscordError(error.cause, RESTJSONErrorCodes.MissingPermissions))
      throw new DeliveryError(
        'discord',
        'the Discord thread is archived and the bot lacks Manage Threads to reopen it',
        { retryable: false, cause: error },
      )
    throw error
  })
  await work()
  await patchThread({ archived: true })
}
