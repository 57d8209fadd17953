/**
 * The bot-token scopes Slack requires, per Web API method and per event, from each method's and
 * event's page (https://api.slack.com/methods/{method}, https://api.slack.com/events/{event}).
 * Where the scope depends on the conversation (history of a channel, of a DM), it is given per
 * kind: `channel` (public channel) and `im` (the app's DM with a person). An empty list: the
 * method needs no scope (it is authorised by a trigger_id, or is about the token itself).
 */
export type ScopeRule = readonly string[] | { readonly channel: string; readonly im: string }

export const METHOD_SCOPES: Readonly<Record<string, ScopeRule>> = {
  'auth.test': [],
  // App-level token (xapp-) with connections:write, not a bot scope.
  'apps.connections.open': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.getPermalink': [],
  'conversations.history': { channel: 'channels:history', im: 'im:history' },
  'conversations.replies': { channel: 'channels:history', im: 'im:history' },
  'conversations.info': { channel: 'channels:read', im: 'im:read' },
  'conversations.open': ['im:write'],
  'users.info': ['users:read'],
  'reactions.add': ['reactions:write'],
  'reactions.remove': ['reactions:write'],
  'views.open': [],
  'views.push': [],
  'views.update': [],
}

/** Events as manifests name them; a message event is named by where it happened. */
export const EVENT_SCOPES: Readonly<Record<string, string>> = {
  'message.channels': 'channels:history',
  'message.im': 'im:history',
  channel_archive: 'channels:read',
  channel_deleted: 'channels:read',
  channel_unarchive: 'channels:read',
  reaction_added: 'reactions:read',
  reaction_removed: 'reactions:read',
}

/**
 * The scope a call needs that the token lacks, as Slack's `missing_scope` answer gives it
 * (`needed`, and `provided`: the token's scopes, comma-separated); undefined when granted.
 * `kind` says which kind of conversation the call is about, for the per-kind rules.
 */
export function missingScope(
  method: string,
  kind: 'channel' | 'im',
  granted: readonly string[],
): { needed: string; provided: string } | undefined {
  const rule = METHOD_SCOPES[method]
  if (rule === undefined) return undefined
  const needed = 'channel' in rule ? [kind === 'im' ? rule.im : rule.channel] : rule
  const missing = needed.filter((scope) => !granted.includes(scope))
  if (missing.length === 0) return undefined
  return { needed: missing.join(','), provided: granted.join(',') }
}
