import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, parseSettings, type ServerSettings } from './settings';
import type { Logger } from './logger';

/**
 * Settings per workspace folder, fetched from the client once and kept until the client says they
 * changed (per-file requests would cost a round trip for every file of a scan).
 */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<ServerSettings>>();

  constructor(
    private readonly connection: Connection,
    private readonly logger: Logger,
    private readonly supportsConfiguration: boolean,
  ) {}

  get(scopeUri: string | undefined): Promise<ServerSettings> {
    if (!this.supportsConfiguration) return Promise.resolve(DEFAULT_SETTINGS);
    const key = scopeUri ?? '';
    let settings = this.cache.get(key);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri, section: 'dlDoctor' })
        .then((raw: unknown) => parseSettings(raw, (m) => this.logger.warn(m)))
        .catch((error: unknown) => {
          this.logger.warn(`could not read settings, using defaults: ${String(error)}`);
          return DEFAULT_SETTINGS;
        });
      this.cache.set(key, settings);
    }
    return settings;
  }

  clear(): void {
    this.cache.clear();
  }
}
