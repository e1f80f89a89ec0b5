import { SimError } from './errors';

const isoDuration =
  /^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Applies a duration to an instant. Accepts ISO 8601 durations ("P30D", "PT2H30M", "P1M",
 * "-PT5M") or a number of milliseconds. Years and months are calendar steps (P1M from 31 January
 * lands on the last day of February), the rest fixed lengths.
 */
export function addDuration(instant: number, duration: string | number, field = 'duration'): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration))
      throw new SimError('invalid-parameter', `${field} must be a finite number of milliseconds.`, { field });
    return instant + duration;
  }
  const match = isoDuration.exec(duration.trim());
  if (!match || duration.trim() === 'P' || duration.trim().endsWith('T')) {
    throw new SimError(
      'invalid-parameter',
      `${field} must be an ISO 8601 duration such as P30D, PT2H or P1M, or a number of milliseconds (got "${duration}").`,
      { field },
    );
  }
  const sign = match[1] ? -1 : 1;
  const part = (index: number) => Number(match[index] ?? 0) * sign;
  const date = new Date(instant);
  const years = part(2);
  const months = part(3);
  if (years !== 0 || months !== 0) {
    if (!Number.isInteger(years) || !Number.isInteger(months)) {
      throw new SimError('invalid-parameter', `${field}: years and months must be whole numbers.`, { field });
    }
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCFullYear(date.getUTCFullYear() + years, date.getUTCMonth() + months);
    const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(day, lastDay));
  }
  const fixedMs = ((part(4) * 7 + part(5)) * 24 * 3600 + part(6) * 3600 + part(7) * 60 + part(8)) * 1000;
  return date.getTime() + Math.round(fixedMs);
}

/** The length of a duration in milliseconds, measured from an instant (months vary). */
export function durationMs(duration: string | number, from: number, field = 'duration'): number {
  return addDuration(from, duration, field) - from;
}
