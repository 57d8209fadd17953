import { HttpError } from '../http/http-kit.ts'
import type { SlackUser } from './slack-state.ts'

/** Slack's display and full names take any Unicode, up to 80 characters each. */
export const MAX_PROFILE_NAME = 80

export interface ProfileNames {
  display_name?: string
  real_name?: string
}

/**
 * The names a control request sets, checked: each a string of at most 80 characters (code
 * points), any Unicode, bidi controls and fillers included, as Slack's profile accepts them.
 * `display_name` may be empty: Slack then shows the real name
 * (https://api.slack.com/types/user: `profile.display_name`, `profile.real_name`, `real_name`).
 */
export function profileNamesOf(body: Record<string, unknown>): ProfileNames {
  const names: ProfileNames = {}
  for (const key of ['display_name', 'real_name'] as const) {
    if (!(key in body)) continue
    const value = body[key]
    if (typeof value !== 'string' || [...value].length > MAX_PROFILE_NAME)
      throw new HttpError(400, { error: `${key} must be text of at most ${MAX_PROFILE_NAME} characters` })
    names[key] = value
  }
  return names
}

/** Sets them where users.info reports them: the full name at the top level and in the profile. */
export function setProfileNames(user: SlackUser, names: ProfileNames): void {
  if (names.display_name !== undefined) user.profile.display_name = names.display_name
  if (names.real_name !== undefined) {
    user.real_name = names.real_name
    user.profile.real_name = names.real_name
  }
}
