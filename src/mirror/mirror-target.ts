import type { PlatformPort } from '../platform/platform-port.ts'

/**
 * The platform port under the name the mirror's reliability tests wrap it by (they inject a
 * crash between a send and its record). Everything else names it PlatformPort.
 */
export type MirrorTarget = PlatformPort
