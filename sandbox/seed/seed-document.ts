import { readFile } from 'node:fs/promises'

export interface SeedDocument {
  title: string
  post: string
  replies: { text: string; deleted: boolean }[]
}

/** The community page the sandbox starts from: the Lightbulb Moment discussion it acts out. */
export const SEED_FILE = new URL('./lightbulb-moment.txt', import.meta.url)

export async function readSeedDocument(): Promise<SeedDocument> {
  return parseSeedDocument(await readFile(SEED_FILE, 'utf8'))
}

/**
 * Splits the page into its post and its replies. The page's own furniture (the membership notice,
 * "Join", "Email me when people reply") is the product's behaviour, not content, and is dropped.
 */
export function parseSeedDocument(text: string): SeedDocument {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const noticeAt = lines.findIndex((line) => line.startsWith('You need to be a member of'))
  const repliesAt = lines.findIndex((line) => line.trim() === 'Replies')
  if (noticeAt < 0 || repliesAt < 0)
    throw new Error('the seed document has no membership notice or Replies heading')
  const post = tidy(lines.slice(0, noticeAt).join('\n'))
  const firstLine = post.split('\n')[0] ?? 'A discussion'
  const replies: SeedDocument['replies'] = []
  let current: string[] | undefined
  for (const line of lines.slice(repliesAt + 1)) {
    const bullet = /^\s*•\s?(.*)$/.exec(line)
    if (bullet) {
      if (current) replies.push({ text: tidy(current.join('\n')), deleted: false })
      current = [bullet[1] ?? '']
    } else if (line.trim() === 'This reply was deleted.') {
      if (current) replies.push({ text: tidy(current.join('\n')), deleted: false })
      current = undefined
      replies.push({ text: '(This reply was later deleted by its author.)', deleted: true })
    } else if (current) {
      current.push(line)
    }
  }
  if (current) replies.push({ text: tidy(current.join('\n')), deleted: false })
  return { title: firstLine.replace(/[:.]$/, '').slice(0, 100), post, replies }
}

function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
