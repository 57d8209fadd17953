import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'
import { suggestTimeZones } from '../src/command/suggestions.ts'
import { describeFrequency } from './subscribe.ts'

/**
 * `/digest frequency: hour: timezone:` (Discord), `/threadbridge digest
 * <off|immediate|daily|weekly> [hour] [timezone]` (Slack): how notifications of replies arrive.
 * The hour is local to the time zone, an IANA name such as Europe/London.
 */
export const digest = defineCommand({
  name: 'digest',
  description: 'Choose how often you hear of replies: off, immediate, daily or weekly',
  args: z.object({
    frequency: z
      .enum(['off', 'immediate', 'daily', 'weekly'])
      .describe('off, immediate (a message per burst of replies), daily or weekly'),
    hour: z.coerce
      .number()
      .int()
      .min(0)
      .max(23)
      .optional()
      .describe('The hour of the day (0–23) a daily or weekly digest arrives, in your time zone'),
    timezone: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .describe('Your time zone, such as Europe/London or America/New_York'),
  }),
  slack: { positional: ['frequency', 'hour', 'timezone'] },
  suggest: { timezone: suggestTimeZones },
  async run({ core, actor }, { frequency, hour, timezone }) {
    const preferences = await core.subscriptions.setPreferences(actor, {
      digestFrequency: frequency,
      ...(hour === undefined ? {} : { digestHour: hour }),
      ...(timezone === undefined ? {} : { timezone }),
    })
    return {
      text:
        frequency === 'off'
          ? 'Notifications are off: you will hear of no replies until you choose another frequency.'
          : `You will hear of replies ${describeFrequency(preferences)}.`,
    }
  },
})
