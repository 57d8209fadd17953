import { guardSlackText, guardSlackValue } from '../../src/format/slack-control-guard.ts'

/** Web API arguments the client sends as JSON inside its form body: walked, not read as text. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata'])

/**
 * Arguments that make Slack turn plain words into mentions (`link_names` turns `@here` into a
 * notification; `parse: full` does that and more): the bridge never sets them, and none passes
 * (https://api.slack.com/methods/chat.postMessage#arg_link_names).
 */
const LINKING_FIELDS = new Set(['link_names', 'parse'])

/**
 * The `fetch` every request to Slack goes through: the Web API client's (`WebClient` serializes
 * each call to a form body, its structured fields as JSON) and Bolt's `respond` (JSON to a
 * response_url). Each string in the body passes `guardSlackText`, the last pass that keeps any
 * `<!…>` or `<@…>` the bridge did not make from reaching Slack, whichever path wrote it. Bodies
 * that are neither (file uploads) pass unchanged.
 */
export function guardedFetch(base: typeof fetch = globalThis.fetch): typeof fetch {
  return (input, init) => {
    if (init === undefined || typeof init.body !== 'string') return base(input, init)
    return base(input, { ...init, body: guardBody(init.body, contentType(init.headers)) })
  }
}

function guardBody(body: string, type: string): string {
  if (type.startsWith('application/json')) {
    try {
      return JSON.stringify(withoutLinking(guardSlackValue(JSON.parse(body))))
    } catch {
      return guardSlackText(body)
    }
  }
  if (!type.startsWith('application/x-www-form-urlencoded')) return guardSlackText(body)
  const form = new URLSearchParams(body)
  const guarded = new URLSearchParams()
  for (const [key, value] of form) if (!LINKING_FIELDS.has(key)) guarded.append(key, guardField(key, value))
  return guarded.toString()
}

function guardField(key: string, value: string): string {
  if (!JSON_FIELDS.has(key)) return guardSlackText(value)
  try {
    return JSON.stringify(guardSlackValue(JSON.parse(value)))
  } catch {
    return guardSlackText(value)
  }
}

function withoutLinking(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  return Object.fromEntries(Object.entries(value).filter(([key]) => !LINKING_FIELDS.has(key)))
}

function contentType(headers: RequestInit['headers']): string {
  return (new Headers(headers).get('content-type') ?? '').toLowerCase()
}
