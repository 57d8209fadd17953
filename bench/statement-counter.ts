/**
 * Counts the SQL statements the bot sends while counting is on, by their text: the same query
 * compiles to the same text whatever its parameters, so a few dozen distinct texts cover a run.
 * Fed by the database's statement observer, so transactions' begin and commit count too.
 */
export class StatementCounter {
  private counting = false
  private readonly byText = new Map<string, number>()
  total = 0

  readonly record = (sql: string): void => {
    if (!this.counting) return
    this.total += 1
    this.byText.set(sql, (this.byText.get(sql) ?? 0) + 1)
  }

  start(): void {
    this.counting = true
  }

  stop(): void {
    this.counting = false
  }

  /** Counts per kind of statement (`insert outbox`, `commit`), most frequent first. */
  byKind(): { kind: string; count: number }[] {
    const kinds = new Map<string, number>()
    for (const [sql, count] of this.byText) kinds.set(kindOf(sql), (kinds.get(kindOf(sql)) ?? 0) + count)
    return [...kinds].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count)
  }

  /** Each distinct statement with its count, most frequent first. */
  byStatement(): { sql: string; count: number }[] {
    return [...this.byText].map(([sql, count]) => ({ sql, count })).sort((a, b) => b.count - a.count)
  }
}

/**
 * The verb and the first table named: `select replies`, `update outbox`, `commit`. Enough to see
 * where the statements go without a SQL parser; `--statements` lists the statements themselves.
 */
export function kindOf(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim().toLowerCase()
  const verb = /^(\w+)/.exec(text)?.[1] ?? '?'
  const table = /\b(?:from|into|update|join) "?(\w+)"?/.exec(text)?.[1]
  if (table !== undefined) return `${verb} ${table}`
  // No table: begin, commit, or a function call such as pg_notify.
  const call = /^select (\w+)\(/.exec(text)?.[1]
  return call ? `select ${call}()` : text.slice(0, 40)
}
