/** Transport straight to the backends (CLI direct mode): `<baseUrl>/<path>`, tenant as `X-Scope-OrgID`. */
import { Transport, TransportError, TransportRequest, TransportResponse } from '../model';
import { FetchLike, fetchAndRead, joinUrl } from './fetch-common';

export interface DirectTransportOptions {
  /** Base URL per datasource uid, e.g. `{ 'direct-loki-1': 'http://loki:3100' }`; Mimir includes `/prometheus`. */
  urls: Record<string, string>;
  fetchImpl?: FetchLike;
}

export function createDirectTransport(options: DirectTransportOptions): Transport {
  const fetchImpl: FetchLike = options.fetchImpl ?? ((input, init) => fetch(input, init));
  return {
    request(req: TransportRequest): Promise<TransportResponse> {
      const base = Object.prototype.hasOwnProperty.call(options.urls, req.datasource.uid)
        ? options.urls[req.datasource.uid]
        : undefined;
      if (!base) {
        return Promise.reject(new TransportError('network', `no URL configured for datasource ${req.datasource.uid}`));
      }
      const headers: Record<string, string> = req.datasource.tenant ? { 'X-Scope-OrgID': req.datasource.tenant } : {};
      return fetchAndRead(fetchImpl, joinUrl(base, req.path), req, headers);
    },
  };
}
