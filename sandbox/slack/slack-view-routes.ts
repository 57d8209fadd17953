import { HttpError } from '../http/http-kit.ts'
import type { Route } from '../http/route.ts'
import { SlackApiError } from './slack-api-error.ts'
import type { SlackEmulator } from './slack-emulator.ts'
import type { SlackUser } from './slack-state.ts'
import { parseView } from './slack-view-rules.ts'
import { submittedValues } from './slack-view-state.ts'
import type { SlackView } from './slack-views.ts'

/**
 * The control API's modals: a person submits or closes the modal in front of them, and anyone
 * can see what a person was shown. The app's answer to a view_submission follows
 * https://api.slack.com/surfaces/modals#updating_response and /reference/interaction-payloads/views.
 */
export function viewRoutes(emu: SlackEmulator, person: (id: unknown) => SlackUser): Route[] {
  const { state } = emu
  const payloadBase = (user: SlackUser) => ({
    team: { id: state.team.id, domain: state.team.domain },
    user: { id: user.id, username: user.name, name: user.name, team_id: state.team.id },
    api_app_id: state.appId,
    token: 'sandbox-verification-token',
    is_enterprise_install: false,
    enterprise: null,
  })
  /** The view a person acts on: their top one; `view_id`, when given, must be it. */
  const topView = (user: SlackUser, viewId: unknown): SlackView => {
    const top = emu.views.stack(user.id).at(-1)
    if (top === undefined) throw new HttpError(404, { error: `${user.name} has no modal open` })
    if (viewId !== undefined && viewId !== top.id)
      throw new HttpError(409, {
        error: `${String(viewId)} is not the view in front of ${user.name} (${top.id} is)`,
      })
    return top
  }

  return [
    {
      method: 'POST',
      path: '/views/submit',
      handle: async ({ body }) => {
        const user = person(body.user)
        const view = topView(user, body.view_id)
        if (view.submit === null)
          throw new HttpError(400, { error: 'the view has no submit button, so it cannot be submitted' })
        view.state.values = submittedValues(view, body.values)
        const ack = await emu.delivery.sendCommand(
          {
            type: 'view_submission',
            ...payloadBase(user),
            trigger_id: emu.triggers.issue(user.id),
            view,
            response_urls: [],
          },
          'interactive',
        )
        // Without an ack in 3 s, Slack's client shows an error and the modal stays open.
        if (ack === null)
          return {
            status: 200,
            body: { acknowledged: false, error: 'operation_timeout', views: emu.views.stack(user.id) },
          }
        const answer = (outcome: string, extra: Record<string, unknown> = {}) => ({
          status: 200,
          body: { acknowledged: true, outcome, ...extra, response: ack, views: emu.views.stack(user.id) },
        })
        try {
          switch (ack.response_action) {
            case undefined:
              // An empty ack closes the submitted view; the one beneath it, if any, shows again.
              emu.views.pop(user.id)
              return answer('closed')
            case 'clear':
              emu.views.clear(user.id)
              return answer('cleared')
            case 'errors': {
              const errors = (ack.errors ?? {}) as Record<string, string>
              const inputs = new Set(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id))
              const unknown = Object.keys(errors).filter((id) => !inputs.has(id))
              // Errors can only be shown beside input blocks; Slack's client shows a generic error otherwise.
              if (unknown.length > 0 || Object.keys(errors).length === 0)
                return answer('invalid_response', {
                  error: `errors must name input blocks of the view; not: ${unknown.join(', ') || '(none given)'}`,
                })
              emu.shown.record(user.id, { kind: 'view_errors', view_id: view.id, errors })
              return answer('errors', { errors })
            }
            case 'update': {
              const updated = emu.views.update({ view_id: view.id }, parseView(ack.view))
              emu.shown.recordView(user.id, 'updated', updated)
              return answer('updated')
            }
            case 'push': {
              const pushed = emu.views.push(user.id, parseView(ack.view))
              emu.shown.recordView(user.id, 'pushed', pushed)
              return answer('pushed')
            }
            default:
              return answer('invalid_response', {
                error: `unknown response_action ${String(ack.response_action)}`,
              })
          }
        } catch (error) {
          // A view Slack refuses: the modal stays as it was, and the person sees an error.
          if (error instanceof SlackApiError) return answer('invalid_response', error.answer)
          throw error
        }
      },
    },
    {
      method: 'POST',
      path: '/views/close',
      handle: async ({ body }) => {
        const user = person(body.user)
        const view = topView(user, body.view_id)
        // The close button pops one view, or the whole stack when the view has clear_on_close.
        const closed = view.clear_on_close ? emu.views.clear(user.id) : [emu.views.pop(user.id) as SlackView]
        // view_closed only for a view opened with notify_on_close (https://api.slack.com/surfaces/modals).
        let notified = false
        if (view.notify_on_close) {
          const ack = await emu.delivery.sendCommand(
            { type: 'view_closed', ...payloadBase(user), view, is_cleared: view.clear_on_close },
            'interactive',
          )
          notified = ack !== null
        }
        return {
          status: 200,
          body: { closed: closed.map((v) => v.id), notified, views: emu.views.stack(user.id) },
        }
      },
    },
    {
      method: 'GET',
      path: '/shown/:user',
      handle: ({ params }) => {
        const user = person(params.user)
        return { status: 200, body: { shown: emu.shown.list(user.id), views: emu.views.stack(user.id) } }
      },
    },
  ]
}
