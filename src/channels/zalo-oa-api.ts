// Zalo Official Account API v3 client: customer-service text messages, with the access token refreshed once per
// expiry (refreshes are serialised across processes by the token store: the refresh token works once) and the
// rotated pair persisted first.
import type { Logger } from '../log';
import { sleep, timeoutSignal } from './common';
import type { OATokens, OATokenStore } from './zalo-oa-store';

const REQUEST_TIMEOUT_MS = 15_000;
/** Refresh this long before the stored expiry. */
const EXPIRY_MARGIN_MS = 60_000;

/** OA error codes (answered with HTTP 200). */
const OA_ERRORS = {
  invalidToken: -216,
  expiredToken: -220,
  rateLimited: -32,
  /** The user has not interacted with the OA within the allowed window. */
  outsideWindow: [-230, -232],
} as const;

export class ZaloOAError extends Error {
  override name = 'ZaloOAError';
  constructor(
    readonly method: string,
    readonly code: number,
    description: string,
  ) {
    super(`${method}: ${code} ${description}`);
  }

  /** The user cannot be messaged now (no recent interaction); retrying will not help. */
  get outsideWindow(): boolean {
    return (OA_ERRORS.outsideWindow as readonly number[]).includes(this.code);
  }
}

interface ZaloOAClientOptions {
  appId: string;
  secretKey: string;
  apiRoot: string;
  oauthRoot: string;
  store: OATokenStore;
  /** Resolves once the store is seeded from the environment. */
  ready?: Promise<unknown>;
  log: Logger;
  /** Retries after "rate limited" (-32), with delays retryBaseMs, 2×, 4×… */
  rateLimitRetries?: number;
  retryBaseMs?: number;
  now?: () => number;
}

async function readJson(res: Response, method: string): Promise<Record<string, unknown>> {
  const raw = await res.text();
  try {
    const data = JSON.parse(raw);
    if (typeof data === 'object' && data !== null) return data as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ZaloOAError(method, res.status, `HTTP ${res.status}: not a JSON object`);
}

export class ZaloOAClient {
  private inflight: Promise<string> | undefined;
  private readonly now: () => number;

  constructor(private readonly o: ZaloOAClientOptions) {
    this.now = o.now ?? Date.now;
  }

  /** A usable access token: the stored one, or a fresh one when it is missing or past its stored expiry. */
  async accessToken(): Promise<string> {
    await this.o.ready;
    const t = await this.o.store.load();
    if (t?.accessToken && !this.expired(t.expiresAt)) return t.accessToken;
    return this.refresh(t?.accessToken ?? null);
  }

  private expired(expiresAt: number | null): boolean {
    return expiresAt !== null && this.now() >= expiresAt - EXPIRY_MARGIN_MS;
  }

  /**
   * Refreshes the pair unless someone already replaced `stale` (then returns the newer token). Concurrent callers
   * in this process share one request, and the store's lock (a row lock in PostgreSQL) makes callers in other
   * replicas wait and re-check: a second refresh with the same refresh token would fail and lock the OA out.
   */
  refresh(stale: string | null): Promise<string> {
    this.inflight ??= this.rotate(stale).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async rotate(stale: string | null): Promise<string> {
    await this.o.ready;
    const fresh = (t: OATokens | undefined) =>
      Boolean(t?.accessToken && t.accessToken !== stale && !this.expired(t.expiresAt));
    const t = await this.o.store.rotate(
      (cur) => !fresh(cur),
      (cur) => this.fetchPair(cur?.refreshToken ?? null),
    );
    if (!t?.accessToken) throw new ZaloOAError('refresh', 0, 'no access token after refresh');
    return t.accessToken;
  }

  private async fetchPair(refreshToken: string | null): Promise<OATokens> {
    if (!refreshToken) throw new ZaloOAError('refresh', 0, 'no refresh token (set ZALO_OA_REFRESH_TOKEN)');
    const started = this.now();
    const res = await fetch(`${this.o.oauthRoot.replace(/\/+$/, '')}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: this.o.secretKey },
      body: new URLSearchParams({
        refresh_token: refreshToken,
        app_id: this.o.appId,
        grant_type: 'refresh_token',
      }).toString(),
      signal: timeoutSignal(REQUEST_TIMEOUT_MS),
    });
    const data = await readJson(res, 'refresh');
    const access = data.access_token;
    const refresh = data.refresh_token;
    if (typeof access !== 'string' || !access || typeof refresh !== 'string' || !refresh) {
      const code = Number(data.error ?? res.status);
      const why = String(data.error_description ?? data.error_name ?? data.message ?? 'no token in the answer');
      this.o.log.error({ code }, 'zalo-oa: token refresh failed');
      throw new ZaloOAError('refresh', Number.isFinite(code) ? code : res.status, why);
    }
    const seconds = Number(data.expires_in);
    const expiresAt = Number.isFinite(seconds) && seconds > 0 ? started + seconds * 1000 : null;
    // The store saves the pair before releasing its lock, before the token is used: the old refresh token is dead.
    this.o.log.info({ expiresAt }, 'zalo-oa: access token refreshed and stored');
    return { accessToken: access, refreshToken: refresh, expiresAt };
  }

  private async post(path: string, token: string, body: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.o.apiRoot.replace(/\/+$/, '')}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', access_token: token },
      body: JSON.stringify(body),
      signal: timeoutSignal(REQUEST_TIMEOUT_MS),
    });
    return readJson(res, path);
  }

  /**
   * Sends a customer-service text message (at most 2,000 characters). An expired or invalid token is refreshed
   * and the send retried once; "rate limited" is retried a few times with backoff; anything else throws.
   */
  async sendText(userId: string, text: string): Promise<void> {
    const retries = this.o.rateLimitRetries ?? 3;
    const base = this.o.retryBaseMs ?? 1000;
    let token = await this.accessToken();
    let refreshed = false;
    for (let limited = 0; ; ) {
      const data = await this.post('/v3.0/oa/message/cs', token, { recipient: { user_id: userId }, message: { text } });
      const code = Number(data.error ?? 0);
      if (code === 0) return;
      if ((code === OA_ERRORS.expiredToken || code === OA_ERRORS.invalidToken) && !refreshed) {
        this.o.log.info({ code }, 'zalo-oa: access token rejected; refreshing');
        refreshed = true;
        token = await this.refresh(token);
        continue;
      }
      if (code === OA_ERRORS.rateLimited && limited < retries) {
        const delayMs = base * 2 ** limited++;
        this.o.log.warn({ code, attempt: limited, delayMs }, 'zalo-oa: rate limited; retrying');
        await sleep(delayMs);
        continue;
      }
      throw new ZaloOAError('message/cs', Number.isFinite(code) ? code : -1, String(data.message ?? ''));
    }
  }
}
