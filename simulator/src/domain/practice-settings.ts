import type { control } from '@gpsim/contracts';
import { OPEN_BOOKING_WINDOW } from './booking';
import type { Practice } from './estate';
import { defaultPartnerSettings } from './partners';
import type { SettingsRepository } from '../store/store';

export type PracticeSettings = control.PracticeSettings;
export type PracticeSettingsPatch = control.PracticeSettingsPatch;

/**
 * A practice's switches: GP Connect as a whole, each capability and each structured clinical area,
 * and which partner products (and their functions) the practice has authorised. The specification
 * has GP Connect disabled by default in real systems; gpsim's default estate starts with everything
 * on, so a new user succeeds first time, and tests switch things off to rehearse refusals.
 */
export function defaultPracticeSettings(_practice: Practice): PracticeSettings {
  return {
    gpconnect: {
      enabled: true,
      foundations: true,
      appointments: true,
      structured: true,
      documents: true,
      bookingWindow: OPEN_BOOKING_WINDOW,
      clinicalAreas: {
        allergies: true,
        medication: true,
        consultations: true,
        problems: true,
        immunisations: true,
        uncategorised: true,
        investigations: true,
        referrals: true,
        diary: true,
      },
    },
    partners: defaultPartnerSettings(),
    deviceTrust: false,
  };
}

const key = (ods: string) => `practice-settings:${ods}`;

export class PracticeSettingsService {
  constructor(private readonly settings: SettingsRepository) {}

  async get(practice: Practice): Promise<PracticeSettings> {
    const stored = await this.settings.get<PracticeSettingsPatch>(key(practice.ods));
    return stored ? applyPatch(defaultPracticeSettings(practice), stored) : defaultPracticeSettings(practice);
  }

  /** Applies a partial change and returns the practice's settings after it. */
  async patch(practice: Practice, patch: PracticeSettingsPatch): Promise<PracticeSettings> {
    const stored = (await this.settings.get<PracticeSettingsPatch>(key(practice.ods))) ?? {};
    const merged = mergeDeep(stored, patch) as PracticeSettingsPatch;
    await this.settings.put(key(practice.ods), merged);
    return applyPatch(defaultPracticeSettings(practice), merged);
  }
}

function applyPatch(base: PracticeSettings, patch: PracticeSettingsPatch): PracticeSettings {
  return mergeDeep(base, patch) as PracticeSettings;
}

function mergeDeep(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch === undefined ? base : patch;
  const result: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(patch)) result[name] = mergeDeep(base[name], value);
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
