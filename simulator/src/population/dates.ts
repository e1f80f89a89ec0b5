/** Calendar arithmetic in whole UTC days, so generated dates never depend on the machine's time zone. */

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for a YYYY-MM-DD date. */
export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

// Formatting dates is the population's hottest path, so formatted days and times are memoised:
// a few tens of thousands of days and 1,440 minutes bound the memory.
const dayStrings = new Map<number, string>();
const minuteStrings: readonly string[] = Array.from(
  { length: 1440 },
  (_, minute) =>
    `T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00+00:00`,
);

/** The YYYY-MM-DD date of a day number. */
export function dateOfDay(day: number): string {
  let text = dayStrings.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayStrings.set(day, text);
  }
  return text;
}

/** An ISO date-time (UTC, minute precision) for a day number and minutes after midnight. */
export function dateTimeOfDay(day: number, minuteOfDay: number): string {
  const extraDays = Math.floor(minuteOfDay / 1440);
  return dateOfDay(day + extraDays) + (minuteStrings[minuteOfDay - extraDays * 1440] as string);
}

export function addYears(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) + years;
  const monthDay = date.slice(5, 10);
  // 29 February in a non-leap year becomes 28 February.
  if (monthDay === '02-29' && !isLeapYear(year)) return `${year}-02-28`;
  return `${year}-${monthDay}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Completed years between a birth date and a date. */
export function ageOn(birthDate: string, date: string): number {
  let age = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (date.slice(5, 10) < birthDate.slice(5, 10)) age -= 1;
  return age;
}
