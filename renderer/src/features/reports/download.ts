import { call } from '../../bridge';
import type { ReportRequest } from '../../../../core/contract/reports';

/** Exports a report and hands the file to the user (a download in browser mode; the file also stays in exports/). */
export async function exportAndDownload(request: ReportRequest): Promise<{ ok: true; fileName: string } | { ok: false; message: string; fields?: Record<string, string> }> {
  const r = await call('reports.export', { request });
  if (!r.ok) return { ok: false, message: r.error.message, ...(r.error.fields ? { fields: r.error.fields } : {}) };
  const d = await call('reports.download', { fileName: r.value.fileName });
  if (!d.ok) return { ok: false, message: d.error.message };
  const bytes = Uint8Array.from(atob(d.value.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: d.value.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = d.value.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { ok: true, fileName: r.value.fileName };
}

/** The print view's route carries the request (UTF-8 safe base64url). */
export function printHref(request: ReportRequest): string {
  const bytes = new TextEncoder().encode(JSON.stringify(request));
  const b64 = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `/print/${b64}`;
}

export function decodePrint(param: string): ReportRequest | null {
  try {
    const b64 = param.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as ReportRequest;
  } catch {
    return null;
  }
}
