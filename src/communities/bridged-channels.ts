/**
 * The channels bridged on one platform, as this process knows them: what an adapter checks
 * before it keeps an event, so a channel someone invited the bot to, bridged or not, never has
 * its messages written to the spool. The configuration is applied at each start, so the list is
 * read once, when the bridge starts, and kept.
 *
 * Until it has been read (the database was away when the bridge started) every channel counts
 * as bridged, and each check asks for it again in the background, one read at a time: an event
 * is never lost for want of the list, and InboundDecisions still applies nothing in a channel
 * no community is bridged to.
 */
export class BridgedChannels {
  private channels: ReadonlySet<string> | undefined
  private reading: Promise<void> | undefined

  /** `read` gives the bridged channels' ids (CommunityRegistry.channelIds). */
  constructor(private readonly read: () => Promise<readonly string[]>) {}

  /** Reads the list; a failure is left for the next check to retry. Never rejects. */
  load(): Promise<void> {
    this.reading ??= this.read()
      .then((ids) => {
        this.channels = new Set(ids)
      })
      .catch(() => {})
      .finally(() => {
        this.reading = undefined
      })
    return this.reading
  }

  /** Whether an event in this channel is to be kept: bridged, or not known yet. */
  includes(channelId: string): boolean {
    if (this.channels === undefined) {
      void this.load()
      return true
    }
    return this.channels.has(channelId)
  }
}
