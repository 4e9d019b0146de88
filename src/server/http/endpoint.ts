import { ENDPOINTS, routeOf, type ParsedRequestOf, type RouteName } from '@lead-qualifier/contract';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { parseBody } from './parse-body';

type Endpoint<K extends RouteName> = (typeof ENDPOINTS)[K];

/** What a route's handler is given: its path parameters and body, validated by the contract. */
export interface EndpointRequest<K extends RouteName> {
  params: z.output<Endpoint<K>['params']>;
  body: ParsedRequestOf<K>;
  req: Request;
  res: Response;
}

/**
 * Mounts the contract's route `name`: after `before` (the signed-request checks), the path
 * parameters and body are validated with the route's schemas (a 400 naming each field), the
 * handler runs, and its answer is shaped by the response schema and sent with the route's status.
 * Fields the contract does not name (a stored record's internals) are left out; an answer that
 * breaks the contract is a bug, logged and answered 500 by the error middleware, never sent.
 */
export function endpoint<K extends RouteName>(
  router: Router,
  name: K,
  before: readonly RequestHandler[],
  handle: (request: EndpointRequest<K>) => Promise<z.input<Endpoint<K>['response']>>,
): void {
  const { method, path } = routeOf(name);
  const schemas: Endpoint<RouteName> = ENDPOINTS[name];
  const mount = {
    GET: router.get,
    POST: router.post,
    PUT: router.put,
    DELETE: router.delete,
  }[method].bind(router);
  mount(path, ...before, async (req: Request, res: Response) => {
    const params = parseBody(schemas.params, req.params, 'path') as EndpointRequest<K>['params'];
    const body = (
      schemas.body === null ? undefined : parseBody(schemas.body, req.body, 'body')
    ) as ParsedRequestOf<K>;
    const answer = await handle({ params, body, req, res });
    res.status(schemas.status).json(schemas.response.parse(answer));
  });
}
