import { describe, expect, it } from 'vitest'
import { attachmentLine } from '../../../src/format/attachment-line.ts'

describe('attachmentLine', () => {
  it('shows a file as its name, size and address on either platform', () => {
    const plan = { fileName: 'plan.pdf', sizeBytes: 2048, url: 'https://cdn.example/plan.pdf' }
    expect(attachmentLine(plan, 'slack')).toBe('📎 plan.pdf (2.0 KB): https://cdn.example/plan.pdf')
    expect(attachmentLine(plan, 'discord')).toBe('📎 plan.pdf (2.0 KB): https://cdn.example/plan.pdf')
    expect(attachmentLine({ ...plan, sizeBytes: null }, 'slack')).toBe(
      '📎 plan.pdf: https://cdn.example/plan.pdf',
    )
    expect(attachmentLine({ ...plan, sizeBytes: 3 * 1024 * 1024 }, 'slack')).toContain('(3.0 MB)')
  })

  it('escapes Slack’s control characters in the name and the address, so nothing forms a broadcast', () => {
    const file = { fileName: '<!channel> & co.png', sizeBytes: 10, url: 'https://files.example/x?a=1&b=<2>' }
    const line = attachmentLine(file, 'slack')
    expect(line).toBe('📎 &lt;!channel&gt; &amp; co.png (10 B): https://files.example/x?a=1&amp;b=&lt;2&gt;')
    expect(line).not.toMatch(/<!/)
  })

  it('keeps a Discord name from becoming markup or a mention, and leaves the address bare', () => {
    const file = { fileName: '*draft*_v2 @everyone.txt', sizeBytes: 5, url: 'https://cdn.example/a_b_c.txt' }
    const line = attachmentLine(file, 'discord')
    expect(line.startsWith('📎 \\*draft\\*\\_v2 @')).toBe(true)
    expect(line).not.toContain('@everyone')
    expect(line.endsWith(': https://cdn.example/a_b_c.txt')).toBe(true)
  })
})
