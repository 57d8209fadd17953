import { z } from 'zod'
import { defineCommand } from '../src/command/command.ts'
import { discussionLabel } from '../src/command/discussion-argument.ts'
import { MAX_BODY_LENGTH, MAX_TITLE_LENGTH } from '../src/discussions/content-rules.ts'
import { TITLE_SHOWN_WHOLE } from '../src/discussions/opening-post.ts'
import { ValidationError } from '../src/errors.ts'
import { slackToPlain } from '../src/format/index.ts'
import { withoutHiddenCharacters } from '../src/names/visible-name.ts'

/**
 * `/discuss title: body:` (Discord), `/threadbridge discuss <title>` with the body on the next
 * lines (Slack): start a discussion. It appears on both platforms; the answer names its number.
 */
export const discuss = defineCommand({
  name: 'discuss',
  description: 'Start a discussion, on Discord and Slack at once',
  args: z.object({
    title: z.string().trim().min(1).max(MAX_TITLE_LENGTH).describe('What it is about, in one line'),
    body: z.string().trim().min(1).max(MAX_BODY_LENGTH).optional().describe('The opening post'),
  }),
  who: 'members',
  slack: { positional: ['title', 'body'], split: 'lines', usage: '<title>, then the body on the next lines' },
  form: {
    title: 'Start a discussion',
    submit: 'Start',
    fields: [
      { name: 'title', label: 'Title', placeholder: 'What it is about, in one line' },
      { name: 'body', label: 'Opening post', multiline: true, placeholder: 'Say more (optional)' },
    ],
  },
  async run({ core, community, actor, platform }, { title, body }) {
    // A Slack title arrives in Slack's markup (`&amp;`, `<url|label>`); a title is plain words.
    const plainTitle = platform === 'slack' ? slackToPlain(title) : title
    // Zero-width characters, fillers (U+3164) and blanks would make a discussion nobody can name.
    if (withoutHiddenCharacters(plainTitle) === '')
      throw new ValidationError('That title shows nothing: give it words people can see.')
    // Discord cuts a thread's name at 100 characters: a longer title stays whole in the post.
    const opening = plainTitle.length > TITLE_SHOWN_WHOLE ? [title, body].filter(Boolean).join('\n\n') : body
    const discussion = await core.discussions.start({
      communityId: community.id,
      author: actor,
      title: plainTitle,
      // An opening post needs words; a title alone is its own post, as a one-line message is.
      body: opening ?? title,
      format: platform,
    })
    return {
      text: `Started ${discussionLabel(discussion)} in ${community.name}: it appears on Discord and Slack in a moment.`,
    }
  },
})
