/** Transport through Grafana's datasource proxy: `<grafanaUrl>/api/datasources/proxy/uid/<uid>/<path>`. */
import { Transport, TransportRequest, TransportResponse } from '../model';
import { FetchLike, fetchAndRead, joinUrl } from './fetch-common';

export interface GrafanaProxyTransportOptions {
  grafanaUrl: string;
  /** Service account token, sent only as `Authorization: Bearer`; never appears in messages. */
  token?: string;
  fetchImpl?: FetchLike;
}

export function grafanaProxyUrl(grafanaUrl: string, uid: string, path: string): string {
  return joinUrl(joinUrl(grafanaUrl, `api/datasources/proxy/uid/${encodeURIComponent(uid)}`), path);
}

export function createGrafanaProxyTransport(options: GrafanaProxyTransportOptions): Transport {
  const fetchImpl: FetchLike = options.fetchImpl ?? ((input, init) => fetch(input, init));
  const headers: Record<string, string> = options.token ? { Authorization: `Bearer ${options.token}` } : {};
  return {
    request(req: TransportRequest): Promise<TransportResponse> {
      // Grafana 403s POSTs to non-allow-listed Prometheus proxy paths: the proxy transport is GET-only.
      const url = grafanaProxyUrl(options.grafanaUrl, req.datasource.uid, req.path);
      return fetchAndRead(fetchImpl, url, { ...req, method: 'GET' }, headers);
    },
  };
}
