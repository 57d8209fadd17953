import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResult,
  Migrator,
  NO_MIGRATIONS,
} from 'kysely'
import { MigrationError } from '../errors.ts'
import type { Database } from './schema.ts'

/** migrations/ at the repository root, one file per step, run in name order. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url))

/**
 * Like kysely's FileMigrationProvider, but the import() happens in our code rather than inside
 * node_modules, so whatever runs our TypeScript (tsx, vitest) also loads the .ts migrations.
 */
const migrationFolderProvider: MigrationProvider = {
  async getMigrations() {
    const migrations: Record<string, Migration> = {}
    for (const file of (await readdir(MIGRATIONS_FOLDER)).sort()) {
      if (!/\.(ts|js)$/.test(file) || file.endsWith('.d.ts')) continue
      const module = (await import(pathToFileURL(path.join(MIGRATIONS_FOLDER, file)).href)) as Migration
      migrations[file.replace(/\.(ts|js)$/, '')] = {
        up: module.up,
        ...(module.down ? { down: module.down } : {}),
      }
    }
    return migrations
  },
}

function migratorFor(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: migrationFolderProvider })
}

/** Brings the schema up to date. Returns what ran; throws MigrationError naming the step that failed. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResult[]> {
  return settle(await migratorFor(db).migrateToLatest())
}

/** The names of the migrations not yet applied, in order: empty when the schema is up to date. */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  return (await migratorFor(db).getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name)
}

/** Undoes the most recent migration (or all of them), for `npm run migrate -- down` and tests. */
export async function migrateDown(
  db: Kysely<Database>,
  options: { all?: boolean } = {},
): Promise<MigrationResult[]> {
  const migrator = migratorFor(db)
  return settle(await (options.all ? migrator.migrateTo(NO_MIGRATIONS) : migrator.migrateDown()))
}

/** Migrates up or down to the named step, for tests of a migration's data changes. */
export async function migrateTo(db: Kysely<Database>, migration: string): Promise<MigrationResult[]> {
  return settle(await migratorFor(db).migrateTo(migration))
}

function settle(resultSet: { error?: unknown; results?: MigrationResult[] }): MigrationResult[] {
  if (resultSet.error !== undefined) {
    const failed = resultSet.results?.find((result) => result.status === 'Error')
    throw new MigrationError(failed?.migrationName, resultSet.error)
  }
  return resultSet.results ?? []
}
