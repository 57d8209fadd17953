import { randomBytes } from 'node:crypto'
import { SlackApiError } from './slack-api-error.ts'
import type { ViewInput } from './slack-view-rules.ts'

/** A modal as Slack returns it from views.open and carries it in view_submission payloads. */
export interface SlackView {
  id: string
  team_id: string
  type: 'modal'
  title: Record<string, unknown>
  close: Record<string, unknown> | null
  submit: Record<string, unknown> | null
  blocks: Record<string, unknown>[]
  private_metadata: string
  callback_id: string
  external_id: string
  state: { values: Record<string, Record<string, Record<string, unknown>>> }
  hash: string
  clear_on_close: boolean
  notify_on_close: boolean
  previous_view_id: string | null
  root_view_id: string
  app_id: string
  app_installed_team_id: string
  bot_id: string
}

/** Slack keeps at most three views in a modal's stack (https://api.slack.com/surfaces/modals). */
export const MAX_VIEW_STACK = 3

/**
 * The modals people have open: one stack of views per person, root first. A person sees one
 * modal at a time, so opening a new one replaces whatever stack they had.
 */
export class ViewDesk {
  private readonly stacks = new Map<string, SlackView[]>()

  constructor(private readonly app: { teamId: string; appId: string; botId: string }) {}

  stack(user: string): SlackView[] {
    return this.stacks.get(user) ?? []
  }

  open(user: string, input: ViewInput): SlackView {
    this.checkExternalId(input.external_id)
    const view = this.make(input, null, undefined)
    this.stacks.set(user, [view])
    return view
  }

  /** views.push, or a view_submission answered with `response_action: "push"`. */
  push(user: string, input: ViewInput): SlackView {
    const stack = this.stack(user)
    const top = stack.at(-1)
    // views.push needs a modal to push onto: its trigger comes from an interaction inside one.
    if (top === undefined) throw new SlackApiError('not_found')
    if (stack.length >= MAX_VIEW_STACK) throw new SlackApiError('push_limit_reached')
    this.checkExternalId(input.external_id)
    const view = this.make(input, top.id, stack[0]?.id)
    stack.push(view)
    return view
  }

  /**
   * views.update (https://api.slack.com/methods/views.update): the view keeps its id, gets a new
   * hash; a stale `hash` is refused with `hash_conflict`, so two updates cannot race unseen.
   */
  update(ref: { view_id?: unknown; external_id?: unknown; hash?: unknown }, input: ViewInput): SlackView {
    const found = this.find(ref)
    if (found === undefined) throw new SlackApiError('not_found')
    const { stack, index } = found
    const current = stack[index] as SlackView
    if (typeof ref.hash === 'string' && ref.hash !== '' && ref.hash !== current.hash)
      throw new SlackApiError('hash_conflict')
    if (input.external_id && input.external_id !== current.external_id)
      this.checkExternalId(input.external_id)
    const view = this.make(input, current.previous_view_id, current.root_view_id, current.id)
    // What the person typed stays in the blocks that are still there.
    const kept = new Set(view.blocks.map((b) => b.block_id))
    for (const [blockId, values] of Object.entries(current.state.values))
      if (kept.has(blockId)) view.state.values[blockId] = values
    stack[index] = view
    return view
  }

  /** Closes the person's top view; the one beneath, if any, shows again. */
  pop(user: string): SlackView | undefined {
    const stack = this.stack(user)
    const view = stack.pop()
    if (stack.length === 0) this.stacks.delete(user)
    return view
  }

  /** Closes every view in the person's stack (`response_action: "clear"`, or `clear_on_close`). */
  clear(user: string): SlackView[] {
    const stack = this.stack(user)
    this.stacks.delete(user)
    return stack
  }

  /** Whose view this is, and where in their stack. */
  find(ref: {
    view_id?: unknown
    external_id?: unknown
  }): { user: string; stack: SlackView[]; index: number } | undefined {
    for (const [user, stack] of this.stacks) {
      const index = stack.findIndex((v) =>
        typeof ref.view_id === 'string' && ref.view_id !== ''
          ? v.id === ref.view_id
          : typeof ref.external_id === 'string' &&
            ref.external_id !== '' &&
            v.external_id === ref.external_id,
      )
      if (index >= 0) return { user, stack, index }
    }
    return undefined
  }

  private checkExternalId(externalId: string | undefined): void {
    if (externalId && this.find({ external_id: externalId })) throw new SlackApiError('duplicate_external_id')
  }

  private make(
    input: ViewInput,
    previousViewId: string | null,
    rootViewId: string | undefined,
    id = `V${randomBytes(5).toString('hex').toUpperCase()}`,
  ): SlackView {
    return {
      id,
      team_id: this.app.teamId,
      type: 'modal',
      title: input.title,
      close: input.close ?? null,
      submit: input.submit ?? null,
      blocks: input.blocks.map(withIds),
      private_metadata: input.private_metadata ?? '',
      callback_id: input.callback_id ?? '',
      external_id: input.external_id ?? '',
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      clear_on_close: input.clear_on_close ?? false,
      notify_on_close: input.notify_on_close ?? false,
      previous_view_id: previousViewId,
      root_view_id: rootViewId ?? id,
      app_id: this.app.appId,
      app_installed_team_id: this.app.teamId,
      bot_id: this.app.botId,
    }
  }
}

/** Slack gives every block a block_id, and an input's element an action_id, when the app did not. */
function withIds(block: Record<string, unknown>): Record<string, unknown> {
  const made: Record<string, unknown> = {
    ...block,
    block_id: block.block_id ?? randomBytes(3).toString('base64url'),
  }
  const element = block.element as Record<string, unknown> | undefined
  if (block.type === 'input' && element && element.action_id === undefined)
    made.element = { ...element, action_id: randomBytes(3).toString('base64url') }
  return made
}
