import type { control } from '@gpsim/contracts';
import { OPEN_BOOKING_WINDOW } from './booking';
import type { Practice } from './estate';
import { defaultPartnerSettings } from './partners';
import type { ChangeFeed } from '../store/change-feed';
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

/**
 * Practice settings are read on every GP Connect and partner request, so each practice's are kept in
 * memory, frozen, after the first read. A patch drops this process's copy and tells the other
 * processes over the store (the change feed), which drop theirs; a reset drops them all.
 */
export class PracticeSettingsService {
  private readonly cached = new Map<string, PracticeSettings>();
  /** Bumped by every change, so a read that started before one never caches what it read. */
  private generation = 0;

  constructor(
    private readonly settings: SettingsRepository,
    private readonly changes: ChangeFeed,
  ) {}

  async get(practice: Practice): Promise<PracticeSettings> {
    const cached = this.cached.get(practice.ods);
    if (cached) return cached;
    const generation = this.generation;
    const stored = await this.settings.get<PracticeSettingsPatch>(key(practice.ods));
    const settings = deepFreeze(
      stored ? applyPatch(defaultPracticeSettings(practice), stored) : defaultPracticeSettings(practice),
    );
    if (generation === this.generation) this.cached.set(practice.ods, settings);
    return settings;
  }

  /** Applies a partial change and returns the practice's settings after it. */
  async patch(practice: Practice, patch: PracticeSettingsPatch): Promise<PracticeSettings> {
    // Before and after the write: a read under way on either side of it must not keep the old settings.
    this.forget(practice.ods);
    const stored = (await this.settings.get<PracticeSettingsPatch>(key(practice.ods))) ?? {};
    const merged = mergeDeep(stored, patch) as PracticeSettingsPatch;
    await this.settings.put(key(practice.ods), merged);
    this.forget(practice.ods);
    await this.changes.publish({ kind: 'practice-settings', ods: practice.ods });
    return applyPatch(defaultPracticeSettings(practice), merged);
  }

  /** Drops the copy of one practice's settings (or every practice's), e.g. after another process changed them. */
  forget(ods?: string): void {
    this.generation++;
    if (ods === undefined) this.cached.clear();
    else this.cached.delete(ods);
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

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
