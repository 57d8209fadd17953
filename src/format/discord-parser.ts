import { rulesExtended, SimpleMarkdown } from 'discord-markdown-parser'
import { matchMaskedLink, ParseBudgetExceeded, type ParseMeter } from './discord-link-match.ts'
import {
  closerFor,
  firstCharTest,
  MAX_NESTING,
  matchAutolink,
  matchText,
  ParseFrame,
} from './discord-parse-guards.ts'

type LibraryRule = (typeof rulesExtended)[string]
type State = Parameters<LibraryRule['match']>[1] & { meter?: ParseMeter }
type Capture = NonNullable<ReturnType<LibraryRule['match']>>
type Node = ReturnType<typeof SimpleMarkdown.parserFor> extends (...args: never[]) => (infer N)[] ? N : never

interface Rule {
  name: string
  order: number
  quality: LibraryRule['quality']
  mayStart: (c: number) => boolean
  match: (source: string, state: State, previous: string, frame: ParseFrame, offset: number) => Capture | null
  parse: LibraryRule['parse']
}

/**
 * discord-markdown-parser's `extended` rules (the rules Discord's own client uses for messages,
 * plus masked links), driven by a loop of our own that gives the same tree as the library's
 * (`SimpleMarkdown.parserFor`: the same order, the same quality contest between em, strong and
 * underline) at a cost in proportion to the length, which the library's is not (see
 * discord-parse-guards.ts): at each place only the rules that can begin with its character are
 * tried; text, masked links and autolinks are matched by forward scans; a delimited rule runs its
 * regex only when its closer exists ahead; markup nests at most `MAX_NESTING` deep.
 *
 * Steps counted in `state.meter`: every rule tried, every character a scan looks at, every
 * character a regex match spans. Past the meter's budget the parse throws `ParseBudgetExceeded`.
 */
export function parseRules(text: string, state: State): Node[] {
  state.prevCapture = null
  return parseNodes(SimpleMarkdown.preprocess(text), state, 0)
}

const RULES: Rule[] = Object.entries(rulesExtended)
  .map(([name, rule]) => guarded(name, rule))
  // As the library sorts them: by order, those with a quality first, then by name.
  .sort((a, b) =>
    a.order !== b.order
      ? a.order - b.order
      : Number(!a.quality) - Number(!b.quality) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  )

/** The rules to try where text begins with a code unit, in order: filtered once per code unit. */
const CANDIDATES = new Map<number, Rule[]>()
function candidates(c: number): Rule[] {
  let rules = CANDIDATES.get(c)
  if (rules === undefined) {
    rules = RULES.filter((rule) => rule.mayStart(c))
    CANDIDATES.set(c, rules)
  }
  return rules
}

function parseNodes(source: string, state: State, depth: number): Node[] {
  const result: Node[] = []
  const frame = new Frame(source)
  const wordsOnly = depth > maxNesting
  const nested = (content: string, nestedState?: State | null) =>
    parseNodes(content, nestedState ?? state, depth + 1)
  let rest = source
  while (rest.length > 0) {
    const previous = state.prevCapture == null ? '' : (state.prevCapture[0] ?? '')
    const offset = source.length - rest.length
    let best: { rule: Rule; capture: Capture; quality: number } | undefined
    let last: Rule | undefined
    for (const rule of candidates(rest.charCodeAt(0))) {
      // Like the library: the first rule that matches wins, unless the next ones share its order
      // and have a quality, when the best quality does (ties to the earlier).
      if (best && !(rule.quality && rule.order === last?.order)) break
      last = rule
      if (wordsOnly && rule.name !== 'text') continue
      const capture = rule.match(rest, state, previous, frame, offset)
      if (!capture) continue
      const quality = rule.quality ? rule.quality(capture, state, previous) : 0
      if (!best || !(quality <= best.quality)) best = { rule, capture, quality }
    }
    // The text rule matches anything: `best` is always set.
    const { rule, capture } = best as NonNullable<typeof best>
    const parsed = rule.parse(capture, nested, state)
    if (Array.isArray(parsed)) result.push(...parsed)
    else {
      parsed.type ??= rule.name
      result.push(parsed as Node)
    }
    state.prevCapture = capture
    rest = rest.substring(capture[0]?.length ?? rest.length)
  }
  return result
}

// The functions this module calls per character, bound here once: an imported binding is read
// through a getter on every use where the module is loaded by tsx.
const scanText = matchText
const scanLink = matchMaskedLink
const scanAutolink = matchAutolink
const Frame = ParseFrame
const maxNesting = MAX_NESTING

function guarded(name: string, rule: LibraryRule): Rule {
  const base = {
    name,
    order: rule.order,
    quality: rule.quality,
    mayStart: firstCharTest(name),
    parse: rule.parse,
  }
  if (name === 'text')
    return {
      ...base,
      match: (source, state, _previous, frame, offset) =>
        counted(state, scanText(source, state.meter, mentionAt(frame, offset, state))),
    }
  if (name === 'link')
    return {
      ...base,
      match: (source, state, _previous, frame, offset) => {
        if (!state.inline) return null
        step(state.meter, 1)
        return frame.linkMayStart(offset, state.meter)
          ? (scanLink(source, state.meter) as Capture | null)
          : null
      },
    }
  const closesWith = closerFor(name)
  return {
    ...base,
    match: (source, state, previous, frame, offset) => {
      step(state.meter, 1)
      const closer = closesWith ? frame.closerDistance(closesWith, source, offset, state.meter) : 0
      if (closer === -1) return null
      if (name === 'autolink') return state.inline ? scanAutolink(source, state.meter) : null
      const capture = rule.match(source, state, previous) ?? null
      step(state.meter, capture ? (capture[0]?.length ?? 0) : closer)
      // An emoji becomes text (`joinText`): the words after it go with it, not a node each.
      if (name === 'twemoji' && capture)
        return scanText(source, state.meter, mentionAt(frame, offset, state), capture[0]?.length)
      return capture
    },
  }
}

/** Whether a mention could begin `at` characters into the source that begins at `offset`. */
function mentionAt(frame: ParseFrame, offset: number, state: State): (at: number) => boolean {
  return (at) => frame.mentionMayStart(offset + at, state.meter)
}

/** One step for the attempt of a scanning rule (its scan counted its own characters). */
function counted<T>(state: State, capture: T): T {
  step(state.meter, 1)
  return capture
}

/** Counts `steps` in the meter, and gives up past its budget. */
function step(meter: ParseMeter | undefined, steps: number): void {
  if (!meter) return
  meter.steps += steps
  if (meter.budget !== undefined && meter.steps > meter.budget) throw new ParseBudgetExceeded()
}
