import { z } from 'zod';
import { SurfaceName } from './common';

export const JournalEntry = z.object({
  seq: z.number().int().positive(),
  time: z.string(),
  node: z.string(),
  surface: SurfaceName,
  method: z.string(),
  path: z.string(),
  query: z.string(),
  status: z.number().int(),
  latencyMs: z.number().nonnegative(),
  clientId: z.string().optional(),
  traceId: z.string(),
  ods: z.string().optional(),
  interaction: z.string().optional(),
  retryAfterS: z.number().int().nonnegative().optional().describe('Retry-After the response asked for (s).'),
  idempotencyKey: z
    .string()
    .optional()
    .describe('Idempotency-Key, X-Request-ID, mex-localid or SystmOne RequestUID the request carried.'),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

export const JournalPage = z.object({
  entries: z.array(JournalEntry),
  lastSeq: z.number().int().nonnegative().describe('Highest sequence number so far; pass it as since= to page.'),
  capacity: z.number().int().positive(),
});
export type JournalPage = z.infer<typeof JournalPage>;
