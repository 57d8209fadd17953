import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { envSchema } from '../../src/config/config-schema.ts'
import { root } from '../support/npm-start.ts'

const read = (file: string) => readFileSync(`${root}/${file}`, 'utf8')
const KNOWN = new Set(Object.keys(envSchema.shape))

/** The container files name our settings; a renamed one would be silently ignored, so they must exist. */
describe('Dockerfile and compose.yaml', () => {
  const compose = parse(read('compose.yaml')) as {
    services: Record<
      string,
      {
        environment?: Record<string, string>
        depends_on?: Record<string, { condition: string }>
        healthcheck?: unknown
      }
    >
  }
  const bot = compose.services.threadbridge

  it("names only settings src/config reads, in compose.yaml, the env file's example and the Dockerfile", () => {
    const fromCompose = Object.keys(bot?.environment ?? {})
    const fromExample = [...read('threadbridge.env.example').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1])
    const fromDockerfile = [...read('Dockerfile').matchAll(/\b(THREADBRIDGE_[A-Z_]+)=/g)].map((m) => m[1])
    expect(fromCompose).toContain('DATABASE_URL')
    expect(fromCompose).toContain('REDIS_URL')
    expect(fromExample).toContain('DISCORD_TOKEN')
    for (const name of [...fromCompose, ...fromExample, ...fromDockerfile]) expect(KNOWN).toContain(name)
  })

  it('starts the bot once PostgreSQL and Redis are healthy, and each has a health check', () => {
    expect(bot?.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    })
    expect(compose.services.postgres?.healthcheck).toBeDefined()
    expect(compose.services.redis?.healthcheck).toBeDefined()
  })

  it('runs the CLI as the node user, probing /healthz', () => {
    const dockerfile = read('Dockerfile')
    expect(dockerfile).toMatch(/^USER node$/m)
    expect(dockerfile).toMatch(/^CMD \["node", "bin\/threadbridge\.mjs", "start"\]$/m)
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m)
    expect(dockerfile).toMatch(/npm ci --omit=dev/)
  })
})
