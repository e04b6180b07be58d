/** The app's settings (jsonData) over Grafana's plugin settings API. */
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { PLUGIN_ID } from '../engine/links/routes';

export const SETTINGS_URL = `/api/plugins/${PLUGIN_ID}/settings`;

export type AppSettingsResult =
  | { ok: true; jsonData: Record<string, unknown>; enabled: boolean; pinned: boolean }
  /** `status` 403 means this user may not read the settings (some RBAC setups revoke it from Viewers). */
  | { ok: false; status: number; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorOf(err: unknown): { status: number; message: string } {
  if (isFetchError(err)) {
    const data: unknown = err.data;
    const message =
      isRecord(data) && typeof data.message === 'string'
        ? data.message
        : typeof data === 'string' && data
          ? data.slice(0, 200)
          : err.statusText || err.message || `HTTP ${err.status}`;
    return { status: err.status, message };
  }
  return { status: 0, message: err instanceof Error ? err.message : String(err) };
}

export async function loadAppSettings(): Promise<AppSettingsResult> {
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<unknown>({ url: SETTINGS_URL, method: 'GET', showErrorAlert: false })
    );
    const data = response.data;
    if (!isRecord(data)) {
      return {
        ok: false,
        status: response.status,
        message: 'Grafana returned plugin settings in an unexpected shape.',
      };
    }
    return {
      ok: true,
      jsonData: isRecord(data.jsonData) ? data.jsonData : {},
      enabled: data.enabled === true,
      pinned: data.pinned === true,
    };
  } catch (err) {
    return { ok: false, ...errorOf(err) };
  }
}

/** Saves jsonData (Admin: `plugins:write`). Rejects with `{status, message}` so the form can show why. */
export async function saveAppSettings(jsonData: Record<string, unknown>): Promise<void> {
  try {
    await lastValueFrom(
      getBackendSrv().fetch<unknown>({
        url: SETTINGS_URL,
        method: 'POST',
        data: { enabled: true, pinned: true, jsonData },
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
  } catch (err) {
    throw new SettingsSaveError(errorOf(err));
  }
}

export class SettingsSaveError extends Error {
  readonly status: number;
  constructor({ status, message }: { status: number; message: string }) {
    super(status === 403 ? `You may not change the app settings (${message}). Ask an Org Admin.` : message);
    this.name = 'SettingsSaveError';
    this.status = status;
  }
}
