import { parse } from 'node:querystring'
import { z } from 'zod'

/**
 * The shapes of the requests Slack sends to an app's Request URL, as far as Bolt reads them
 * before a listener runs. Bolt routes a body by which fields it has (an `event`, then a
 * `command`, a `name`, `actions`…), not by its `type`, and reads some of them without looking:
 * a body without them, or with them as `null`, made Bolt throw while it routed it, or leave it
 * unanswered for 3 s. Each shape below is one Slack documents, with the fields Bolt relies on,
 * and without the fields that would make Bolt route it as another kind. Fields not named are
 * let through as they are: these schemas judge the body, they never rewrite it, and their issues
 * name only the fields named here.
 */

/** A field Bolt would route by, on a body of another kind: it must not be there. */
const absent = z.never().optional()
const anObject = z.object({})

/**
 * The Events API's bodies (https://api.slack.com/apis/connections/events-api): an event, the
 * Request URL's check, and Slack's notice that the app is over its event rate limit.
 */
const eventsApiBody = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('event_callback'),
    team_id: z.string(),
    authorizations: z.array(anObject).optional(),
    event: z.object({
      type: z.string(),
      channel: z.union([z.string(), anObject]).optional(),
      channel_id: z.string().optional(),
      user: z.union([z.string(), anObject]).optional(),
      item: anObject.optional(),
      subteam: anObject.optional(),
    }),
  }),
  z.object({ type: z.literal('url_verification'), challenge: z.string() }),
  z.object({ type: z.literal('app_rate_limited') }),
])

/** What every interaction payload carries (https://api.slack.com/reference/interaction-payloads). */
const interaction = {
  user: z.object({ id: z.string() }),
  team: anObject.nullish(),
  channel: z.object({ id: z.string() }).optional(),
  response_url: z.string().optional(),
  event: absent,
  command: absent,
}
/** Interactions Bolt must not take for option requests or button presses. */
const notOptionsOrActions = { ...interaction, name: absent, actions: absent }

/**
 * The `payload` of an interaction, for the Block Kit surfaces the app builds: buttons and menus
 * (block_actions, block_suggestion), modals (view_submission, view_closed), and shortcuts.
 */
const interactionPayload = z.discriminatedUnion('type', [
  z.object({ type: z.literal('block_actions'), ...interaction, name: absent, actions: z.array(anObject) }),
  z.object({ type: z.literal('block_suggestion'), ...interaction, action_id: z.string() }),
  z.object({
    type: z.literal('view_submission'),
    ...notOptionsOrActions,
    view: anObject,
    response_urls: z.array(z.object({ response_url: z.string() })).optional(),
  }),
  z.object({ type: z.literal('view_closed'), ...notOptionsOrActions, view: anObject }),
  z.object({ type: z.literal('shortcut'), ...notOptionsOrActions, callback_id: z.string() }),
  z.object({ type: z.literal('message_action'), ...notOptionsOrActions, callback_id: z.string() }),
])

/** A slash command's form fields (https://api.slack.com/interactivity/slash-commands). */
const slashCommand = z.object({
  command: z.string().startsWith('/'),
  text: z.string(),
  team_id: z.string(),
  user_id: z.string(),
  channel_id: z.string(),
  response_url: z.string(),
  trigger_id: z.string(),
  event: absent,
})

/** What a body is, once it has the shape of one of Slack's requests. */
export type SlackRequestKind = 'event' | 'url_verification' | 'app_rate_limited' | 'interaction' | 'command'

export type SlackRequestJudgement = { ok: true; kind: SlackRequestKind } | { ok: false; issues: string[] }

/**
 * Parses a signed body as Bolt does, and judges it: JSON for the Events API; for a form post (its
 * content type exactly application/x-www-form-urlencoded, Bolt's own test), the JSON in its
 * `payload` field (an interaction) or else the fields themselves (a slash command). Issues are
 * paths and codes only, never values, which may be someone's words.
 */
export function judgeSlackRequest(raw: string, contentType: string | undefined): SlackRequestJudgement {
  if (contentType !== 'application/x-www-form-urlencoded') {
    const body = parseJson(raw)
    if (body === NOT_JSON) return { ok: false, issues: ['(root): invalid_json'] }
    const parsed = eventsApiBody.safeParse(body)
    if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error) }
    const { type } = parsed.data
    return { ok: true, kind: type === 'event_callback' ? 'event' : type }
  }
  const fields = parse(raw)
  if (typeof fields.payload !== 'string') {
    // Slack sends each field once; one given twice is a list, and would match no listener. Its
    // name is not reported: it is the sender's.
    if (Object.values(fields).some(Array.isArray)) return { ok: false, issues: ['(form): repeated_field'] }
    const parsed = slashCommand.safeParse({ ...fields })
    return parsed.success ? { ok: true, kind: 'command' } : { ok: false, issues: issuesOf(parsed.error) }
  }
  const payload = parseJson(fields.payload)
  if (payload === NOT_JSON) return { ok: false, issues: ['payload: invalid_json'] }
  const parsed = interactionPayload.safeParse(payload)
  return parsed.success ? { ok: true, kind: 'interaction' } : { ok: false, issues: issuesOf(parsed.error) }
}

const NOT_JSON = Symbol('not JSON')

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return NOT_JSON
  }
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`)
}
