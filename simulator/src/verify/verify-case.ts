import { z } from 'zod';
import { CaptureSyntaxError, checkCaptureExpression } from './capture';

export const verifySurfaces = ['gpconnect', 'mesh', 'systmone', 'emis', 'smart'] as const;
export type VerifySurface = (typeof verifySurfaces)[number];

/**
 * One contract case, as written in fixtures/verify/{surface}.yaml. Values may name the target's
 * estate with {{placeholders}} (see verify-context.ts), so the same cases run against any target.
 */
export const VerifyCase = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,80}$/),
    title: z.string().min(1),
    citation: z.string().min(1).describe('Where the expected behaviour comes from.'),
    tags: z.array(z.string().min(1)).default([]),
    /** A case that changes the target (books, sends, files) runs only with --allow-writes. */
    writes: z.boolean().default(false),
    request: z
      .object({
        method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']).default('GET'),
        path: z.string().regex(/^(\/|\{\{)/, 'a path starting with / or a {{placeholder}}'),
        /** Which authentication the runner adds: GP Connect SSP headers and JWT, MESH NHSMESH, PDS X-Request-ID. */
        auth: z.enum(['none', 'gpconnect', 'mesh', 'pds']).default('none'),
        interaction: z.string().optional().describe('GP Connect interaction id (Ssp-InteractionID).'),
        headers: z.record(z.string(), z.string()).default({}),
        body: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
      })
      .strict(),
    expect: z
      .object({
        status: z.union([z.number().int(), z.array(z.number().int()).min(1)]),
        contentType: z.string().optional().describe('A regular expression the Content-Type must match.'),
        shape: z.string().optional().describe('A contract schema, module.Name, e.g. gpconnect.Patient.'),
        json: z.record(z.string(), z.unknown()).optional().describe('Dotted paths and the values found there.'),
        bodyMatches: z.string().optional().describe('A regular expression the body text must match.'),
        bodyExcludes: z.string().optional().describe('A regular expression the body text must not match.'),
      })
      .strict(),
    /** Values saved from the answer for later cases of the run, used as {{saved.<name>}} (see capture.ts). */
    capture: z
      .record(
        z.string().regex(/^[A-Za-z][\w-]*$/),
        z.string().superRefine((expression, check) => {
          try {
            checkCaptureExpression(expression);
          } catch (error) {
            if (!(error instanceof CaptureSyntaxError)) throw error;
            check.addIssue({ code: 'custom', message: error.message });
          }
        }),
      )
      .optional(),
  })
  .strict();
export type VerifyCase = z.infer<typeof VerifyCase>;

export const VerifyCaseFile = z.object({ surface: z.enum(verifySurfaces), cases: z.array(VerifyCase).min(1) }).strict();
