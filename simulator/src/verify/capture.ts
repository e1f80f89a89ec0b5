/**
 * Values a case saves from its answer for later cases of the same run (`capture` in a case, then
 * `{{saved.<name>}}`). An expression is one of:
 *
 * - `header:<Name>`: a response header, e.g. `header:ETag`;
 * - a JSONPath subset on the JSON body: `$` then any of `.key`, `[N]` (an array index) and
 *   `[?(@.a.b=='value')]` (the first array element whose dotted path equals the text), e.g.
 *   `$.entry[?(@.resource.resourceType=='Slot')].resource.id`.
 *
 * Nothing is evaluated as code. A capture must find a string, number or boolean; finding nothing
 * fails the case that asked for it, and the cases that use the value are then skipped.
 */

type Step = { key: string } | { index: number } | { where: string[]; equals: string };

const STEP = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\?\(@\.([\w$.-]+)\s*==\s*'([^']*)'\)\])/;

export class CaptureSyntaxError extends Error {}

function parseJsonPath(expression: string): Step[] {
  if (!expression.startsWith('$')) throw new CaptureSyntaxError(`"${expression}" must start with $ or header:`);
  const steps: Step[] = [];
  let rest = expression.slice(1);
  while (rest.length > 0) {
    const found = STEP.exec(rest);
    if (!found)
      throw new CaptureSyntaxError(`"${expression}": cannot read "${rest}" (use .key, [N] or [?(@.path=='text')])`);
    if (found[1] !== undefined) steps.push({ key: found[1] });
    else if (found[2] !== undefined) steps.push({ index: Number(found[2]) });
    else steps.push({ where: (found[3] ?? '').split('.'), equals: found[4] ?? '' });
    rest = rest.slice(found[0].length);
  }
  return steps;
}

/** Throws CaptureSyntaxError for an expression outside the subset (cases are checked on load). */
export function checkCaptureExpression(expression: string): void {
  if (/^header:[A-Za-z0-9-]+$/.test(expression)) return;
  parseJsonPath(expression);
}

function child(value: unknown, key: string | number): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  return (value as Record<string | number, unknown>)[key];
}

function follow(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((current, key) => child(current, key), value);
}

export function evaluateJsonPath(value: unknown, expression: string): unknown {
  let current = value;
  for (const step of parseJsonPath(expression)) {
    if ('key' in step) current = child(current, step.key);
    else if ('index' in step) current = Array.isArray(current) ? (current[step.index] as unknown) : undefined;
    else {
      current = Array.isArray(current)
        ? current.find((item) => String(follow(item, step.where)) === step.equals)
        : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

export interface CapturedAnswer {
  headers: Headers;
  /** The parsed body, or undefined when it was not JSON. */
  json: unknown;
}

/** Evaluates a case's captures: the values found, and one message per capture that found nothing. */
export function capture(
  expressions: Readonly<Record<string, string>>,
  answer: CapturedAnswer,
): { values: Record<string, string>; messages: string[] } {
  const values: Record<string, string> = {};
  const messages: string[] = [];
  for (const [name, expression] of Object.entries(expressions)) {
    const found = expression.startsWith('header:')
      ? (answer.headers.get(expression.slice(7)) ?? undefined)
      : evaluateJsonPath(answer.json, expression);
    if (typeof found === 'string' || typeof found === 'number' || typeof found === 'boolean') {
      values[name] = String(found);
    } else {
      messages.push(
        `capture ${name}: ${expression} found ${found === undefined ? 'nothing' : 'a value that is not text'}`,
      );
    }
  }
  return { values, messages };
}

/** The saved values a case uses ({{saved.<name>}} anywhere in its request or expectations). */
export function savedNames(value: unknown): string[] {
  const names = new Set<string>();
  for (const found of JSON.stringify(value).matchAll(/\{\{\s*saved\.([\w-]+)\s*\}\}/g)) {
    if (found[1]) names.add(found[1]);
  }
  return [...names];
}
