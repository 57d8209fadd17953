const DISCORD_EPOCH = 1420070400000n
let sequence = 0n

/** Discord-style ids: milliseconds since 2015 in the high bits, so they sort by creation time. */
export function snowflake(now = Date.now()): string {
  sequence = (sequence + 1n) & 0xfffn
  return (((BigInt(now) - DISCORD_EPOCH) << 22n) | sequence).toString()
}

/** A webhook token as Discord issues them: 68 characters of [A-Za-z0-9_-]. */
export function webhookToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'
  let token = ''
  for (let i = 0; i < 68; i++) token += alphabet[Math.floor(Math.random() * alphabet.length)]
  return token
}
