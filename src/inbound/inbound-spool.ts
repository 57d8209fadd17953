import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import type { Platform } from '../platform/platform.ts'

/** A platform event, as much of it as is needed to apply it again. */
export interface InboundEvent<Data = unknown> {
  platform: Platform
  /** Events with the same key (a channel, a thread) are applied in the order they came. */
  key: string
  kind: string
  eventId: string
  data: Data
}

export interface SpooledEvent {
  id: string
  event: InboundEvent
}

/**
 * Platform events that could not be applied yet (the database was unreachable), kept on disk
 * until they are: a restart replays them rather than losing them. One file per event, written
 * whole and then renamed into place, so a crash never leaves half an event; names sort in
 * arrival order. The spool only fills while something is wrong, so it is small and plain.
 *
 * An event may carry someone's words, so the folder is 0700 and each file 0600: only the bot's
 * own account reads them, whatever the umask. A folder or files an earlier version left open are
 * closed when the spool opens.
 */
export class InboundSpool {
  private sequence = 0

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    chmodSync(dir, 0o700)
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')))
      chmodSync(path.join(dir, name), 0o600)
    // A crash between writing and renaming leaves a `.tmp` that nothing reads or removes, and
    // a platform event may carry a message's words: once deleted they must not linger here.
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json.tmp'))) this.unlink(name)
  }

  add(event: InboundEvent): string {
    this.sequence += 1
    const id = `${Date.now().toString().padStart(15, '0')}-${String(this.sequence).padStart(9, '0')}`
    const file = path.join(this.dir, `${id}.json`)
    writeFileSync(`${file}.tmp`, JSON.stringify(event), { mode: 0o600 })
    renameSync(`${file}.tmp`, file)
    return id
  }

  /** Called once an event is applied (or refused for good): its words leave the disk with it. */
  remove(id: string): void {
    this.unlink(`${id}.json`)
  }

  private unlink(name: string): void {
    try {
      unlinkSync(path.join(this.dir, name))
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error
    }
  }

  /** How many events wait, without reading them: for the spool-depth gauge, read on each scrape. */
  size(): number {
    return readdirSync(this.dir).filter((n) => n.endsWith('.json')).length
  }

  /** What is waiting, oldest first. A file that cannot be read is reported and left for a person. */
  list(onUnreadable: (file: string, reason: string) => void = () => {}): SpooledEvent[] {
    const entries: SpooledEvent[] = []
    for (const name of readdirSync(this.dir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      try {
        const event = JSON.parse(readFileSync(path.join(this.dir, name), 'utf8')) as InboundEvent
        entries.push({ id: name.slice(0, -'.json'.length), event })
      } catch (error) {
        onUnreadable(name, error instanceof Error ? error.message : String(error))
      }
    }
    return entries
  }
}
