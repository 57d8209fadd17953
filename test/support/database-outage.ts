import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely'

/**
 * A database that goes away on demand: while `down`, every query through a Kysely instance
 * carrying this plugin fails before it reaches the server, as a refused connection does. Only
 * what the test routes through it is affected (the core's inbound path), not the test's own reads.
 */
export class DatabaseOutage implements KyselyPlugin {
  down = false

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.down)
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432 (injected outage)'), {
        code: 'ECONNREFUSED',
      })
    return args.node
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}
