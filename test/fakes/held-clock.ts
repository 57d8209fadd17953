/**
 * An emulator's rate-limit clock: real time until a test holds it, then still until the test moves
 * it. Calls made while it is held all fall in the same instant, however slow the machine.
 */
export class HeldClock {
  private held: number | undefined

  /** What the emulator reads (`rateLimitClock`). */
  readonly now = (): number => this.held ?? Date.now()

  hold(): void {
    this.held ??= Date.now()
  }

  advance(ms: number): void {
    this.held = this.now() + ms
  }
}
