import pino from 'pino'
import pretty from 'pino-pretty'
import { type Config, loadConfig } from '../src/config/load-config.ts'
import { type DatabaseHandle, openDatabase } from '../src/db/open-database.ts'
import { ConfigError, DatabaseUnavailableError, ThreadbridgeError } from '../src/errors.ts'
import type { Logger } from '../src/logger.ts'
import { type DataDirLock, lockDataDir } from './lock-data-dir.ts'

/**
 * Prints one line a person can act on and exits non-zero. Expected failures (bad settings, no
 * database) never print a stack trace; anything else gets one, since it is a bug to report.
 */
export function exitWithError(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(`threadbridge: configuration error: ${error.message}`)
    process.exit(2)
  }
  if (error instanceof DatabaseUnavailableError || error instanceof ThreadbridgeError) {
    console.error(`threadbridge: ${error.message}`)
    process.exit(1)
  }
  console.error('threadbridge: unexpected error:', error)
  process.exit(1)
}

/**
 * pino's JSON for pipes and log shippers; readable lines for a person at a terminal. The pretty
 * stream is synchronous, so the last lines before an exit are never lost.
 */
export function createLogger(
  level: Config['logLevel'],
  /** Where lines go: stdout unless a test reads them. */
  destination?: pino.DestinationStream,
  terminal = destination === undefined && process.stdout.isTTY === true,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'threadbridge' },
    // Belt and braces: nothing should log a token, but if a config object slips into a log
    // line, these paths are blanked.
    redact: {
      paths: [
        'token',
        'botToken',
        'appToken',
        'signingSecret',
        '*.token',
        '*.botToken',
        '*.appToken',
        '*.signingSecret',
        // An error logged as `err` may quote what a person wrote: PostgreSQL's "Failing row
        // contains (...)" detail, or the message discord.js was sending.
        'err.detail',
        'err.requestBody',
        'err.rawError',
      ],
      censor: '[redacted]',
    },
  }
  if (destination !== undefined) return pino(options, destination)
  return terminal
    ? pino(options, pretty({ sync: true, ignore: 'pid,hostname,service', translateTime: 'SYS:HH:MM:ss' }))
    : pino(options)
}

/**
 * Reads the configuration and opens the database it names, or exits with one clear line. With
 * `lock`, the data directory is claimed first (always: the bot's spool lives there; `embedded`:
 * only when the embedded database does, as for a migration), so a second process is refused
 * before it touches the embedded database.
 */
export async function openConfiguredDatabase(
  env: NodeJS.ProcessEnv,
  lock: 'always' | 'embedded' = 'always',
  /** Runs on the configuration before anything is opened; what it throws ends the process. */
  vet?: (config: Config) => void,
): Promise<{ config: Config; logger: Logger; database: DatabaseHandle; lock: DataDirLock | undefined }> {
  const config = await loadConfig(env).catch(exitWithError)
  let dataDirLock: DataDirLock | undefined
  try {
    vet?.(config)
    if (lock === 'always' || config.database.kind === 'embedded') dataDirLock = lockDataDir(config.dataDir)
  } catch (error) {
    exitWithError(error)
  }
  const logger = createLogger(config.logLevel)
  const database = await openDatabase(config.database, (error) =>
    logger.warn(
      { code: (error as { code?: unknown }).code },
      'a PostgreSQL connection dropped; it will be replaced',
    ),
  ).catch(exitWithError)
  return { config, logger, database, lock: dataDirLock }
}
