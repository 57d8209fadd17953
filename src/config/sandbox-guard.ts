import { ConfigError } from '../errors.ts'
import type { Config } from './load-config.ts'
import { didYouMean, isTypoOf, KNOWN_VARIABLES } from './unknown-variables.ts'

/** Our platform tokens: a variable named like one of them is someone trying to set it. */
const TOKENS = KNOWN_VARIABLES.filter((name) => /TOKEN/.test(name))

/** The variable that asks for the sandbox on purpose where a real install's settings are. */
export const SANDBOX_SWITCH = 'THREADBRIDGE_SANDBOX'

/**
 * Decides, before anything is opened, whether `npm start` may run the sandbox. The sandbox is what
 * runs when no platform token is set, so a misspelled token must not turn a real install into it:
 * when DATABASE_URL, THREADBRIDGE_CONFIG or NODE_ENV=production say this is a deployment, or a
 * variable looks like a misspelled token, it refuses (ConfigError naming them) unless
 * THREADBRIDGE_SANDBOX=1 asks for the sandbox. Returns the notices for a sandbox that does run
 * (THREADBRIDGE_CONFIG is ignored there); none when the platforms are configured.
 */
export function checkSandboxStart(
  config: Pick<Config, 'sandbox' | 'configSource'>,
  env: Record<string, string | undefined>,
): string[] {
  if (config.sandbox === null) return []
  const configFile = env.THREADBRIDGE_CONFIG === '' ? undefined : env.THREADBRIDGE_CONFIG
  if (!config.sandbox.explicit) {
    const signs = [
      ...(env.DATABASE_URL ? ['DATABASE_URL'] : []),
      ...(configFile === undefined ? [] : ['THREADBRIDGE_CONFIG']),
      ...(env.NODE_ENV === 'production' ? ['NODE_ENV=production'] : []),
    ]
    const misspelled = misspelledTokens(env)
    if (signs.length > 0 || misspelled.length > 0) {
      const what = [...misspelled, ...signs]
      throw new ConfigError(
        SANDBOX_SWITCH,
        `no DISCORD_TOKEN or SLACK_BOT_TOKEN is set, so this would be the sandbox, yet ${what.join(', ')} ${what.length === 1 ? 'is' : 'are'} set: this looks like a real install. Set the platform tokens (docs/install-discord.md, docs/install-slack.md), or ${SANDBOX_SWITCH}=1 to run the sandbox here on purpose`,
      )
    }
  }
  return configFile === undefined
    ? []
    : [
        `THREADBRIDGE_CONFIG (${configFile}) is ignored in the sandbox: it runs its own community, on the emulators`,
      ]
}

/**
 * Set variables that are not ours but read like one of our platform tokens (a TOKEN name whose
 * nearest known variable is a token, or a typo of a token's name however spelt, DISCORD_TOKN or
 * SLACK_B0T_T0KEN): "NAME (did you mean …?)".
 */
function misspelledTokens(env: Record<string, string | undefined>): string[] {
  return Object.keys(env)
    .filter(
      (name) =>
        !KNOWN_VARIABLES.includes(name) &&
        env[name] !== '' &&
        (/token/i.test(name) || TOKENS.some((token) => isTypoOf(name, token))),
    )
    .flatMap((name) => {
      const guess = didYouMean(name)
      return guess !== undefined && /TOKEN/.test(guess) ? [`${name} (did you mean ${guess}?)`] : []
    })
}
