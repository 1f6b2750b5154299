/**
 * Fetches one page or feed from the web, on guard: http and https only, an identifying
 * User-Agent, at most MAX_REDIRECTS redirects, one deadline for the whole fetch, a size limit
 * counted on the decompressed body, a content-type check before the body is read, and no private,
 * loopback or link-local address (address.ts) — checked on every hop, on the address the
 * connection really uses.
 *
 * Why node:http rather than the global fetch: fetch resolves the host itself, so a check made on
 * our own DNS answer could be undone by a second answer at connect time (DNS rebinding). Here the
 * host is resolved once, every address checked, and the socket connects to the checked address
 * (the request's `lookup` hands it back); TLS still verifies the certificate for the host name.
 * request-filtering-agent does the same check as an http.Agent, but redirects, the deadline and
 * the size limit would still be ours to write, and with them the check is a dozen lines.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { citedError, CitedError } from '../core/errors.js';
import { formatBytes } from '../corpus/read-file.js';
import { refusedAddress } from './address.js';
import { MAX_REDIRECTS, USER_AGENT, type FetchSettings } from './limits.js';

export interface FetchRequest {
  url: string;
  /** Media types accepted (lower case); anything else is refused before its body is read. */
  accept: readonly string[];
  /** The refusal of a body of another type (a PDF for a page, a page for a feed). */
  notAccepted: (type: string) => CitedError;
  maxBytes: number;
  /** Conditional request (a feed's ETag and Last-Modified from the last poll). */
  etag?: string | null;
  lastModified?: string | null;
  signal?: AbortSignal;
}

export interface Fetched {
  /** Where the body came from, after redirects. */
  url: string;
  /** 304: the conditional request found nothing new (no body). */
  notModified: boolean;
  body: Buffer;
  /** The media type, lower case, without parameters; null when the server sent none. */
  contentType: string | null;
  /** The charset the server declared, if any. */
  charset: string | null;
  etag: string | null;
  lastModified: string | null;
}

/** A failed fetch that may well work later (a timeout, a 5xx, a dropped connection): feeds retry these. */
export class PassingFetchError extends CitedError {}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function fetchResource(request: FetchRequest, settings: FetchSettings): Promise<Fetched> {
  let url = parseWebUrl(request.url);
  const deadline = AbortSignal.timeout(settings.timeoutMs);
  const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
  try {
    for (let hop = 0; ; hop++) {
      const response = await get(url, request, settings, signal);
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status)) {
        response.resume();
        const location = response.headers.location;
        if (!location) throw citedError('FETCH_FAILED', request.url, `the server answered ${status} (a redirect) without saying where to`);
        if (hop >= MAX_REDIRECTS) throw citedError('FETCH_FAILED', request.url, `it redirects more than ${MAX_REDIRECTS} times`);
        url = parseWebUrl(new URL(location, url).toString(), request.url);
        continue;
      }
      const header = (name: string) => {
        const value = response.headers[name];
        return typeof value === 'string' ? value : null;
      };
      if (status === 304 && (request.etag || request.lastModified)) {
        response.resume();
        return { url: url.toString(), notModified: true, body: Buffer.alloc(0), contentType: null, charset: null, etag: header('etag') ?? request.etag ?? null, lastModified: header('last-modified') ?? request.lastModified ?? null };
      }
      if (status < 200 || status > 299) {
        response.resume();
        const why = `the server answered ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`;
        throw status >= 500 || status === 429 || status === 408 ? passing(request.url, why) : citedError('FETCH_FAILED', request.url, why);
      }
      const [type, charset] = mediaType(header('content-type'));
      if (type !== null && !request.accept.includes(type)) {
        response.resume();
        throw request.notAccepted(type);
      }
      const length = Number(header('content-length') ?? NaN);
      if (Number.isFinite(length) && length > request.maxBytes && !header('content-encoding')) {
        response.resume();
        throw citedError('FETCH_FAILED', request.url, `it is ${formatBytes(length)}, over the ${formatBytes(request.maxBytes)} limit`);
      }
      const body = await readBody(response, request);
      return { url: url.toString(), notModified: false, body, contentType: type, charset, etag: header('etag'), lastModified: header('last-modified') };
    }
  } catch (error) {
    if (signal.aborted && !(error instanceof CitedError)) {
      if (deadline.aborted) throw passing(request.url, `no complete answer within ${settings.timeoutMs / 1000} s`);
      throw passing(request.url, 'the fetch was stopped');
    }
    if (error instanceof CitedError) throw error;
    throw passing(request.url, networkReason(error));
  }
}

/** A URL Cited may fetch: http or https, no credentials in it. */
function parseWebUrl(value: string, original = value): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw citedError('URL_REFUSED', original, 'it is not a web address (expected https://…)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw citedError('URL_REFUSED', original, `only http and https addresses are fetched, not ${url.protocol.replace(/:$/, '')}`);
  if (url.username || url.password) throw citedError('URL_REFUSED', original, 'an address with a user name or password in it is not fetched');
  return url;
}

/** One request to `url`, connected to an address that passed the check. */
async function get(url: URL, request: FetchRequest, settings: FetchSettings, signal: AbortSignal): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const address = await resolve(host, request.url, settings, signal);
  // The connection goes to the address checked above, whatever the resolver would say now.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    accept: `${request.accept.join(', ')};q=1, */*;q=0.1`,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (request.etag) headers['if-none-match'] = request.etag;
  if (request.lastModified) headers['if-modified-since'] = request.lastModified;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolveResponse, reject) => {
    const req = client.request(url, { method: 'GET', headers, lookup: pinned, agent: false, signal }, resolveResponse);
    req.on('error', reject);
    req.end();
  });
}

async function resolve(host: string, original: string, settings: FetchSettings, signal: AbortSignal): Promise<{ address: string; family: number }> {
  let addresses: { address: string; family: number }[];
  const literal = isIP(host);
  if (literal !== 0) addresses = [{ address: host, family: literal }];
  else {
    try {
      addresses = await abortable(settings.resolve ? settings.resolve(host) : dnsLookup(host, { all: true, verbatim: true }), signal);
    } catch (error) {
      if (signal.aborted) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTFOUND' || code === 'ENODATA') throw citedError('FETCH_FAILED', original, `no such host (${host})`);
      throw passing(original, `the host name ${host} could not be looked up (${code ?? 'DNS error'})`);
    }
  }
  if (addresses.length === 0) throw citedError('FETCH_FAILED', original, `no address for ${host}`);
  if (!settings.allowPrivate) {
    // Every address must be public: a name that answers with one public and one private address
    // could be steered to the private one.
    for (const { address } of addresses) {
      const why = (settings.refuse ?? refusedAddress)(address);
      if (why !== null) throw citedError('URL_REFUSED', original, `${host === address ? '' : `${host} resolves to ${address}: `}${why}, and Cited does not fetch from private, loopback or link-local addresses (ALLOW_PRIVATE_URLS)`);
    }
  }
  return addresses[0]!;
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The body, decompressed, stopped as soon as it passes the limit (a compressed bomb included). */
async function readBody(response: IncomingMessage, request: FetchRequest): Promise<Buffer> {
  const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase();
  let stream: Readable = response;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = response.pipe(createGunzip());
  else if (encoding === 'deflate') stream = response.pipe(createInflate());
  else if (encoding === 'br') stream = response.pipe(createBrotliDecompress());
  else if (encoding !== '' && encoding !== 'identity') {
    response.resume();
    throw citedError('FETCH_FAILED', request.url, `the server sent it in an encoding Cited cannot read (${encoding})`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > request.maxBytes) {
        response.destroy();
        throw citedError('FETCH_FAILED', request.url, `it is over the ${formatBytes(request.maxBytes)} limit`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof CitedError) throw error;
    if ((error as NodeJS.ErrnoException).code?.startsWith('Z_')) throw citedError('FETCH_FAILED', request.url, 'its compressed body is damaged');
    throw error;
  }
  return Buffer.concat(chunks);
}

/** `text/html; charset=UTF-8` → ['text/html', 'utf-8']. */
export function mediaType(header: string | null): [string | null, string | null] {
  if (!header) return [null, null];
  const [type = '', ...params] = header.split(';');
  const charset = params.map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(p)?.[1]).find((c) => c !== undefined);
  return [type.trim().toLowerCase() || null, charset?.toLowerCase() ?? null];
}

function passing(url: string, why: string): PassingFetchError {
  return new PassingFetchError('FETCH_FAILED', `Could not fetch ${url}: ${why}.`);
}

const networkReasons: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the server closed the connection',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'the network is unreachable',
  EPIPE: 'the server closed the connection',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another name',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
  HPE_INVALID_CONSTANT: 'the server does not speak HTTP',
};

function networkReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return networkReasons[code] ?? `${code || 'network error'}: ${(error as Error).message ?? String(error)}`;
}
