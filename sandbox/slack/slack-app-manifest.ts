import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { z } from 'zod'

/**
 * What the sandbox reads of a Slack app manifest (https://api.slack.com/reference/manifests):
 * the declared slash commands and shortcuts (Slack delivers no others), the bot token's scopes
 * (a Web API method needing another answers `missing_scope`), and the bot events subscribed to
 * (Slack sends no others). Fields the sandbox does not read are allowed and ignored.
 */
const manifestSchema = z.object({
  display_information: z.object({ name: z.string().min(1).max(35) }),
  features: z
    .object({
      slash_commands: z
        .array(
          z.object({
            command: z
              .string()
              .regex(/^\/[a-z0-9_-]{1,31}$/, 'expected a slash command such as /threadbridge'),
            description: z.string().min(1).max(2000),
            usage_hint: z.string().max(1000).optional(),
            should_escape: z.boolean().default(false),
          }),
        )
        .max(50)
        .default([]),
      shortcuts: z
        .array(
          z.object({
            name: z.string().min(1).max(80),
            type: z.enum(['message', 'global']),
            callback_id: z.string().min(1).max(255),
            description: z.string().min(1).max(150),
          }),
        )
        .max(10)
        .default([]),
    })
    .default({ slash_commands: [], shortcuts: [] }),
  oauth_config: z
    .object({ scopes: z.object({ bot: z.array(z.string()).default([]) }).default({ bot: [] }) })
    .default({ scopes: { bot: [] } }),
  settings: z
    .object({
      event_subscriptions: z
        .object({ bot_events: z.array(z.string()).max(100).default([]) })
        .default({ bot_events: [] }),
      interactivity: z.object({ is_enabled: z.boolean() }).default({ is_enabled: false }),
      socket_mode_enabled: z.boolean().default(false),
    })
    .default({
      event_subscriptions: { bot_events: [] },
      interactivity: { is_enabled: false },
      socket_mode_enabled: false,
    }),
})

/** A shortcut as the app declares it (https://api.slack.com/interactivity/shortcuts). */
export interface DeclaredShortcut {
  callback_id: string
  type: 'message' | 'global'
  name: string
}

/** What an app's manifest declares, in the terms the sandbox acts on. */
export interface SlackAppManifest {
  /** Slash commands, with their slash: `/threadbridge`. */
  commands: string[]
  /** The slash commands whose text Slack escapes (`should_escape: true`): mentions as `<@U…|handle>`. */
  escapedCommands?: string[]
  shortcuts: DeclaredShortcut[]
  /** The bot token's scopes (oauth_config.scopes.bot). */
  botScopes: string[]
  /** Event names as manifests spell them: `message.channels`, `reaction_added`. */
  botEvents: string[]
}

/** A manifest that is not valid YAML or lacks what Slack requires, with where and why. */
export class SlackManifestError extends Error {
  constructor(source: string, reason: string) {
    super(`${source}: ${reason}`)
    this.name = 'SlackManifestError'
  }
}

/**
 * Parses a manifest's YAML text. Interactive features need `interactivity.is_enabled`, as
 * Slack's manifest validation requires. Throws SlackManifestError naming the first bad field.
 */
export function parseSlackManifest(text: string, source = 'manifest'): SlackAppManifest {
  let raw: unknown
  try {
    raw = parse(text)
  } catch (error) {
    throw new SlackManifestError(source, `expected YAML (${(error as Error).message})`)
  }
  const parsed = manifestSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new SlackManifestError(source, `${issue?.path.join('.') || '(top level)'}: ${issue?.message}`)
  }
  const { features, oauth_config, settings } = parsed.data
  if (
    (features.slash_commands.length > 0 || features.shortcuts.length > 0) &&
    !settings.interactivity.is_enabled
  )
    throw new SlackManifestError(source, 'settings.interactivity.is_enabled: commands and shortcuts need it')
  return {
    commands: features.slash_commands.map((c) => c.command),
    escapedCommands: features.slash_commands.filter((c) => c.should_escape).map((c) => c.command),
    shortcuts: features.shortcuts.map(({ callback_id, type, name }) => ({ callback_id, type, name })),
    botScopes: oauth_config.scopes.bot,
    botEvents: settings.event_subscriptions.bot_events,
  }
}

/** Reads and parses a manifest file (UTF-8 YAML). */
export function loadSlackManifest(file: string | URL): SlackAppManifest {
  return parseSlackManifest(readFileSync(file, 'utf8'), String(file))
}

/** Where Threadbridge's own manifest lives: the repository's root. */
export const THREADBRIDGE_MANIFEST_FILE = new URL('../../slack-manifest.yml', import.meta.url)

/** Threadbridge's own manifest, as slack-manifest.yml declares it. */
export const THREADBRIDGE_MANIFEST: SlackAppManifest = loadSlackManifest(THREADBRIDGE_MANIFEST_FILE)
