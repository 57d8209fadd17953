import type { NameSource } from '../../src/names/mention-names.ts'

/** A platform's names, held in maps; counts every lookup, and can hold lookups back. */
export class FakeNameSource implements NameSource {
  readonly users = new Map<string, string>()
  readonly channels = new Map<string, string>()
  readonly roles = new Map<string, string>()
  lookups = 0
  /** While set, every lookup waits for this promise before it answers. */
  hold: Promise<void> | undefined

  async lookUpUser(id: string) {
    const name = await this.answer(this.users, id)
    return name === undefined ? undefined : { displayName: name }
  }

  lookUpChannel(id: string) {
    return this.answer(this.channels, id)
  }

  lookUpRole(id: string) {
    return this.answer(this.roles, id)
  }

  private async answer(names: Map<string, string>, id: string): Promise<string | undefined> {
    this.lookups++
    if (this.hold) await this.hold
    return names.get(id)
  }
}
