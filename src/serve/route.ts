/** What a route is, and matching a request's method and path against the route table. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ModelService } from './model-service.js';

export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** `:name` segments of the pattern. */
  readonly params: Readonly<Record<string, string>>;
  readonly service: ModelService;
  /** The JSON body (bounded by --max-body); undefined when empty. */
  body(): Promise<unknown>;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  /** Path with `:name` segments, e.g. /v2/models/:model/infer; also the metrics label. */
  readonly pattern: string;
  handle(context: RouteContext): Promise<void> | void;
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'wrong-method'; readonly pattern: string; readonly allow: readonly string[] }
  | { readonly kind: 'none' };

function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      params[w.slice(1)] = decodeURIComponent(g);
    } else if (w !== g) return undefined;
  }
  return params;
}

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const allow: string[] = [];
  let pattern: string | undefined;
  for (const route of routes) {
    const params = matchPattern(route.pattern, trimmed);
    if (!params) continue;
    if (route.method === method) return { kind: 'found', route, params };
    allow.push(route.method);
    pattern ??= route.pattern;
  }
  return pattern === undefined ? { kind: 'none' } : { kind: 'wrong-method', pattern, allow };
}
