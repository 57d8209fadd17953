/** How digests arrive, as an answer says it: "in a weekly digest on Fridays at 18:00 (Europe/London)". */
export function describeFrequency(preferences: {
  digest_frequency: string
  digest_hour: number
  timezone: string
  digest_weekday?: number
  preferred_platform?: 'discord' | 'slack' | null
}): string {
  const at = `${String(preferences.digest_hour).padStart(2, '0')}:00 (${preferences.timezone})`
  const where =
    preferences.preferred_platform === 'discord'
      ? ', on Discord'
      : preferences.preferred_platform === 'slack'
        ? ', on Slack'
        : ''
  switch (preferences.digest_frequency) {
    case 'immediate':
      return `right away, a message per burst of replies${where}`
    case 'weekly':
      return `in a weekly digest on ${WEEKDAY_NAMES[(preferences.digest_weekday ?? 1) - 1] ?? 'Monday'}s at ${at}${where}`
    case 'off':
      return 'nothing: notifications are off'
    default:
      return `in a daily digest at ${at}${where}`
  }
}

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
