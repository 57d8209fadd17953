import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'

/** A rule: files under `folder` may not import what `forbidden` matches. */
export interface ImportRule {
  folder: string
  forbidden: RegExp
  why: string
}

const CHAT_SDKS = /^(discord\.js|@discordjs\/|discord-api-types|@slack\/)/

export const RULES: ImportRule[] = [
  { folder: 'src', forbidden: CHAT_SDKS, why: 'the core never imports a chat SDK' },
  { folder: 'src', forbidden: /^node-cron$/, why: 'the core takes time as a parameter; bin/ schedules' },
  {
    folder: 'src',
    forbidden: /^\.\.?\/.*\b(adapters|commands|bin|sandbox|migrations|test|bench)\//,
    why: 'imports point inward: the core does not know who calls it',
  },
  { folder: 'commands', forbidden: CHAT_SDKS, why: 'commands are platform-neutral' },
  {
    folder: 'commands',
    forbidden: /^\.\.?\/.*\b(adapters|bin|sandbox)\//,
    why: 'commands depend on the core only',
  },
  { folder: 'adapters/discord', forbidden: /^@slack\//, why: 'one platform per adapter' },
  {
    folder: 'adapters/slack',
    forbidden: /^(discord\.js|@discordjs\/|discord-api-types)/,
    why: 'one platform per adapter',
  },
  {
    folder: 'adapters',
    forbidden: /^\.\.?\/.*\b(commands|bin|sandbox)\//,
    why: 'adapters depend on the core only',
  },
  {
    folder: 'migrations',
    forbidden: /^(?!kysely$)/,
    why: 'migrations are frozen in time: kysely only, never our code',
  },
  { folder: 'bin', forbidden: CHAT_SDKS, why: 'only adapters (and the sandbox) talk to chat SDKs' },
]

export interface Violation {
  file: string
  specifier: string
  why: string
}

/** Every module specifier a TypeScript source imports or re-exports, statically or dynamically. */
export function importsOf(source: string): string[] {
  const specifiers: string[] = []
  const patterns = [
    /^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  ]
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) if (match[1]) specifiers.push(match[1])
  }
  return specifiers
}

export function check(file: string, source: string, rules: readonly ImportRule[] = RULES): Violation[] {
  const violations: Violation[] = []
  for (const rule of rules) {
    if (!file.startsWith(`${rule.folder}/`)) continue
    for (const specifier of importsOf(source)) {
      if (specifier.startsWith('node:') && rule.folder !== 'migrations') continue
      if (rule.forbidden.test(specifier)) violations.push({ file, specifier, why: rule.why })
    }
  }
  return violations
}

export async function sourceFiles(root: string, folder: string): Promise<string[]> {
  const entries = await readdir(path.join(root, folder), { withFileTypes: true, recursive: true }).catch(
    () => [],
  )
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|js|mjs)$/.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
}

export async function checkTree(root: string): Promise<{ files: number; violations: Violation[] }> {
  const folders = [...new Set(RULES.map((rule) => rule.folder.split('/')[0] as string))]
  const files = (await Promise.all(folders.map((folder) => sourceFiles(root, folder)))).flat()
  const violations: Violation[] = []
  for (const file of files) violations.push(...check(file, await readFile(path.join(root, file), 'utf8')))
  return { files: files.length, violations }
}
