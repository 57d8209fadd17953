import { type RawBuilder, sql } from 'kysely'

/**
 * The order edits were made in, kept against deliveries that come out of it (Slack over HTTP
 * sends each edit as its own request). An edit stamped by its platform is applied only if it is
 * not older than the last stamped edit applied to the same content, and then becomes that edit;
 * one without a stamp (a command's) is applied as it comes and leaves the stamp as it was.
 * Equal stamps apply in arrival order: Discord stamps to the millisecond, and sends two edits of
 * one millisecond in the order they were made.
 *
 * For an update of `discussions` or `replies`: `set` goes with the new words, `notOlder` is the
 * condition the row must meet (no row updated: the edit was late, and changes nothing).
 */
export function editStamp(editedAtUs: number | undefined): {
  set: { source_edited_us?: string }
  notOlder: RawBuilder<boolean>
} {
  if (editedAtUs === undefined) return { set: {}, notOlder: sql<boolean>`true` }
  const stamp = String(editedAtUs)
  return {
    set: { source_edited_us: stamp },
    notOlder: sql<boolean>`(source_edited_us is null or source_edited_us <= ${stamp}::bigint)`,
  }
}
