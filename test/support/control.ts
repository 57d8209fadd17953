/** A small client for the emulators' control API: how tests act as people. */
export async function control<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${baseUrl}/_sandbox${path}`, {
    method,
    // Every call but a read says JSON, body or none: the control API refuses anything else (415).
    headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`)
  return (text === '' ? undefined : JSON.parse(text)) as T
}

/** A control call that may be refused: its HTTP status and JSON answer, without throwing. */
export async function controlAnswer<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}/_sandbox${path}`, {
    method,
    // Every call but a read says JSON, body or none: the control API refuses anything else (415).
    headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T }
}
