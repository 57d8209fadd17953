import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { migrateTo, migrateToLatest } from '../../src/db/migrate.ts'
import type { DatabaseHandle } from '../../src/db/open-database.ts'
import { createTestDatabase, targetName } from '../support/test-database.ts'

/**
 * The moderator_accounts migration gives the roles a member held to the accounts they can be
 * traced to. Built from data of the shape before it: a member's role, its accounts, its links and
 * the audit of appointments, as the code of that time wrote them (an appointment, a removal and a
 * ban named the member; a link kept the membership of the stricter side and wrote no audit).
 */
const BEFORE = '2026-12-01T0310_moderator-sources'
const BACKFILL = '2026-12-07T2300_moderator-accounts'

describe(`the moderator accounts backfill (${targetName})`, () => {
  let handle: DatabaseHandle | undefined
  /** Who did the audited actions (made on first need). */
  let moderator = ''
  afterEach(async () => {
    await handle?.close()
    handle = undefined
  })

  /** A database migrated to just before the backfill, with community `c` configuring Discord `DCONF`. */
  async function schemaBeforeBackfill(): Promise<DatabaseHandle> {
    handle = await createTestDatabase({ migrate: false })
    await migrateTo(handle.db, BEFORE)
    moderator = ''
    await sql`insert into communities (id, name, configured_moderators)
      values ('c', 'C', ${JSON.stringify([{ platform: 'discord', userId: 'DCONF' }])})`.execute(handle.db)
    return handle
  }
  const db = () => {
    if (handle === undefined) throw new Error('no database')
    return handle.db
  }
  /** A member with these accounts, and its membership of `c`. */
  const member = async (accounts: string[], role: 'member' | 'moderator', status = 'joined') => {
    const made = await sql<{ id: string }>`
      insert into members (display_name) values (${accounts[0]}) returning id`.execute(db())
    const id = made.rows[0]?.id as string
    for (const account of accounts)
      await sql`insert into identities (platform, platform_user_id, member_id, display_name)
        values (${platformOf(account)}, ${account}, ${id}, ${account})`.execute(db())
    await sql`insert into memberships (community_id, member_id, status, role)
      values ('c', ${id}, ${status}, ${role})`.execute(db())
    return id
  }
  /** `account` was moved under `into` at `at` by a link; its former member keeps no account. */
  const linked = async (account: string, into: string, at: string) => {
    const former = await sql<{ member_id: string }>`
      select member_id from identities where platform_user_id = ${account}`.execute(db())
    const formerId = former.rows[0]?.member_id as string
    await sql`update identities set member_id = ${into} where platform_user_id = ${account}`.execute(db())
    await sql`delete from memberships where member_id = ${formerId}`.execute(db())
    await sql`insert into account_links (platform, platform_user_id, member_id, former_member_id, linked_at)
      values (${platformOf(account)}, ${account}, ${into}, ${formerId}, ${at})`.execute(db())
    return formerId
  }
  /** An audited action of that time (`grant_moderator`, `revoke_moderator`, `ban`) on member `target`. */
  const audit = async (action: string, target: string, at: string) => {
    if (moderator === '') moderator = await member(['DMOD'], 'member')
    await sql`insert into moderation_actions (community_id, moderator_member_id, action, target_member_id, created_at)
      values ('c', ${moderator}, ${action}, ${target}, ${at})`.execute(db())
  }
  const roles = async () =>
    (
      await sql<{ account: string; source: string }>`
        select platform_user_id as account, source from moderator_accounts
        where community_id = 'c' order by platform_user_id`.execute(db())
    ).rows
  const summary = async (memberId: string) =>
    (
      await sql<{ role: string }>`
        select role from memberships where community_id = 'c' and member_id = ${memberId}`.execute(db())
    ).rows[0]?.role

  it('gives each role to the accounts it can be traced to, and the summary follows', async () => {
    await schemaBeforeBackfill()
    // One account: its member's role is that account's.
    const alone = await member(['DALONE'], 'moderator')
    // Linked: the configuration names the Discord account, not the Slack one linked to it.
    const configured = await member(['DCONF'], 'moderator')
    await member(['SCONF'], 'member')
    await linked('SCONF', configured, '2026-12-02T00:00:00Z')
    // Linked: the Slack account was appointed while it was its own member's; the Discord one never.
    const before1 = await member(['DONE'], 'member')
    const formerOne = await member(['SONE'], 'moderator')
    await audit('grant_moderator', formerOne, '2026-12-02T00:00:00Z')
    await linked('SONE', before1, '2026-12-03T00:00:00Z')
    await sql`update memberships set role = 'moderator' where member_id = ${before1}`.execute(db())
    // Linked: appointed after the link, as one person: both accounts.
    const after = await member(['DTWO'], 'member')
    await member(['STWO'], 'member')
    await linked('STWO', after, '2026-12-02T00:00:00Z')
    await audit('grant_moderator', after, '2026-12-03T00:00:00Z')
    await sql`update memberships set role = 'moderator' where member_id = ${after}`.execute(db())
    // Linked, a role traced to neither account: neither keeps it, and the summary says so.
    const untraced = await member(['DNONE'], 'moderator')
    await member(['SNONE'], 'member')
    await linked('SNONE', untraced, '2026-12-02T00:00:00Z')
    // Not a moderator, whatever its audit says: an appointment later removed.
    const removed = await member(['DREMOVED', 'SREMOVED'], 'member')
    await audit('grant_moderator', removed, '2026-12-02T00:00:00Z')
    await audit('revoke_moderator', removed, '2026-12-03T00:00:00Z')

    await migrateTo(db(), BACKFILL)
    const promised = [
      { account: 'DALONE', source: 'appointment' },
      { account: 'DCONF', source: 'configuration' },
      { account: 'DTWO', source: 'appointment' },
      { account: 'SONE', source: 'appointment' },
      { account: 'STWO', source: 'appointment' },
    ]
    expect(await roles()).toEqual(promised)
    expect(await summary(alone)).toBe('moderator')
    expect(await summary(configured)).toBe('moderator')
    expect(await summary(before1)).toBe('moderator')
    expect(await summary(after)).toBe('moderator')
    expect(await summary(untraced)).toBe('member')
    expect(await summary(removed)).toBe('member')

    // The migrations after it leave a right backfill as it was.
    await migrateToLatest(db())
    expect(await roles()).toEqual(promised)
    expect(await summary(untraced)).toBe('member')
  })

  it('gives no role back that a removal or a ban had ended before the link', async () => {
    await schemaBeforeBackfill()
    // Discord DREV was appointed, then removed; its Slack account, appointed on its own, links in.
    const revoked = await member(['DREV'], 'member')
    await audit('grant_moderator', revoked, '2026-12-02T00:00:00Z')
    await audit('revoke_moderator', revoked, '2026-12-03T00:00:00Z')
    const formerRev = await member(['SREV'], 'moderator')
    await audit('grant_moderator', formerRev, '2026-12-04T00:00:00Z')
    await linked('SREV', revoked, '2026-12-05T00:00:00Z')
    await sql`update memberships set role = 'moderator' where member_id = ${revoked}`.execute(db())
    // Discord DBAN was appointed, banned (a ban ended the role), unbanned and joined again; same link.
    const banned = await member(['DBAN'], 'member')
    await audit('grant_moderator', banned, '2026-12-02T00:00:00Z')
    await audit('ban', banned, '2026-12-03T00:00:00Z')
    const formerBan = await member(['SBAN'], 'moderator')
    await audit('grant_moderator', formerBan, '2026-12-04T00:00:00Z')
    await linked('SBAN', banned, '2026-12-05T00:00:00Z')
    await sql`update memberships set role = 'moderator' where member_id = ${banned}`.execute(db())
    // The other way round: Slack SGONE was appointed and removed before it linked to a moderator.
    const kept = await member(['DKEPT'], 'moderator')
    await audit('grant_moderator', kept, '2026-12-02T00:00:00Z')
    const formerGone = await member(['SGONE'], 'member')
    await audit('grant_moderator', formerGone, '2026-12-02T00:00:00Z')
    await audit('revoke_moderator', formerGone, '2026-12-03T00:00:00Z')
    await linked('SGONE', kept, '2026-12-05T00:00:00Z')

    await migrateToLatest(db())
    expect(await roles()).toEqual([
      { account: 'DKEPT', source: 'appointment' },
      { account: 'SBAN', source: 'appointment' },
      { account: 'SREV', source: 'appointment' },
    ])
    expect(await summary(revoked)).toBe('moderator')
    expect(await summary(banned)).toBe('moderator')
    expect(await summary(kept)).toBe('moderator')
  })

  it('leaves alone a role appointed since the backfill ran, whatever the audit before it says', async () => {
    await schemaBeforeBackfill()
    const revoked = await member(['DREV'], 'member')
    await audit('grant_moderator', revoked, '2026-12-02T00:00:00Z')
    await audit('revoke_moderator', revoked, '2026-12-03T00:00:00Z')
    const formerRev = await member(['SREV'], 'moderator')
    await audit('grant_moderator', formerRev, '2026-12-04T00:00:00Z')
    await linked('SREV', revoked, '2026-12-05T00:00:00Z')
    await sql`update memberships set role = 'moderator' where member_id = ${revoked}`.execute(db())
    await migrateTo(db(), BACKFILL)
    // Since then, the bridge removed DREV's role and a moderator appointed DREV again, at its time.
    const since = new Date(Date.now() + 60_000)
    await sql`delete from moderator_accounts where platform_user_id = 'DREV'`.execute(db())
    await sql`insert into moderator_accounts (community_id, platform, platform_user_id, source, granted_at)
      values ('c', 'discord', 'DREV', 'appointment', ${since})`.execute(db())
    await audit('grant_moderator', revoked, since.toISOString())

    await migrateToLatest(db())
    expect(await roles()).toEqual([
      { account: 'DREV', source: 'appointment' },
      { account: 'SREV', source: 'appointment' },
    ])
  })
})

function platformOf(account: string): 'discord' | 'slack' {
  return account.startsWith('S') ? 'slack' : 'discord'
}
