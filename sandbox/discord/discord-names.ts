import { HttpError } from '../http/http-kit.ts'

/** Discord's display names (`global_name`) and server nicknames take 1 to 32 characters. */
export const MAX_DISPLAY_NAME = 32
/** Webhook names, and a webhook message's `username`, take 1 to 80. */
export const MAX_WEBHOOK_NAME = 80

/**
 * "Names are sanitized and trimmed of leading, trailing, and excessive internal whitespace"
 * (https://discord.com/developers/docs/resources/user#usernames-and-nicknames).
 */
export function sanitizedName(name: string): string {
  return name.replace(/\s+/g, ' ').trim()
}

/**
 * A display name or nickname a person sets through the control API: text of 1 to 32 characters
 * once sanitized, or null to clear it. Any Unicode otherwise: Discord does not document which
 * zero-width characters it limits, and people do carry fillers and bidi controls in their names.
 */
export function personName(value: unknown, field: string): string | null {
  if (value === null) return null
  const name = typeof value === 'string' ? sanitizedName(value) : ''
  const length = [...name].length
  if (length < 1 || length > MAX_DISPLAY_NAME)
    throw new HttpError(400, { error: `${field} must be 1–${MAX_DISPLAY_NAME} characters, or null` })
  return name
}

/** What a webhook name is checked as: zero-width and non-rendering characters do not count. */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu

/**
 * A webhook's name, or a webhook message's `username`, as Discord takes it: sanitized, 1 to 80
 * characters, and not containing "clyde" or "discord" in any case
 * (https://discord.com/developers/docs/resources/webhook#create-webhook). Discord also "limits some
 * zero-width and non-rendering characters"; the sandbox reads the name without them, so a joiner
 * hidden inside "discord" is refused as Discord may refuse it. Refused: 400, code 50035.
 */
export function webhookName(value: unknown, field: 'name' | 'username'): string {
  const name = typeof value === 'string' ? sanitizedName(value) : ''
  const length = [...name].length
  if (length < 1 || length > MAX_WEBHOOK_NAME)
    throw invalid(field, 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${MAX_WEBHOOK_NAME} in length.`)
  const refused = /clyde|discord/i.exec(name.replace(INVISIBLE, ''))
  if (refused !== null)
    throw invalid(field, 'USERNAME_INVALID_CONTAINS', `Username cannot contain "${refused[0].toLowerCase()}"`)
  return name
}

function invalid(field: string, code: string, message: string): HttpError {
  return new HttpError(400, {
    message: 'Invalid Form Body',
    code: 50035,
    errors: { [field]: { _errors: [{ code, message }] } },
  })
}
