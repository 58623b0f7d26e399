/**
 * The API key the page sends, kept for this tab only (sessionStorage: gone when the tab closes,
 * never shared with other tabs), and never put in a URL, where proxies and logs would keep it.
 */
const STORAGE_KEY = 'fleet.dashboard.apiKey';

export class ApiKeyStore {
  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>) {}

  get(): string | undefined {
    return this.storage.getItem(STORAGE_KEY) ?? undefined;
  }

  set(key: string): void {
    this.storage.setItem(STORAGE_KEY, key.trim());
  }

  forget(): void {
    this.storage.removeItem(STORAGE_KEY);
  }
}
