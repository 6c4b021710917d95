import http from 'node:http';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError, TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';

/**
 * Sends every request, streams included, to another origin (a local server
 * speaking X's API in tests). Plain requests are rewritten in onBeforeRequest;
 * the stream's request is built from `params.url`, so it is rewritten there.
 */
function redirectTo(baseUrl: string): ITwitterApiClientPlugin {
  const target = new URL(baseUrl);
  return {
    onBeforeRequest(args) {
      args.computedParams.url.protocol = target.protocol;
      args.computedParams.url.host = target.host;
    },
    onBeforeStreamRequestConfig(args) {
      const u = new URL(args.params.url.startsWith('http') ? args.params.url : `https://${args.params.url}`);
      u.protocol = target.protocol;
      u.host = target.host;
      args.params.url = u.toString();
    },
  };
}

/** twitter-api-v2 has no client-wide timeout; without one a server that never answers stalls polling forever. */
function timeoutAfter(ms: number): ITwitterApiClientPlugin {
  return {
    onBeforeRequest(args) {
      args.requestOptions.timeout ??= ms;
    },
  };
}

/** `token`: the app's bearer token (reading), a user's OAuth 2.0 access token, or OAuth 1.0a keys (posting). */
export function createXClient(opts: { token: string | { appKey: string; appSecret: string; accessToken: string; accessSecret: string }; baseUrl?: string; requestTimeoutMs?: number }): TwitterApi {
  const plugins = [timeoutAfter(opts.requestTimeoutMs ?? 30_000), ...(opts.baseUrl ? [redirectTo(opts.baseUrl)] : [])];
  const settings = { plugins, ...(opts.baseUrl ? { httpAgent: new http.Agent({ keepAlive: true }) } : {}) };
  return typeof opts.token === 'string' ? new TwitterApi(opts.token, settings) : new TwitterApi(opts.token, settings);
}

/** A message for health and logs: the network cause rather than twitter-api-v2's generic "Request failed.". */
export function describeXError(e: unknown): string {
  if (e instanceof ApiRequestError) {
    // twitter-api-v2 1.29 stores the cause as `error` but reads it back as `requestError`.
    const cause = (e.requestError as Error | undefined) ?? (e as unknown as { _options?: { error?: Error } })._options?.error;
    return `request failed: ${cause?.message ?? 'no answer'}`;
  }
  if (e instanceof ApiResponseError) return e.code === 401 ? 'X refused the credentials (401): check the bearer token' : `X answered ${e.code}: ${e.message}`;
  if (e instanceof ApiPartialResponseError) return `X's answer was cut off: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
