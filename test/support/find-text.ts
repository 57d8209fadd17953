import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import type { DatabaseHandle } from '../../src/db/open-database.ts'

/** Each table (of the schema, kysely's own included) whose rows, read as text, hold `needle`. */
export async function tablesHolding(database: DatabaseHandle, needle: string): Promise<string[]> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(database.db)
  const found: string[] = []
  for (const { table_name } of tables.rows) {
    // A whole row cast to text holds every column, jsonb payloads included.
    const hit = await sql<{ n: string }>`
      select count(*) as n from ${sql.table(table_name)} as t where t::text like ${`%${needle}%`}`.execute(
      database.db,
    )
    if (Number(hit.rows[0]?.n) > 0) found.push(table_name)
  }
  return found
}

/** Every file under `dir` whose bytes contain `needle`, relative to `dir`. */
export function filesHolding(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8')
  const found: string[] = []
  const visit = (at: string) => {
    for (const name of readdirSync(at)) {
      const file = path.join(at, name)
      const stat = statSync(file, { throwIfNoEntry: false })
      if (stat === undefined) continue
      if (stat.isDirectory()) visit(file)
      else if (stat.isFile() && readFileSync(file).includes(bytes)) found.push(path.relative(dir, file))
    }
  }
  visit(dir)
  return found
}

/**
 * The directory holding this database's own files: the embedded data directory, or, on a
 * server, `<data_directory>/base/<database oid>` (this machine's server, read as the user the
 * tests run as). A server's WAL is left out: it is shared by every database on the server and
 * its segments keep their bytes until recycled, which the operator configures (docs/erasure.md).
 */
export async function databaseFilesDir(database: DatabaseHandle, embeddedDir: string | undefined) {
  if (database.kind === 'embedded') {
    if (embeddedDir === undefined) throw new Error('an embedded database in memory has no files to read')
    return embeddedDir
  }
  const settings = await sql<{ dir: string; oid: string }>`
    select current_setting('data_directory') as dir, oid::text as oid
    from pg_database where datname = current_database()`.execute(database.db)
  const row = settings.rows[0]
  if (row === undefined) throw new Error('cannot find the database in pg_database')
  return path.join(row.dir, 'base', row.oid)
}
