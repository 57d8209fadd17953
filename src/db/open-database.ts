import { mkdir } from 'node:fs/promises'
import { PGlite, types } from '@electric-sql/pglite'
import { Kysely, type KyselyConfig, PostgresDialect, sql } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import { DatabaseUnavailableError, describeCause } from '../errors.ts'
import type { Database } from './schema.ts'

/** Where the data lives: a PostgreSQL server, or PostgreSQL embedded in this process. */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | {
      kind: 'embedded'
      /** A directory (created if missing), or undefined for a throwaway in-memory database. */
      dataDir?: string | undefined
      /** A tarball from PGlite's dumpDataDir to start from (tests use it to skip initdb). */
      loadDataDir?: Blob | File | undefined
    }

export interface DatabaseHandle {
  readonly db: Kysely<Database>
  readonly kind: DatabaseTarget['kind']
  /** Where the data is, without credentials: safe to log. */
  readonly location: string
  /**
   * Calls `onNotify` for each NOTIFY on `channel`, from any transaction once it commits. Resolves
   * once listening; the returned function stops it.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>
  close(): Promise<void>
}

export interface DatabaseObserver {
  /**
   * Called with every statement sent to the database, whatever issued it: query builder, raw
   * sql``, and the begin, commit and rollback of transactions. How the benchmark counts the
   * statements a mirrored message costs; nothing in production sets it.
   */
  onStatement?: (sql: string) => void
}

/**
 * Opens the database and proves it answers, so a wrong URL or a stopped server fails at start-up
 * with one clear line rather than at the first query.
 *
 * Both targets use kysely's Postgres adapter and query compiler: one SQL dialect for both.
 */
export async function openDatabase(
  target: DatabaseTarget,
  onIdleError: (error: Error) => void = () => {},
  observer: DatabaseObserver = {},
): Promise<DatabaseHandle> {
  // kysely's log hook sees what reaches a connection, transactions' own statements included,
  // which a plugin (it sees only what is compiled) would miss.
  const onStatement = observer.onStatement
  const log: Pick<KyselyConfig, 'log'> = onStatement ? { log: (event) => onStatement(event.query.sql) } : {}
  if (target.kind === 'postgres') return openPostgres(target.url, onIdleError, log)
  return openEmbedded(target.dataDir, target.loadDataDir, log)
}

async function openPostgres(
  url: string,
  onIdleError: (error: Error) => void,
  log: Pick<KyselyConfig, 'log'>,
): Promise<DatabaseHandle> {
  const location = redactUrl(url)
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 10_000 })
  // An idle client losing its connection emits 'error' on the pool; unhandled, it would crash
  // the process. The next query gets a fresh connection, so reporting it is enough.
  pool.on('error', onIdleError)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...log })
  try {
    await sql`select 1`.execute(db)
  } catch (error) {
    await db.destroy().catch(() => {})
    throw new DatabaseUnavailableError(
      `cannot reach PostgreSQL at ${location}: ${describeConnectError(error)}`,
      error,
    )
  }
  const listen = async (channel: string, onNotify: (payload: string) => void) => {
    // LISTEN needs a connection of its own: pooled connections are handed to other queries. It
    // dies with the server (a restart, a failover), and a listener that stops hearing is a
    // worker that stops waking: reconnect with growing delays, and on return call `onNotify('')`
    // once, since what was notified meanwhile is lost.
    let client: pg.Client | undefined
    let stopped = false
    let reconnecting = false
    let retryMs = 500
    const connect = async () => {
      const next = new pg.Client({ connectionString: url })
      next.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '')
      })
      next.on('error', onIdleError)
      try {
        await next.connect()
        await next.query(`listen ${quoteIdentifier(channel)}`)
      } catch (error) {
        await next.end().catch(() => {})
        throw error
      }
      next.on('end', reconnectSoon)
      client = next
    }
    const reconnectSoon = () => {
      if (stopped || reconnecting) return
      reconnecting = true
      client = undefined
      const attempt = () => {
        if (stopped) return
        connect().then(
          () => {
            reconnecting = false
            retryMs = 500
            onNotify('')
          },
          () => {
            retryMs = Math.min(30_000, retryMs * 2)
            setTimeout(attempt, retryMs).unref()
          },
        )
      }
      setTimeout(attempt, retryMs).unref()
    }
    await connect()
    return async () => {
      stopped = true
      await client?.end().catch(() => {})
    }
  }
  return { db, kind: 'postgres', location, listen, close: () => db.destroy() }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

async function openEmbedded(
  dataDir: string | undefined,
  loadDataDir: Blob | File | undefined,
  log: Pick<KyselyConfig, 'log'>,
): Promise<DatabaseHandle> {
  const location = dataDir ?? 'memory://'
  let client: PGlite
  try {
    if (dataDir !== undefined) await mkdir(dataDir, { recursive: true })
    client = await PGlite.create({
      ...(dataDir === undefined ? {} : { dataDir }),
      ...(loadDataDir === undefined ? {} : { loadDataDir }),
      // int8 as a string, as the pg driver returns it, so both targets hand back the same types.
      parsers: { [types.INT8]: (value: string) => value },
    })
  } catch (error) {
    throw new DatabaseUnavailableError(
      `cannot open the embedded database at ${location}: ${describeCause(error)}`,
      error,
    )
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client), ...log })
  return {
    db,
    kind: 'embedded' as const,
    location,
    listen: async (channel: string, onNotify: (payload: string) => void) => {
      const unlisten = await client.listen(channel, onNotify)
      return async () => {
        if (!client.closed) await unlisten()
      }
    },
    close: async () => {
      await db.destroy()
      if (!client.closed) await client.close()
    },
  }
}

/** postgres://user:secret@host/db → postgres://user@host/db: passwords never reach a log. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.password = ''
    return parsed.toString()
  } catch {
    return '(unparseable URL)'
  }
}

function describeConnectError(error: unknown): string {
  // pg reports refused connections as an AggregateError (one per resolved address) whose own
  // message is empty; the code is what a person can act on.
  const code = (error as { code?: unknown }).code
  const message =
    error instanceof AggregateError ? error.errors.map(describeCause).join('; ') : describeCause(error)
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}`.trim() : message
}
