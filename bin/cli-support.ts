import pino from 'pino'
import { type Config, loadConfig } from '../src/config/load-config.ts'
import { type DatabaseHandle, openDatabase } from '../src/db/open-database.ts'
import { ConfigError, DatabaseUnavailableError, ThreadbridgeError } from '../src/errors.ts'
import type { Logger } from '../src/logger.ts'

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

export function createLogger(
  level: Config['logLevel'],
  /** Where lines go: stdout unless a test reads them. */
  destination?: pino.DestinationStream,
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
  return destination === undefined ? pino(options) : pino(options, destination)
}

/** Reads the configuration and opens the database it names, or exits with one clear line. */
export async function openConfiguredDatabase(
  env: NodeJS.ProcessEnv,
): Promise<{ config: Config; logger: Logger; database: DatabaseHandle }> {
  const config = await loadConfig(env).catch(exitWithError)
  const logger = createLogger(config.logLevel)
  const database = await openDatabase(config.database, (error) =>
    logger.warn(
      { code: (error as { code?: unknown }).code },
      'a PostgreSQL connection dropped; it will be replaced',
    ),
  ).catch(exitWithError)
  return { config, logger, database }
}
