/**
 * How Slack hands the app what happens: over Socket Mode (SocketModeHub) or as signed HTTP
 * requests to the app's Request URL (HttpDelivery). Either way, an event not acknowledged in
 * time is delivered again, and a command or interaction is not.
 */
export interface AppDelivery {
  /** Delivers an event (an `event_callback` body), again until acknowledged. */
  sendEvent(payload: Record<string, unknown>): void
  /**
   * Delivers a slash command or an interaction; resolves with the acknowledgement's body, or
   * null when none came in time (the person sees a timeout).
   */
  sendCommand(
    payload: Record<string, unknown>,
    type?: 'slash_commands' | 'interactive',
  ): Promise<Record<string, unknown> | null>
  /** Fault injection: how many coming events to deliver twice, how many acks to ignore. */
  duplicateNext: number
  ignoreAcksNext: number
  close(): void
}
