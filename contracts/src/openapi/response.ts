import type { z } from 'zod';
import type { ResponseContract } from './operation';

export const FHIR_JSON = 'application/fhir+json';

/** A JSON response checked against its schema. */
export const json = (
  schema: z.ZodType,
  description = 'Success',
  contentType = 'application/json',
): ResponseContract => ({
  description,
  contentType,
  schema,
});
/** A response published without a schema (e.g. an empty body). */
export const described = (description: string): ResponseContract => ({ description });
