/**
 * Resolves or rejects as `work` does, or rejects with `onLate()` after `ms`: how start-up turns
 * a platform that accepts connections and never answers into one line, not a wait for ever.
 * `work` is not cancelled; the process exits on the error.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, onLate: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onLate()), ms)
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}
