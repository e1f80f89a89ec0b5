import { z } from 'zod';

export const Health = z.object({
  status: z.literal('ok'),
  version: z.string(),
  seed: z.string(),
  store: z.string().describe('Store kind: sqlite, memory or postgres.'),
  uptimeS: z.number().nonnegative(),
  node: z.string().describe('The node that answered: s11 (primary) or s12 (backup).'),
});
export type Health = z.infer<typeof Health>;
