import { api } from './api.js';
import type { PatientSummary } from './types.js';

/** The sample partner app gpsim ships, registered on first use with this origin's redirect URI. */
const SAMPLE_APP_CLIENT = 'gpsim-sample-app';

export async function openInSystmOne(patient: PatientSummary, username: string, status: HTMLElement): Promise<void> {
  try {
    await api('/__sim/systmone/selection', {
      method: 'POST',
      body: { ods: patient.ods, username, nhsNumber: patient.nhsNumber },
    });
    status.textContent = `SystmOne desktop of ${username} now has ${patient.name} selected.`;
  } catch (error) {
    status.textContent = (error as Error).message;
  }
}

/** An EHR launch (SMART App Launch / EMIS-X style) of the sample app for this patient and user. */
export async function launchApp(patient: PatientSummary, username: string, status: HTMLElement): Promise<void> {
  try {
    const appUrl = `${location.origin}/__sim/sample-app/`;
    await api('/__sim/clients', {
      method: 'POST',
      body: { clientId: SAMPLE_APP_CLIENT, type: 'public', launchUrl: appUrl, redirectUris: [appUrl] },
    });
    const launch = await api<{ url: string }>('/__sim/launches', {
      method: 'POST',
      body: {
        ods: patient.ods,
        nhsNumber: patient.nhsNumber,
        username,
        app: { clientId: SAMPLE_APP_CLIENT },
        autoApprove: true,
      },
    });
    status.textContent = 'Sample app launched in a new tab.';
    window.open(launch.url, '_blank');
  } catch (error) {
    status.textContent = (error as Error).message;
  }
}
