import type { Clock } from '../clock.ts'
import type { CommunityConfig } from '../config/config-schema.ts'
import { type Executor, inTransaction } from '../db/in-transaction.ts'
import type { Community } from '../db/schema.ts'
import { NotFoundError } from '../errors.ts'
import type { Platform } from '../platform/platform.ts'

export interface CommunityBridge {
  platform: Platform
  /** Discord guild id or Slack team id. */
  workspaceId: string
  /** Discord forum or text channel id; Slack channel id. */
  channelId: string
}

/**
 * Who moderates a bridged channel besides the moderators we record, as the configuration says:
 * read by the adapters each time a moderator's command runs, from what the platform says then.
 */
export interface BridgeModerators {
  /** Discord: roles (ids or names) whose holders moderate, besides Manage Messages or Manage Threads. */
  moderatorRoles: string[]
  /** Slack: the workspace's admins and owners moderate. */
  workspaceAdminsModerate: boolean
}

/** The communities this deployment serves and the channels they are bridged to. */
export class CommunityRegistry {
  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
  ) {}

  /**
   * Makes the database agree with the configuration: creates or renames communities, sets their
   * bridged channels, and grants the configured moderators their role. Communities missing from
   * the configuration keep their history: Core.applyConfig then stops bridging them.
   */
  async sync(communities: readonly CommunityConfig[]): Promise<void> {
    const now = this.clock.now()
    await inTransaction(this.db, async (tx) => {
      for (const community of communities) {
        const moderators = JSON.stringify(
          community.moderators.map(({ platform, userId }) => ({ platform, userId })),
        )
        await tx
          .insertInto('communities')
          .values({
            id: community.id,
            name: community.name,
            configured_moderators: moderators,
            created_at: now,
          })
          .onConflict((conflict) =>
            conflict.column('id').doUpdateSet({ name: community.name, configured_moderators: moderators }),
          )
          .execute()
        const bridges: (CommunityBridge & BridgeModerators)[] = []
        if (community.discord)
          bridges.push({
            platform: 'discord',
            workspaceId: community.discord.guildId,
            channelId: community.discord.channelId,
            moderatorRoles: community.discord.moderatorRoles ?? [],
            workspaceAdminsModerate: false,
          })
        if (community.slack)
          bridges.push({
            platform: 'slack',
            workspaceId: community.slack.teamId,
            channelId: community.slack.channelId,
            moderatorRoles: [],
            workspaceAdminsModerate: community.slack.workspaceAdminsModerate ?? false,
          })
        await tx.deleteFrom('community_bridges').where('community_id', '=', community.id).execute()
        for (const bridge of bridges) {
          await tx
            .insertInto('community_bridges')
            .values({
              community_id: community.id,
              platform: bridge.platform,
              workspace_id: bridge.workspaceId,
              channel_id: bridge.channelId,
              moderator_roles: JSON.stringify(bridge.moderatorRoles),
              workspace_admins_moderate: bridge.workspaceAdminsModerate,
              created_at: now,
            })
            .execute()
        }
      }
    })
  }

  async get(communityId: string): Promise<Community> {
    const community = await this.db
      .selectFrom('communities')
      .selectAll()
      .where('id', '=', communityId)
      .executeTakeFirst()
    if (community === undefined) throw new NotFoundError('community', communityId)
    return community
  }

  async list(): Promise<Community[]> {
    return this.db.selectFrom('communities').selectAll().orderBy('id').execute()
  }

  async bridges(communityId: string): Promise<CommunityBridge[]> {
    const rows = await this.db
      .selectFrom('community_bridges')
      .select(['platform', 'workspace_id', 'channel_id'])
      .where('community_id', '=', communityId)
      .orderBy('platform')
      .execute()
    return rows.map((row) => ({
      platform: row.platform,
      workspaceId: row.workspace_id,
      channelId: row.channel_id,
    }))
  }

  /** Every channel bridged on a platform, whichever community it serves. */
  async channelIds(platform: Platform): Promise<string[]> {
    const rows = await this.db
      .selectFrom('community_bridges')
      .select('channel_id')
      .where('platform', '=', platform)
      .execute()
    return rows.map((row) => row.channel_id)
  }

  /** Who else moderates the community's channel on a platform; nobody else where it is not bridged. */
  async bridgeModerators(communityId: string, platform: Platform): Promise<BridgeModerators> {
    const row = await this.db
      .selectFrom('community_bridges')
      .select(['moderator_roles', 'workspace_admins_moderate'])
      .where('community_id', '=', communityId)
      .where('platform', '=', platform)
      .executeTakeFirst()
    return {
      moderatorRoles: row?.moderator_roles ?? [],
      workspaceAdminsModerate: row?.workspace_admins_moderate ?? false,
    }
  }

  /** The community bridged to a platform channel, if any: how adapters route an inbound event. */
  findByChannel(platform: Platform, channelId: string): Promise<Community | undefined> {
    return this.findByBridge(platform, 'channel_id', channelId)
  }

  /**
   * The community a Discord server or a Slack workspace is bridged for, if any: where a command
   * run anywhere in it applies. The first by id when one workspace serves several.
   */
  findByWorkspace(platform: Platform, workspaceId: string): Promise<Community | undefined> {
    return this.findByBridge(platform, 'workspace_id', workspaceId)
  }

  private findByBridge(
    platform: Platform,
    column: 'channel_id' | 'workspace_id',
    value: string,
  ): Promise<Community | undefined> {
    return this.db
      .selectFrom('community_bridges')
      .innerJoin('communities', 'communities.id', 'community_bridges.community_id')
      .selectAll('communities')
      .where('community_bridges.platform', '=', platform)
      .where(`community_bridges.${column}`, '=', value)
      .orderBy('communities.id')
      .executeTakeFirst()
  }
}
