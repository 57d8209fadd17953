import { envSchema } from './config-schema.ts'

/** Every variable Threadbridge reads: the schema's, and NODE_ENV, which start-up checks. */
export const KNOWN_VARIABLES: readonly string[] = [...Object.keys(envSchema.shape), 'NODE_ENV'].sort()

/** Prefixes where any unknown name is a near miss: nobody else's variables live there. */
const OUR_PREFIXES = ['THREADBRIDGE_', 'DISCORD_', 'SLACK_']
/** Farthest a name may be from a known one (letters, ignoring case and `_`) to count as a typo. */
const TYPO_DISTANCE = 2
/** Shorter names are too easily close to ours by chance (HOME, PATH). */
const TYPO_MIN_LENGTH = 7

/**
 * One line per environment variable that looks meant for Threadbridge but is not one it reads:
 * an unknown `THREADBRIDGE_*`, `DISCORD_*` or `SLACK_*` name, or a name within two letters of a
 * known one (case and underscores aside). Each names the known variables it is closest to, e.g.
 * "DISCORD_BOT_TOKEN is not a Threadbridge setting, so it is ignored: did you mean DISCORD_TOKEN?".
 * Values are never read: they may be secrets.
 */
export function unknownVariableWarnings(env: Record<string, string | undefined>): string[] {
  const warnings: string[] = []
  for (const name of Object.keys(env)) {
    if (KNOWN_VARIABLES.includes(name)) continue
    const guess = didYouMean(name)
    const ours = OUR_PREFIXES.some((prefix) => name.toUpperCase().startsWith(prefix))
    if (guess === undefined && !ours) continue
    warnings.push(
      `${name} is not a Threadbridge setting, so it is ignored${guess === undefined ? '' : `: did you mean ${guess}?`}`,
    )
  }
  return warnings
}

/**
 * The known variable(s) `name` was most likely meant to be, "A" or "A or B", or undefined when
 * none is close. A name under one of our prefixes is compared with the known names under the
 * same prefix, however far (SLACK_TOKEN is meant for a Slack token); any other name only with
 * names within TYPO_DISTANCE.
 */
export function didYouMean(name: string): string | undefined {
  const normal = normalise(name)
  const prefix = OUR_PREFIXES.find((p) => name.toUpperCase().startsWith(p))
  let best = Number.POSITIVE_INFINITY
  let closest: string[] = []
  for (const known of KNOWN_VARIABLES) {
    const samePrefix = prefix !== undefined && known.startsWith(prefix)
    const distance = editDistance(normal, normalise(known))
    const close = distance <= TYPO_DISTANCE && normal.length >= TYPO_MIN_LENGTH
    if (!close && !samePrefix) continue
    if (distance < best) {
      best = distance
      closest = [known]
    } else if (distance === best) closest.push(known)
  }
  // A THREADBRIDGE_ name far from all of ours is a setting we do not have, not a typo of one.
  if (prefix === 'THREADBRIDGE_' && best > TYPO_DISTANCE) return undefined
  return closest.length === 0 ? undefined : closest.join(' or ')
}

/** Whether `name` is within TYPO_DISTANCE of `known` (case and `_` aside): a typo of it. */
export function isTypoOf(name: string, known: string): boolean {
  const normal = normalise(name)
  return normal.length >= TYPO_MIN_LENGTH && editDistance(normal, normalise(known)) <= TYPO_DISTANCE
}

function normalise(name: string): string {
  return name.toUpperCase().replace(/[_-]/g, '')
}

/** Levenshtein distance: insertions, deletions and substitutions, one each. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    previous = current
  }
  return previous[b.length] ?? 0
}
