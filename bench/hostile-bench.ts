import { discordToSlack, slackToDiscord } from '../src/format/index.ts'

/** How many times each conversion is timed, hostile and ordinary in turn; the median is reported. */
const RUNS = 25

/** `piece` repeated to exactly `length` characters. */
function repeated(piece: string, length: number): string {
  return piece.repeat(Math.ceil(length / piece.length)).slice(0, length)
}

/** An ordinary message of the same length: words, a link, a mention, some markup. */
const PLAIN_DISCORD =
  'We meet on **Friday** at the usual place, see [the plan](https://docs.example/plan) <@123456789012345678>. '
const PLAIN_SLACK =
  'We meet on *Friday* at the usual place, see <https://docs.example/plan|the plan> <@U0SAM>. '

/** Discord's limits (2,000 characters, 4,000 with Nitro) and Slack's. */
const DISCORD_LENGTHS = [2000, 4000]
const SLACK_LENGTHS = [40_000]

interface Case {
  name: string
  convert: (text: string) => string
  /** The hostile text of a length. */
  text: (length: number) => string
  plain: string
  lengths: number[]
}

const discord = (piece: string, closer = ''): Case => ({
  name: `discordToSlack ${JSON.stringify(piece)}${closer === '' ? '' : ` + ${JSON.stringify(closer)}`}`,
  convert: (t) => discordToSlack(t),
  text: (length) => `${repeated(piece, length - closer.length)}${closer}`,
  plain: PLAIN_DISCORD,
  lengths: DISCORD_LENGTHS,
})
const slack = (piece: string): Case => ({
  name: `slackToDiscord ${JSON.stringify(piece)}`,
  convert: (t) => slackToDiscord(t),
  text: (length) => repeated(piece, length),
  plain: PLAIN_SLACK,
  lengths: SLACK_LENGTHS,
})

/**
 * Hostile inputs of issue 17 at the platforms' maximum lengths, each against an ordinary message
 * of the same length: emphasis, code, spoilers and quotes that never close, half links, runs of
 * `<`, a word as long as the message, stars nested as deep as they go, emoji (the last among
 * Devanagari, which only the grapheme segmenter cuts), and openers with their closer planted at
 * the end so that every scan can run.
 */
const CASES: Case[] = [
  ...['*a', '*a ', '**a', '_a', '__a', '__a ', '~~a', '~~a ', '~~_', '||a', '||a ', '||s||'].map((p) =>
    discord(p),
  ),
  ...['`a', '`a ', '>>> ', '[a](', '[', '<', '<@', 'a', '*', '_'].map((p) => discord(p)),
  ...['🙂', '👍🏽', '1️⃣', 'e\u0301🙂', 'नमस्ते🙂'].map((p) => discord(p)),
  discord('[a](', ')'),
  discord('<a:/', '>'),
  ...['```a ', '&gt; a\n', '&gt;&gt;&gt;', ':a', '*a', '*a ', '_a', '~a', '<a|', '```', '`a'].map(slack),
]

/** The median times of `RUNS` conversions of each text, taken in turn so both see the same load. */
function medians(convert: (text: string) => string, hostile: string, plain: string): [number, number] {
  const times: [number[], number[]] = [[], []]
  convert(hostile)
  convert(plain)
  for (let i = 0; i < RUNS; i++)
    [hostile, plain].forEach((text, which) => {
      const start = process.hrtime.bigint()
      convert(text)
      times[which]?.push(Number(process.hrtime.bigint() - start) / 1e6)
    })
  const median = (list: number[]) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0
  return [median(times[0]), median(times[1])]
}

/** `npm run bench -- --hostile`: a table, one row per input and length. */
export function runHostileBench(): void {
  discordToSlack('warm up')
  slackToDiscord('warm up')
  console.log(`hostile text against an ordinary message of the same length: median of ${RUNS} conversions`)
  console.log(
    `${'input'.padEnd(40)} ${'length'.padStart(6)}  ${'hostile ms'.padStart(10)}  ${'plain ms'.padStart(8)}  ratio`,
  )
  for (const c of CASES) {
    for (const length of c.lengths) {
      const [hostileMs, plainMs] = medians(c.convert, c.text(length), repeated(c.plain, length))
      const ratio = plainMs > 0 ? hostileMs / plainMs : Number.POSITIVE_INFINITY
      console.log(
        `${c.name.padEnd(40)} ${String(length).padStart(6)}  ${hostileMs.toFixed(2).padStart(10)}  ${plainMs.toFixed(2).padStart(8)}  ${ratio.toFixed(1).padStart(5)}`,
      )
    }
  }
}
