/** A Web API failure: HTTP 200 with `{ok: false, error}`, the way Slack reports nearly everything. */
export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    /**
     * What Slack says about the error, for instance `invalid_blocks` or `invalid_arguments` with
     * `response_metadata.messages` naming each problem by JSON pointer.
     */
    readonly messages: string[] = [],
  ) {
    super(messages.length > 0 ? `${error}: ${messages.join('; ')}` : error)
  }

  /** The fields of the `ok: false` answer. */
  get answer(): Record<string, unknown> {
    return {
      error: this.error,
      ...(this.messages.length > 0 ? { response_metadata: { messages: this.messages } } : {}),
    }
  }
}
