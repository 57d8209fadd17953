import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BOT_PERMISSIONS } from '../../adapters/discord/bot-permissions.ts'
import { type Sandbox, startSandbox } from '../../sandbox/sandbox.ts'
import { root } from '../support/npm-start.ts'
import { runCli } from '../support/run-cli.ts'

describe('threadbridge, the command line', () => {
  it('lists its commands, and answers a bad one with one line and exit 2', async () => {
    const help = await runCli(['--help'], {})
    expect(help.code).toBe(0)
    for (const command of ['start', 'migrate', 'export', 'invite', 'doctor'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'))

    const bogus = await runCli(['bogus'], {})
    expect(bogus).toEqual({
      code: 2,
      stdout: '',
      stderr: "threadbridge: unknown command 'bogus' (see threadbridge --help)\n",
    })
    const sideways = await runCli(['migrate', 'sideways'], {})
    expect(sideways.code).toBe(2)
    expect(sideways.stderr).toMatch(/^threadbridge migrate: .*'sideways'.*latest, down.*\n$/)
  })
})

/**
 * `npx threadbridge ARGS | head -1`, its reader gone before it writes: the pipe is closed before
 * the command has loaded, so every write it makes finds no reader (EPIPE).
 */
async function intoClosedPipe(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['bin/threadbridge.mjs', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout.destroy()
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const [code, signal] = await once(child, 'exit')
  return { code, signal, stderr }
}

describe('threadbridge, its output piped to a reader that stops early', () => {
  it('ends quietly, as a program stopped by SIGPIPE does, for each command', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'threadbridge-epipe-'))
    try {
      const stopped = { code: 141, signal: null, stderr: '' }
      expect(await intoClosedPipe(['invite'], { DISCORD_APPLICATION_ID: '1100000000000000042' })).toEqual(
        stopped,
      )
      // doctor, with no tokens, checks a sandbox of its own: lines to print from the first check.
      expect(await intoClosedPipe(['doctor'], { THREADBRIDGE_DATA_DIR: dataDir })).toEqual(stopped)
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})

describe('threadbridge invite', () => {
  let sandbox: Sandbox
  let dataDir: string
  beforeAll(async () => {
    sandbox = await startSandbox({ discordPort: 0, slackPort: 0 })
    dataDir = await mkdtemp(path.join(tmpdir(), 'threadbridge-invite-'))
  })
  afterAll(async () => {
    await sandbox.stop()
    await rm(dataDir, { recursive: true, force: true })
  })

  const link = (applicationId: string) =>
    `https://discord.com/oauth2/authorize?client_id=${applicationId}&permissions=${BOT_PERMISSIONS}&scope=bot+applications.commands`

  it("asks Discord for the token's application, and lists the rights it asks for", async () => {
    const invite = await runCli(['invite'], {
      DISCORD_TOKEN: sandbox.tokens.discord,
      THREADBRIDGE_DISCORD_API_URL: sandbox.discord.apiUrl,
    })
    expect(invite.stderr).toBe('')
    expect(invite.code).toBe(0)
    expect(invite.stdout.split('\n')[0]).toBe(link(sandbox.discord.state.applicationId))
    expect(invite.stdout).toContain('  Manage Webhooks: ')
    expect(invite.stdout).not.toContain('sandbox')
    expect(invite.stdout).not.toContain(sandbox.tokens.discord)
  })

  it('needs no network with DISCORD_APPLICATION_ID', async () => {
    const invite = await runCli(['invite'], { DISCORD_APPLICATION_ID: '1100000000000000042' })
    expect(invite.code).toBe(0)
    expect(invite.stdout.split('\n')[0]).toBe(link('1100000000000000042'))
  })

  it('says in one line that Discord refused the token', async () => {
    const invite = await runCli(['invite'], {
      DISCORD_TOKEN: 'not-the-token',
      THREADBRIDGE_DISCORD_API_URL: sandbox.discord.apiUrl,
    })
    expect(invite).toMatchObject({ code: 1, stdout: '' })
    expect(invite.stderr).toMatch(/^threadbridge: Discord refused DISCORD_TOKEN \(401 Unauthorized\): .*\n$/)
  })

  it("prints the sandbox's link, said to be the sandbox's, with no token set", async () => {
    const before = await runCli(['invite'], { THREADBRIDGE_DATA_DIR: dataDir })
    expect(before.code).toBe(1)
    expect(before.stderr).toMatch(
      /^threadbridge invite: no DISCORD_APPLICATION_ID or DISCORD_TOKEN set, .*\n$/,
    )

    const saved = await startSandbox({ dataDir, discordPort: 0, slackPort: 0 })
    await saved.stop()
    const invite = await runCli(['invite'], { THREADBRIDGE_DATA_DIR: dataDir })
    expect(invite.code).toBe(0)
    expect(invite.stdout.split('\n')[0]).toBe(link(saved.discord.state.applicationId))
    expect(invite.stdout).toContain("This is the sandbox's application")
  })
})
