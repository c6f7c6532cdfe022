/** The runtime configuration, /config.json next to index.html (written by `npm start` locally, by the stack on AWS). */
export interface PortalConfig {
  readonly apiUrl: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly scope?: string;
  readonly environment?: string;
}

export async function loadConfig(): Promise<PortalConfig> {
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const config = (await response.json()) as Partial<PortalConfig>;
  if (!config.apiUrl || !config.issuer || !config.clientId)
    throw new Error('config.json needs apiUrl, issuer and clientId');
  return { ...config, apiUrl: config.apiUrl.replace(/\/$/, '') } as PortalConfig;
}
