import type { Transaction } from 'kysely'
import type { Database, NewAttachment } from '../db/schema.ts'
import { storableText } from '../db/storable-text.ts'
import { ValidationError } from '../errors.ts'

/** What a tombstone shows in place of a deleted reply: the community's own words. */
export const DELETED_REPLY_TEXT = 'This reply was deleted.'
export const DELETED_DISCUSSION_TEXT = 'This discussion was deleted.'

/**
 * The longest body we store. Slack refuses messages over 40,000 characters and Discord splits
 * at 2,000; anything longer than Slack's limit could never be mirrored whole.
 */
export const MAX_BODY_LENGTH = 40_000
export const MAX_TITLE_LENGTH = 300

export interface AttachmentInput {
  fileName: string
  url: string
  sizeBytes?: number | null
  contentType?: string | null
}

export function checkBody(text: string, attachments: readonly AttachmentInput[] = []): string {
  const body = storableText(text)
  if (body.length > MAX_BODY_LENGTH) {
    throw new ValidationError(
      `a message can be at most ${MAX_BODY_LENGTH} characters; this one has ${body.length}`,
    )
  }
  if (body.trim() === '' && attachments.length === 0)
    throw new ValidationError('a message needs text or an attachment')
  return body
}

export function checkTitle(title: string): string {
  const trimmed = storableText(title).trim()
  if (trimmed === '') throw new ValidationError('a discussion needs a title')
  if (trimmed.length > MAX_TITLE_LENGTH) {
    throw new ValidationError(
      `a title can be at most ${MAX_TITLE_LENGTH} characters; this one has ${trimmed.length}`,
    )
  }
  return trimmed
}

export async function insertAttachments(
  tx: Transaction<Database>,
  owner: { discussion_id: string; reply_id: null } | { discussion_id: null; reply_id: string },
  attachments: readonly AttachmentInput[],
  now: Date,
): Promise<void> {
  if (attachments.length === 0) return
  const rows: (NewAttachment & typeof owner)[] = attachments.map((attachment) => ({
    ...owner,
    file_name: storableText(attachment.fileName),
    url: storableText(attachment.url),
    size_bytes: attachment.sizeBytes ?? null,
    content_type: attachment.contentType ?? null,
    created_at: now,
  }))
  await tx.insertInto('attachments').values(rows).execute()
}
