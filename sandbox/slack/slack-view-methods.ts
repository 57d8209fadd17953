import type { SlackEmulator } from './slack-emulator.ts'
import { parseView } from './slack-view-rules.ts'
import type { WebApiMethod } from './slack-web-api.ts'

/**
 * views.open, views.push and views.update (https://api.slack.com/methods/views.open and its
 * siblings). The view is checked first (`invalid_arguments` with Slack's messages), then the
 * trigger_id is exchanged: once, within 3 seconds, for the person it was issued to.
 */
export function viewMethods(emu: SlackEmulator): Record<string, WebApiMethod> {
  const exchange = (body: Record<string, unknown>) => {
    const trigger = emu.triggers.exchange(body.trigger_id ?? body.interactivity_pointer)
    const interaction = trigger.interaction === undefined ? undefined : emu.commands.get(trigger.interaction)
    return { user: trigger.user, interaction }
  }
  return {
    'views.open': (body) => {
      const input = parseView(body.view)
      const { user, interaction } = exchange(body)
      const view = emu.views.open(user, input)
      emu.shown.recordView(user, 'opened', view)
      if (interaction) emu.commands.noteView(interaction, view.id)
      return { view }
    },
    'views.push': (body) => {
      const input = parseView(body.view)
      const { user, interaction } = exchange(body)
      const view = emu.views.push(user, input)
      emu.shown.recordView(user, 'pushed', view)
      if (interaction) emu.commands.noteView(interaction, view.id)
      return { view }
    },
    'views.update': (body) => {
      const input = parseView(body.view)
      const view = emu.views.update(body, input)
      const owner = emu.views.find({ view_id: view.id })
      if (owner) emu.shown.recordView(owner.user, 'updated', view)
      return { view }
    },
  }
}
