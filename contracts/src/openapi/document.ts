import { z } from 'zod';
import type { OperationContract, SurfaceContract } from './operation';

const jsonSchemaOptions = { target: 'draft-2020-12', unrepresentable: 'any' } as const;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { ...jsonSchemaOptions, io }) as Record<
    string,
    unknown
  >;
  return rest;
}

function parameters(operation: OperationContract): unknown[] {
  const list: unknown[] = [];
  for (const name of operation.path.match(/\{([^}]+)\}/g) ?? []) {
    list.push({ name: name.slice(1, -1), in: 'path', required: true, schema: { type: 'string' } });
  }
  for (const [location, shape] of [
    ['query', operation.query],
    ['header', operation.headers],
  ] as const) {
    if (!shape) continue;
    const schema = jsonSchema(shape, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const { description, ...rest } = property as { description?: string };
      list.push({
        name,
        in: location,
        required: schema.required?.includes(name) ?? false,
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return list;
}

/** The OpenAPI 3.1 document of one surface, derived from its contract (JSON Schema 2020-12 dialect). */
export function openApiDocument(contract: SurfaceContract, version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of contract.operations) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(operation.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? {
              content: {
                [response.contentType ?? 'application/json']: { schema: jsonSchema(response.schema, 'output') },
              },
            }
          : {}),
      };
    }
    const described = operation.citation ? `${operation.summary}\n\nSpec: ${operation.citation}` : operation.summary;
    (paths[operation.path] ??= {})[operation.method] = {
      operationId: operation.operationId,
      summary: operation.summary,
      description: described,
      ...(operation.tags ? { tags: [...operation.tags] } : {}),
      parameters: parameters(operation),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: { [operation.body.contentType]: { schema: jsonSchema(operation.body.schema, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: { title: contract.title, version, description: contract.description },
    paths,
  };
}

/** Each named schema of a contracts module as a standalone JSON Schema (2020-12). */
export function jsonSchemas(module: Record<string, unknown>): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  // Sorted: how a bundler orders re-exports must not change the artefact.
  for (const [name, value] of Object.entries(module).sort(([a], [b]) => a.localeCompare(b))) {
    if (value instanceof z.ZodType && /^[A-Z]/.test(name)) {
      schemas[name] = z.toJSONSchema(value, { ...jsonSchemaOptions, io: 'output' });
    }
  }
  return schemas;
}
