import type { BackfillCounts, BackfillProgress } from '../src/backfill/backfill.ts'

const BAR_WIDTH = 30
/** A plain line at each tenth of a platform's messages: enough to follow, few enough to read. */
const LINE_STEPS = 10
/** How often a terminal's bar, or a plain "delivering" line, is redrawn at most. */
const REDRAW_MS = 100
const DELIVERY_LINE_MS = 2000

/**
 * What a backfill shows while it runs: a bar redrawn in place on a terminal, plain lines
 * otherwise ("backfill: discord 120/2000 messages"), for logs and for anything waiting on them.
 * A hand-written bar (one line, \r) rather than a library: it is all this needs.
 */
export class BackfillProgressView {
  private lastDraw = 0
  private lastStep = new Map<string, number>()

  constructor(
    private readonly out: { write(text: string): unknown },
    private readonly terminal: boolean,
  ) {}

  applied({ platform, done, total }: BackfillProgress): void {
    if (this.terminal) {
      if (done < total && Date.now() - this.lastDraw < REDRAW_MS) return
      this.lastDraw = Date.now()
      const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH)
      this.out.write(
        `\r${platform.padEnd(7)} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} messages`,
      )
      if (done === total) this.out.write('\n')
      return
    }
    const step = total === 0 ? LINE_STEPS : Math.floor((done * LINE_STEPS) / total)
    if (this.lastStep.get(platform) === step) return
    this.lastStep.set(platform, step)
    this.line(`backfill: ${platform} ${done}/${total} messages`)
  }

  delivering(pending: number): void {
    if (Date.now() - this.lastDraw < (this.terminal ? REDRAW_MS : DELIVERY_LINE_MS) && pending > 0) return
    this.lastDraw = Date.now()
    if (this.terminal)
      this.out.write(`\rdelivering to the other platform: ${pending} waiting   ${pending === 0 ? '\n' : ''}`)
    else this.line(`backfill: delivering, ${pending} waiting`)
  }

  summary(counts: BackfillCounts, seconds: number): void {
    this.line(
      `backfill: done in ${seconds} s: ${counts.read} messages read, ${counts.mirrored} mirrored, ` +
        `${counts.known} already mirrored, ${counts.notMembers} skipped (not members), ` +
        `${counts.refused} refused, ${counts.outsideDiscussions} outside mirrored discussions`,
    )
  }

  private line(text: string): void {
    this.out.write(`${text}\n`)
  }
}
