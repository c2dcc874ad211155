// Everything environment-specific comes from GET /config.json (the dev stack's web server, or the file the
// deploy writes beside the bundle from the Terraform outputs): the same build runs everywhere.
export type ServiceName = 'identity' | 'matching' | 'practice' | 'conversation' | 'notifications';

export type AppConfig = {
  region: string;
  services: Record<ServiceName, string>;
  websocket: string;
  /** Only on the dev stack: where the emulator's outgoing email can be read. */
  devMailbox?: string;
};

let loaded: AppConfig | null = null;

export async function loadConfig(fetcher: typeof fetch = fetch): Promise<AppConfig> {
  const response = await fetcher('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  const body = (await response.json()) as AppConfig;
  if (!body.services?.identity || !body.websocket) throw new Error('config.json lacks services or websocket');
  loaded = body;
  return body;
}

export function config(): AppConfig {
  if (!loaded) throw new Error('config.json is not loaded yet');
  return loaded;
}

export function setConfigForTests(value: AppConfig): void {
  loaded = value;
}
