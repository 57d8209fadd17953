import { cp } from 'node:fs/promises'
import path from 'node:path'
import { inject } from 'vitest'

/**
 * Prepares `dataDir` (THREADBRIDGE_DATA_DIR) for a bot a test starts as a child process: its
 * embedded database is a copy of the run's fresh one, exactly what initdb would have made, so
 * the bot skips the seconds initdb takes and runs everything else (migrations included) itself.
 * Returns `dataDir`.
 */
export async function botDataDir(dataDir: string): Promise<string> {
  await cp(inject('pgliteDataDir'), path.join(dataDir, 'pglite'), { recursive: true })
  return dataDir
}
