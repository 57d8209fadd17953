import type { Sandbox } from '../sandbox.ts'
import { readSeedDocument } from './seed-document.ts'

/**
 * Acts out the seed page on the platforms, as its people would: jo opens the discussion in the
 * Discord forum, mark replies on Discord, sam replies on Slack in the discussion's mirrored
 * thread, and a last reply is posted and deleted. The bot sees these as ordinary events.
 */
export async function postSeedContent(
  sandbox: Sandbox,
  log: (message: string) => void,
  options: { mirrorWaitMs?: number } = {},
): Promise<void> {
  const seed = await readSeedDocument()
  const { discord, slack, discordSeed, slackSeed } = sandbox
  const person = (id: string) => {
    const user = discord.state.users.get(id)
    if (user === undefined) throw new Error(`sandbox person ${id} is missing`)
    return user
  }
  const forum = discord.platform.requireChannel(discordSeed.forumId)
  const { thread } = discord.platform.createThread(forum, person(discordSeed.users.jo), seed.title, {
    content: seed.post,
  })
  const [first, second, last] = seed.replies
  if (first) discord.platform.send(thread, person(discordSeed.users.mark), { content: first.text })

  if (second) {
    // sam answers in Slack, in the thread where the bot mirrored jo's post.
    const mirror = await waitFor(
      () => slack.state.topLevel(slackSeed.channelId).find((m) => m.bot_id !== undefined),
      options.mirrorWaitMs ?? 15_000,
    )
    const sam = slack.state.users.get(slackSeed.users.sam)
    const channel = slack.state.channels.get(slackSeed.channelId)
    if (mirror && sam && channel)
      slack.workspace.post(sam, channel, { text: second.text, thread_ts: mirror.ts })
    else log('sandbox: the discussion has no Slack thread yet, so sam’s Slack reply was not posted')
  }

  if (last) {
    const message = discord.platform.send(thread, person(discordSeed.users.mark), { content: last.text })
    if (last.deleted) discord.platform.delete(thread, message)
  }
}

async function waitFor<T>(find: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = find()
    if (found !== undefined || Date.now() >= deadline) return found
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
