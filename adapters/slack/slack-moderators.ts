import type { WebClient } from '@slack/web-api'

/**
 * Whether Slack says, now, that this person is one of the workspace's admins or owners
 * (users.info's `is_admin`, `is_owner`). Asked afresh each time, never from the cache of names:
 * a role taken away a minute ago must no longer count. When Slack cannot say, they are not
 * counted: a moderator refused until Slack answers is better than a right granted by default.
 */
export async function isWorkspaceAdmin(client: WebClient, userId: string): Promise<boolean> {
  const info = await client.users.info({ user: userId }).catch(() => undefined)
  return info?.user?.deleted !== true && (info?.user?.is_admin === true || info?.user?.is_owner === true)
}
