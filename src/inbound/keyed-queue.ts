/**
 * Runs tasks one after another per key (a channel, a thread), and concurrently across keys.
 * Platform events about one thread must be applied in the order they came: a deletion handled
 * beside the creation it follows would find nothing to delete.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>()

  run(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    const next = previous.then(task, task)
    const tail = next.catch(() => {})
    this.tails.set(key, tail)
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    })
    return next
  }
}
