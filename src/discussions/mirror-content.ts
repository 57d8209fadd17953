import { sql } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { Executor } from '../db/in-transaction.ts'
import type { BodyFormat } from '../db/schema.ts'
import type { AuthorView } from '../platform/platform-port.ts'

/** An opening post or a reply as a mirror shows it: the words as stored, who wrote them, what came with them. */
export interface MirrorContent {
  /** Null once deleted: a tombstone has no words to show. */
  text: string | null
  format: BodyFormat
  author: AuthorView
  /** The discussion's title for an opening post; null for a reply (or a deleted opening post). */
  title: string | null
  /**
   * The reply this one answers, for platforms whose threads are flat: its author and its words as
   * stored (null once deleted). The engine quotes its first line as plain text.
   */
  answers: { authorName: string; text: string | null; format: BodyFormat } | null
  attachments: { fileName: string; url: string; sizeBytes: number | null }[]
}

/**
 * Reads what a mirror shows of an opening post (replyId null) or a reply, in one statement: the
 * author's name and avatar (from the account they wrote it from), the answered reply's first
 * line and its author, and the attachments come with the row. Throws if the row does not exist.
 */
export async function readMirrorContent(
  db: Executor,
  content: { discussionId: string; replyId: string | null },
): Promise<MirrorContent> {
  if (content.replyId === null) {
    const row = await db
      .selectFrom('discussions as d')
      .leftJoinLateral(
        () => latestIdentity(db, 'd').as('a'),
        (join) => join.onTrue(),
      )
      .select(['d.title', 'd.body', 'd.body_format', 'a.platform', 'a.display_name', 'a.avatar_url'])
      .select((eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('attachments')
            .select(['file_name', 'url', 'size_bytes'])
            .whereRef('attachments.discussion_id', '=', 'd.id'),
        ).as('attachments'),
      )
      .where('d.id', '=', content.discussionId)
      .executeTakeFirstOrThrow()
    return {
      text: row.body,
      format: row.body_format,
      author: authorView(row),
      title: row.title,
      answers: null,
      attachments: row.attachments.map(attachmentOf),
    }
  }
  const row = await db
    .selectFrom('replies as r')
    .leftJoinLateral(
      () => latestIdentity(db, 'r').as('a'),
      (join) => join.onTrue(),
    )
    .leftJoin('replies as p', 'p.id', 'r.parent_reply_id')
    .leftJoinLateral(
      () => latestIdentity(db, 'p').as('pa'),
      (join) => join.onTrue(),
    )
    .select(['r.body', 'r.body_format', 'a.platform', 'a.display_name', 'a.avatar_url'])
    .select([
      'p.id as parent_id',
      'p.body as parent_body',
      'p.body_format as parent_format',
      sql<string | null>`pa.display_name`.as('parent_author'),
    ])
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('attachments')
          .select(['file_name', 'url', 'size_bytes'])
          .whereRef('attachments.reply_id', '=', 'r.id'),
      ).as('attachments'),
    )
    .where('r.id', '=', content.replyId)
    .executeTakeFirstOrThrow()
  return {
    text: row.body,
    format: row.body_format,
    author: authorView(row),
    title: null,
    answers:
      row.parent_id === null
        ? null
        : {
            authorName: row.parent_author ?? 'someone',
            text: row.parent_body,
            format: row.parent_format ?? 'plain',
          },
    attachments: row.attachments.map(attachmentOf),
  }
}

/**
 * The account content was written from: its name and avatar are how mirrors show it, so a reply
 * written on Slack keeps its Slack name after its author linked a Discord account. Rows without
 * one (none since account links) fall back to the account the member last acted from.
 */
function latestIdentity(db: Executor, alias: 'd' | 'r' | 'p') {
  const matches = sql<boolean>`(identities.platform = ${sql.ref(`${alias}.author_platform`)}
    and identities.platform_user_id = ${sql.ref(`${alias}.author_platform_user_id`)}) is true`
  return db
    .selectFrom('identities')
    .select(['identities.platform', 'identities.display_name', 'identities.avatar_url'])
    .where('identities.member_id', '=', sql.ref<string>(`${alias}.author_member_id`))
    .orderBy(matches, 'desc')
    .orderBy('identities.updated_at', 'desc')
    .limit(1)
}

function authorView(row: {
  platform: AuthorView['platform'] | null
  display_name: string | null
  avatar_url: string | null
}): AuthorView {
  return {
    displayName: row.display_name ?? 'someone',
    avatarUrl: row.avatar_url ?? null,
    platform: row.platform ?? null,
  }
}

// int8 arrives as a number inside JSON (and as a string from the driver elsewhere).
function attachmentOf(a: { file_name: string; url: string; size_bytes: string | number | null }) {
  return {
    fileName: a.file_name,
    url: a.url,
    sizeBytes: a.size_bytes === null ? null : Number(a.size_bytes),
  }
}
