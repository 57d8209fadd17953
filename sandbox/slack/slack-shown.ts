/** What a person was shown in answer to their commands, shortcuts and clicks, in order. */
export type ShownEntry =
  | {
      kind: 'ephemeral'
      channel: string
      ts: string
      text: string
      blocks?: unknown
      thread_ts?: string
      /** Replaced by a later answer (`replace_original`): text and blocks are the new ones. */
      replaced?: true
      /** Taken away (`delete_original`): the person no longer sees it. */
      deleted?: true
    }
  | { kind: 'in_channel'; channel: string; ts: string; text: string; blocks?: unknown; thread_ts?: string }
  | {
      kind: 'view'
      how: 'opened' | 'pushed' | 'updated'
      view_id: string
      callback_id: string
      title: string
      blocks: unknown[]
    }
  | { kind: 'view_errors'; view_id: string; errors: Record<string, string> }

/** Per person, everything the app showed them only (ephemeral) or in answer to them. */
export class ShownLog {
  private readonly entries = new Map<string, ShownEntry[]>()

  record(user: string, entry: ShownEntry): void {
    const list = this.entries.get(user) ?? []
    list.push(entry)
    this.entries.set(user, list)
  }

  /** A modal the person now sees: opened, pushed onto their stack, or updated in place. */
  recordView(
    user: string,
    how: 'opened' | 'pushed' | 'updated',
    view: { id: string; callback_id: string; title: { text?: unknown }; blocks: unknown[] },
  ): void {
    this.record(user, {
      kind: 'view',
      how,
      view_id: view.id,
      callback_id: view.callback_id,
      title: String(view.title.text ?? ''),
      blocks: view.blocks,
    })
  }

  list(user: string): ShownEntry[] {
    return this.entries.get(user) ?? []
  }

  /** The ephemeral message with this ts that the person was shown. */
  ephemeral(user: string, ts: string): Extract<ShownEntry, { kind: 'ephemeral' }> | undefined {
    for (const entry of this.list(user)) if (entry.kind === 'ephemeral' && entry.ts === ts) return entry
    return undefined
  }
}
