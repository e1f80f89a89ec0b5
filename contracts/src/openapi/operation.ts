import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseContract {
  description: string;
  /** Media type of the body; JSON bodies with a schema are checked against it. */
  contentType?: string;
  schema?: z.ZodType;
}

/**
 * One operation of an HTTP surface: the same declaration publishes OpenAPI and lets the simulator
 * check, at its edge, what it received and what it answers.
 */
export interface OperationContract {
  method: HttpMethod;
  /** OpenAPI path template, e.g. /{ods}/STU3/1/gpconnect/Patient/{id}. */
  path: string;
  operationId: string;
  summary: string;
  /** Where the rule comes from (spec section or page). */
  citation?: string;
  tags?: readonly string[];
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: { contentType: string; schema: z.ZodType };
  /** By status code; `default` covers every status not listed (usually the surface's error shape). */
  responses: Readonly<Record<string, ResponseContract>>;
}

export interface SurfaceContract {
  /** Name used in /__sim/openapi/{surface}.json. */
  surface: string;
  title: string;
  description: string;
  operations: readonly OperationContract[];
}
