/**
 * `threadbridge invite`: the link an admin opens to add the bot to their Discord server, asking
 * for exactly the rights the bot uses (adapters/discord/bot-permissions.ts) and its slash
 * commands. The application is DISCORD_APPLICATION_ID, or the one DISCORD_TOKEN belongs to; with
 * neither, the sandbox's, said so.
 */
import { BOT_PERMISSION_REASONS } from '../adapters/discord/bot-permissions.ts'
import { fetchApplication, inviteUrl } from '../adapters/discord/discord-invite.ts'
import { savedSandboxApplicationId } from '../sandbox/sandbox.ts'
import { readEnv } from '../src/config/load-config.ts'
import { exitWithError } from './cli-support.ts'

export async function printInvite(env: NodeJS.ProcessEnv): Promise<void> {
  let vars: ReturnType<typeof readEnv>
  try {
    vars = readEnv(env)
  } catch (error) {
    exitWithError(error)
  }
  let applicationId = vars.DISCORD_APPLICATION_ID
  let sandbox = false
  if (applicationId === undefined && vars.DISCORD_TOKEN !== undefined)
    applicationId = (
      await fetchApplication(vars.DISCORD_TOKEN, vars.THREADBRIDGE_DISCORD_API_URL).catch(exitWithError)
    ).id
  if (applicationId === undefined) {
    sandbox = true
    applicationId = await savedSandboxApplicationId(vars.THREADBRIDGE_DATA_DIR).catch(exitWithError)
    if (applicationId === undefined) {
      console.error(
        'threadbridge invite: no DISCORD_APPLICATION_ID or DISCORD_TOKEN set, and the sandbox has not run here yet: set one of them (docs/install-discord.md), or run `threadbridge start` once for the sandbox',
      )
      process.exit(1)
    }
  }

  console.log(inviteUrl(applicationId))
  console.log('')
  if (sandbox)
    console.log(
      "This is the sandbox's application (no DISCORD_APPLICATION_ID or DISCORD_TOKEN is set): its bot is already in the sandbox's server with these rights. Set DISCORD_TOKEN for your own bot's link.",
    )
  console.log('The bot asks for these rights, and no others:')
  for (const [name, why] of Object.entries(BOT_PERMISSION_REASONS))
    console.log(`  ${name.replace(/(?<=[a-z])(?=[A-Z])/g, ' ')}: ${why}`)
}
