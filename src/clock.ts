/** Time as the core sees it: a parameter, so tests and digests never wait on the real clock. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }
