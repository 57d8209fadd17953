/**
 * One line of `threadbridge doctor`: what was checked and, when it failed, what to fix. `note`
 * lines say what was not checked and why; they never fail the run.
 */
export interface DoctorCheck {
  status: 'ok' | 'fail' | 'note'
  /** One line: `Discord: the bot lacks Manage Webhooks in #discussions: grant it to its role`. */
  line: string
}

export const ok = (line: string): DoctorCheck => ({ status: 'ok', line })
export const fail = (line: string): DoctorCheck => ({ status: 'fail', line })
export const note = (line: string): DoctorCheck => ({ status: 'note', line })
