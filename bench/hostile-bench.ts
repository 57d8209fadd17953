import { discordToSlack, slackToDiscord } from '../src/format/index.ts'

/** How many times each conversion is timed; the median is reported. */
const RUNS = 7

/** `piece` repeated to exactly `length` characters. */
function repeated(piece: string, length: number): string {
  return piece.repeat(Math.ceil(length / piece.length)).slice(0, length)
}

/** An ordinary message of the same length: words, a link, a mention, some markup. */
const PLAIN_DISCORD =
  'We meet on **Friday** at the usual place, see [the plan](https://docs.example/plan) <@123456789012345678>. '
const PLAIN_SLACK =
  'We meet on *Friday* at the usual place, see <https://docs.example/plan|the plan> <@U0SAM>. '

interface Case {
  name: string
  convert: (text: string) => string
  piece: string
  plain: string
  lengths: number[]
}

/**
 * Hostile inputs of issue 17 at the platforms' maximum lengths (Discord 2,000, 4,000 with Nitro;
 * Slack 40,000), each against an ordinary message of the same length: the median of `RUNS`
 * conversions of each, and their ratio. CPU time on the event loop, single process.
 */
const CASES: Case[] = [
  {
    name: "discordToSlack '[a]('",
    convert: (t) => discordToSlack(t),
    piece: '[a](',
    plain: PLAIN_DISCORD,
    lengths: [2000, 4000],
  },
  {
    name: "discordToSlack '['",
    convert: (t) => discordToSlack(t),
    piece: '[',
    plain: PLAIN_DISCORD,
    lengths: [2000, 4000],
  },
  {
    name: "discordToSlack '*a'",
    convert: (t) => discordToSlack(t),
    piece: '*a',
    plain: PLAIN_DISCORD,
    lengths: [2000, 4000],
  },
  {
    name: "slackToDiscord '```a '",
    convert: (t) => slackToDiscord(t),
    piece: '```a ',
    plain: PLAIN_SLACK,
    lengths: [40_000],
  },
  {
    name: "slackToDiscord '&gt; a\\n'",
    convert: (t) => slackToDiscord(t),
    piece: '&gt; a\n',
    plain: PLAIN_SLACK,
    lengths: [40_000],
  },
  {
    name: "slackToDiscord '&gt;&gt;&gt;'",
    convert: (t) => slackToDiscord(t),
    piece: '&gt;&gt;&gt;',
    plain: PLAIN_SLACK,
    lengths: [40_000],
  },
  {
    name: "slackToDiscord ':a'",
    convert: (t) => slackToDiscord(t),
    piece: ':a',
    plain: PLAIN_SLACK,
    lengths: [40_000],
  },
]

function median(convert: (text: string) => string, text: string): number {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint()
    convert(text)
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(RUNS / 2)] ?? 0
}

/** `npm run bench -- --hostile`: prints one line per input and length. */
export function runHostileBench(): void {
  discordToSlack('warm up')
  slackToDiscord('warm up')
  console.log(
    `hostile text, median of ${RUNS} conversions (ms), against an ordinary message of the same length`,
  )
  for (const c of CASES) {
    for (const length of c.lengths) {
      const hostileMs = median(c.convert, repeated(c.piece, length))
      const plainMs = median(c.convert, repeated(c.plain, length))
      const ratio = plainMs > 0 ? hostileMs / plainMs : Number.POSITIVE_INFINITY
      console.log(
        `${c.name.padEnd(32)} ${String(length).padStart(6)} chars  hostile ${hostileMs.toFixed(1).padStart(7)}  ordinary ${plainMs.toFixed(1).padStart(7)}  ratio ${ratio.toFixed(1)}`,
      )
    }
  }
}
