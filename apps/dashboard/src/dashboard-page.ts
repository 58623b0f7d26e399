import { ApiKeyStore } from './api/api-key-store';
import { KeyRefusedError, ReportsClient } from './api/reports-client';
import { REPORT_NAMES, type ReportName, type Reports } from './api/reports';
import { LiveUpdates, type LiveState } from './live/live-updates';
import { facilityIdsOf } from './model/facilities';
import { renderFleet } from './view/fleet-view';
import { renderFlags, renderPnl } from './view/pnl-view';
import { PowerView } from './view/power-view';
import { renderProcurement } from './view/procurement-view';

function required<T extends Element>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`the page has no ${selector}`);
  return found;
}

/**
 * The page: asks for a key once, reads the four reports (for every facility or one), and reads
 * again the ones `GET /reports/live` says changed. Refreshes never overlap: changes that arrive
 * during one are read right after it.
 */
export class DashboardPage {
  private readonly keys = new ApiKeyStore(sessionStorage);
  private readonly form = required<HTMLFormElement>('[data-testid="key-form"]');
  private readonly keyError = required<HTMLElement>('[data-testid="key-error"]');
  private readonly reportsMain = required<HTMLElement>('[data-testid="reports"]');
  private readonly errorBanner = required<HTMLElement>('[data-testid="error"]');
  private readonly select = required<HTMLSelectElement>('[data-testid="facility-select"]');
  private readonly liveStatus = required<HTMLElement>('[data-testid="live-status"]');
  private readonly lastUpdate = required<HTMLTimeElement>('[data-testid="last-update"]');
  private readonly signOut = required<HTMLButtonElement>('[data-testid="sign-out"]');
  private readonly power = new PowerView(required('[data-section="power"]'));
  private readonly knownFacilities = new Set<string>();
  private client: ReportsClient | undefined;
  private live: LiveUpdates | undefined;
  private facilityId: string | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly pending = new Set<ReportName>();

  start(): void {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const input = this.form.elements.namedItem('key');
      if (input instanceof HTMLInputElement && input.value.trim()) {
        this.keys.set(input.value);
        input.value = '';
        this.open();
      }
    });
    this.select.addEventListener('change', () => {
      this.facilityId = this.select.value || undefined;
      this.refresh(REPORT_NAMES);
    });
    this.signOut.addEventListener('click', () => this.close('Key forgotten.'));
    this.open();
  }

  /** With a stored key, follow the live stream (its `connected` event reads every report). */
  private open(): void {
    const key = this.keys.get();
    if (!key) {
      this.showForm('');
      return;
    }
    this.client = new ReportsClient(key);
    this.form.hidden = true;
    this.reportsMain.hidden = false;
    this.signOut.hidden = false;
    this.live = new LiveUpdates(this.client.authorization, {
      onConnected: () => this.refresh(REPORT_NAMES),
      onChanged: (reports) => this.refresh(reports),
      onState: (state) => this.showLiveState(state),
      onKeyRefused: (error) => this.close(this.refusal(error)),
    });
    this.live.start();
  }

  private close(message: string): void {
    this.live?.stop();
    this.live = undefined;
    this.client = undefined;
    this.keys.forget();
    this.showForm(message);
  }

  private showForm(message: string): void {
    this.reportsMain.hidden = true;
    this.signOut.hidden = true;
    this.form.hidden = false;
    this.keyError.textContent = message;
    this.form.querySelector('input')?.focus();
  }

  private refusal(error: KeyRefusedError): string {
    return error.status === 403
      ? 'This key’s role may not read the reports (reports, finance or operations may).'
      : 'This key is not one reporting knows.';
  }

  private showLiveState(state: LiveState): void {
    this.liveStatus.dataset['state'] = state;
    this.liveStatus.textContent = state;
  }

  /** Reads `reports` again; while a read runs, collects them and reads them once it ends. */
  private refresh(reports: readonly ReportName[]): void {
    for (const report of reports) this.pending.add(report);
    if (this.refreshing) return;
    this.refreshing = this.drain().finally(() => {
      this.refreshing = undefined;
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0 && this.client) {
      const batch = REPORT_NAMES.filter((report) => this.pending.has(report));
      this.pending.clear();
      const client = this.client;
      const facilityId = this.facilityId;
      try {
        const read = await Promise.all(
          batch.map(async (report) => [report, await client.report(report, facilityId)] as const),
        );
        // Signed out (or in with another key) meanwhile: drop this answer, read what is pending.
        if (client !== this.client) continue;
        const reports: Partial<Reports> = Object.fromEntries(read);
        this.render(reports);
        this.errorBanner.hidden = true;
        const now = new Date();
        this.lastUpdate.dateTime = now.toISOString();
        this.lastUpdate.textContent = now.toLocaleTimeString('en-GB');
      } catch (error) {
        if (error instanceof KeyRefusedError) {
          this.close(this.refusal(error));
          return;
        }
        this.errorBanner.textContent = `Could not read the reports: ${String(error)}`;
        this.errorBanner.hidden = false;
      }
    }
  }

  private render(reports: Partial<Reports>): void {
    if (reports.fleet) renderFleet(required('[data-section="fleet"]'), reports.fleet);
    if (reports.power) this.power.render(reports.power);
    if (reports.procurement) renderProcurement(required('[data-section="procurement"]'), reports.procurement);
    if (reports.pnl) {
      renderPnl(required('[data-section="pnl"]'), reports.pnl);
      renderFlags(required('[data-section="flags"]'), reports.pnl);
    }
    this.updateFacilities(facilityIdsOf(reports));
  }

  /** Facilities seen in any answer stay selectable (a filtered answer names only its own). */
  private updateFacilities(ids: readonly string[]): void {
    const before = this.knownFacilities.size;
    for (const id of ids) this.knownFacilities.add(id);
    if (this.knownFacilities.size === before && this.select.options.length > 1) return;
    const selected = this.select.value;
    this.select.replaceChildren(
      new Option('All facilities', ''),
      ...[...this.knownFacilities].sort().map((id) => new Option(id, id)),
    );
    this.select.value = selected;
    const label = this.select.closest('label');
    if (label) label.hidden = this.knownFacilities.size === 0;
  }
}
