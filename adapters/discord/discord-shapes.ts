/**
 * Discord's limits for what we send (observed: Discord announces webhook limits only through its
 * rate-limit headers, https://discord.com/developers/docs/topics/rate-limits):
 * webhook executions 5 per 2 s per webhook and 30 per minute per channel; edits and deletes
 * through the webhook 5 per 2 s. A bucket's window starts when its first call arrives, and calls
 * spaced exactly 400 ms apart put a sixth into the window whenever the first was a little late
 * on the wire; 420 ms leaves 100 ms a window for that, at 5 % of the ceiling.
 */
export const DISCORD_SHAPES = {
  'webhook-execute': { minTimeMs: 420 },
  'channel-webhook-messages': { reservoir: { amount: 30, intervalMs: 60_000 } },
  'webhook-edit': { minTimeMs: 420 },
  'thread-update': { minTimeMs: 1000 },
  'thread-create': { minTimeMs: 1000 },
  reaction: { minTimeMs: 250 },
  // Removing a person's message (deleted everywhere): rare, and Discord's limit on it is tighter
  // than on edits; one a second per channel stays clear of it.
  'message-delete': { minTimeMs: 1000 },
  // Discord publishes no DM rate, and a bot DMing many people quickly looks like spam: digests
  // go out at most four a second, whatever discord.js's own limits would allow.
  'direct-message': { minTimeMs: 250 },
}
