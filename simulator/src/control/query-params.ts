import { SimError } from '../domain/errors';

/** A whole-number query parameter within bounds, or a 400 naming the parameter. */
export function positiveInteger(text: string, field: string, max: number, min = 1): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new SimError('invalid-parameter', `${field} must be a whole number from ${min} to ${max}.`, { field });
  }
  return Number(text);
}
