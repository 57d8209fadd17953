import { type Kysely, sql } from 'kysely'

/**
 * Discussions get a short number per community (`#12`): people type it in `/reply 12` and read it
 * in answers and digests, where a uuid would be useless. The community keeps its last number, so
 * two discussions started at once take the next numbers in turn (the counter's row lock
 * serialises them) rather than racing for `max(number) + 1`. Existing discussions are numbered in
 * the order they were started.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table communities add column last_discussion_number integer not null default 0`.execute(db)
  await sql`alter table discussions add column number integer`.execute(db)
  await sql`
    update discussions d set number = numbered.n
    from (
      select id, row_number() over (partition by community_id order by created_at, id) as n
      from discussions
    ) numbered
    where numbered.id = d.id
  `.execute(db)
  await sql`
    update communities c set last_discussion_number = coalesce(
      (select max(number) from discussions d where d.community_id = c.id), 0)
  `.execute(db)
  await sql`alter table discussions alter column number set not null`.execute(db)
  await sql`alter table discussions add constraint discussions_community_number unique (community_id, number)`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table discussions drop column number`.execute(db)
  await sql`alter table communities drop column last_discussion_number`.execute(db)
}
