/** A Web API failure: HTTP 200 with `{ok: false, error}`, the way Slack reports nearly everything. */
export class SlackApiError extends Error {
  constructor(readonly error: string) {
    super(error)
  }
}
