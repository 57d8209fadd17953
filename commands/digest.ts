import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'
import { suggestTimeZones } from '../src/command/suggestions.ts'
import { describeFrequency } from '../src/digests/describe-digests.ts'

const FREQUENCIES = ['off', 'immediate', 'daily', 'weekly'] as const
const PLACES = ['discord', 'slack', 'latest'] as const
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const

/**
 * `/digest frequency: hour: timezone: day:` (Discord), `/threadbridge digest daily 9
 * Europe/London` (Slack, the words in any order): how notifications of replies arrive. Run with
 * nothing, it says how they arrive now. The hour is local to the time zone, an IANA name; what is
 * left out stays as it was.
 */
export const digest = defineCommand({
  name: 'digest',
  description: 'Choose how often you hear of replies: off, immediate, daily or weekly',
  args: z.object({
    frequency: z
      .enum(FREQUENCIES)
      .optional()
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
    day: z.enum(WEEKDAYS).optional().describe('The day a weekly digest arrives (Monday unless you choose)'),
    on: z
      .enum(PLACES)
      .optional()
      .describe(
        'Where digests arrive, if you linked accounts: discord, slack, or latest (where you last wrote)',
      ),
  }),
  slack: {
    positional: ['frequency', 'hour', 'timezone', 'day', 'on'],
    usage: '[off|immediate|daily|weekly] [hour] [time zone] [day] [discord|slack|latest], in any order',
    // Each word says what it is by its shape, so none has to be typed to reach the next.
    parse(rest) {
      const args: Record<string, string> = {}
      for (const word of rest.split(/\s+/).filter(Boolean)) {
        const lower = word.toLowerCase()
        const day = WEEKDAYS.find((d) => lower.length >= 3 && d.startsWith(lower))
        if ((FREQUENCIES as readonly string[]).includes(lower)) args.frequency = lower
        else if (day !== undefined) args.day = day
        else if ((PLACES as readonly string[]).includes(lower)) args.on = lower
        // Meant as a day (funday): the schema says which days there are.
        else if (/day$/.test(lower)) args.day = lower
        // Starts with a digit: an hour (9, 09, 9:00; 9am or 9.5 are refused as not whole hours).
        else if (/^\d/.test(word)) args.hour = word.replace(/^(\d{1,2}):00$/, '$1')
        // A zone has a slash (Europe/London), is UTC-like, or is an offset (refused, with why).
        else if (word.includes('/') || /^(utc|gmt|[A-Z]{2,5})$/i.test(word) || /^[+-]\d/.test(word))
          args.timezone = word
        else args.frequency = lower // unrecognised: the schema names what is wrong with it
      }
      return args
    },
  },
  suggest: { timezone: suggestTimeZones },
  async run({ core, actor, commandLine }, { frequency, hour, timezone, day, on }) {
    if ([frequency, hour, timezone, day, on].every((value) => value === undefined)) {
      // Asking is also saying "try my DMs again": closed DMs are passed by until then.
      const current = await core.subscriptions.setPreferences(actor, {})
      return {
        text:
          current.digest_frequency === 'off'
            ? `Your notifications are off. Turn them on with ${commandLine('digest')} daily (or immediate, weekly).`
            : `You hear of replies ${describeFrequency(current)}. Change it with ${commandLine('digest')} off, immediate, daily or weekly.`,
      }
    }
    const preferences = await core.subscriptions.setPreferences(actor, {
      ...(frequency === undefined ? {} : { digestFrequency: frequency }),
      ...(hour === undefined ? {} : { digestHour: hour }),
      ...(timezone === undefined ? {} : { timezone }),
      ...(day === undefined ? {} : { digestWeekday: WEEKDAYS.indexOf(day) + 1 }),
      ...(on === undefined ? {} : { preferredPlatform: on === 'latest' ? null : on }),
    })
    return {
      text:
        preferences.digest_frequency === 'off'
          ? 'Notifications are off: you will hear of no replies until you choose another frequency.'
          : `You will hear of replies ${describeFrequency(preferences)}.`,
    }
  },
})
