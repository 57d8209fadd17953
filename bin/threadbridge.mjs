#!/usr/bin/env node
// `npx threadbridge <command>`: the package's bin. Our code is TypeScript run as-is, so this
// plain-JS shim registers tsx's ESM loader (a dependency, as for `npm start`) and hands over.
import { register } from 'tsx/esm/api'

register()
await import('./cli.ts')
