import type { Platform } from '../platform/platform.ts'
import { escapeSlack } from './discord-to-slack.ts'
import { defuseMassMentionWords } from './format-context.ts'
import { escapeDiscord } from './slack-to-discord.ts'

export interface AttachmentView {
  fileName: string
  sizeBytes: number | null
  url: string
}

/**
 * A file shared on one platform, as one line on another: "📎 name (size): url". Files cross as
 * links. The name is text, never markup (a file called `<!channel>.png` or `*bold*.txt` must not
 * become a broadcast or bold), and on Slack the address is escaped too, since Slack reads `&`,
 * `<` and `>` in it as its own control characters; Discord takes a bare address as it is.
 */
export function attachmentLine(file: AttachmentView, to: Platform): string {
  const name = defuseMassMentionWords(
    to === 'slack' ? escapeSlack(file.fileName) : escapeDiscord(file.fileName),
  )
  const url = to === 'slack' ? escapeSlack(file.url) : file.url
  const size = file.sizeBytes === null ? '' : ` (${formatSize(file.sizeBytes)})`
  return `📎 ${name}${size}: ${url}`
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
