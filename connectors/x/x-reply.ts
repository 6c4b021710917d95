import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import type { ReplyRequest, ReplyResult, ReplyStatus } from '../../shared/connector-ports.js';
import { createXClient, describeXError } from './x-client.js';

/**
 * Who posts: X refuses app-only tokens on POST /2/tweets, so a reply needs the
 * brand account's user context. OAuth 2.0 (a user access token, refreshed by
 * whoever supplies it) is preferred; OAuth 1.0a tokens otherwise.
 */
export type XUserAuth =
  | { kind: 'oauth2'; accessToken: () => Promise<string> }
  | { kind: 'oauth1'; appKey: string; appSecret: string; accessToken: string; accessSecret: string };

export const REPLIES_NOT_AUTHORISED =
  'replies: not authorised. X posts only with the brand account\'s user context: connect the X account on the Settings page (OAuth 2.0), or set its OAuth 1.0a tokens (API key and secret, access token and secret)';

export class XReplyError extends Error {
  /** True when X refused the user context itself (401/403), not a passing failure. */
  constructor(
    message: string,
    readonly refused = false,
  ) {
    super(message);
  }
}

/** What health and the composer say about replies on X. */
export function replyStatusOf(auth: XUserAuth | null): ReplyStatus {
  if (!auth) return { authorised: false, via: null, problem: REPLIES_NOT_AUTHORISED };
  return { authorised: true, via: auth.kind === 'oauth2' ? 'oauth2-user' : 'oauth1-user', problem: null };
}

/**
 * Posts replies with `in_reply_to_tweet_id`. Every reply on X goes through
 * `post` (the place to ask X whether a reply already exists after a crash).
 * The posting client is kept while its token stays the same.
 */
export function createXReplyPoster(auth: XUserAuth | null, client: { baseUrl?: string; requestTimeoutMs?: number }) {
  let cached: { token: string; api: TwitterApi } | null = null;
  const apiFor = async (a: XUserAuth): Promise<TwitterApi> => {
    if (a.kind === 'oauth1') {
      cached ??= { token: a.accessToken, api: createXClient({ ...client, token: { appKey: a.appKey, appSecret: a.appSecret, accessToken: a.accessToken, accessSecret: a.accessSecret } }) };
      return cached.api;
    }
    const token = await a.accessToken();
    if (cached?.token !== token) cached = { token, api: createXClient({ ...client, token }) };
    return cached.api;
  };
  return {
    async post(req: ReplyRequest): Promise<ReplyResult> {
      if (!auth) throw new XReplyError(REPLIES_NOT_AUTHORISED, true);
      const api = await apiFor(auth);
      try {
        const r = await api.v2.reply(req.text, req.inReplyToExternalId);
        return { externalId: r.data.id, url: `https://x.com/i/web/status/${r.data.id}` };
      } catch (e) {
        if (e instanceof ApiResponseError && (e.code === 401 || e.code === 403)) {
          const detail = (e.data as { detail?: string } | undefined)?.detail ?? e.message;
          throw new XReplyError(`X refused the reply (${e.code}, ${auth.kind === 'oauth2' ? 'OAuth 2.0 user token' : 'OAuth 1.0a tokens'}): ${detail}`, true);
        }
        throw new XReplyError(describeXError(e));
      }
    },
  };
}
