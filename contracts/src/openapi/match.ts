import type { OperationContract, ResponseContract, SurfaceContract } from './operation';

interface CompiledOperation {
  operation: OperationContract;
  pattern: RegExp;
  /** Literal characters in the template: the more, the more specific. */
  specificity: number;
}

const compiled = new WeakMap<SurfaceContract, CompiledOperation[]>();

function compile(contract: SurfaceContract): CompiledOperation[] {
  let list = compiled.get(contract);
  if (!list) {
    list = contract.operations
      .map((operation) => {
        const source = operation.path
          .split(/(\{[^}]+\})/)
          .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
          .join('');
        return {
          operation,
          pattern: new RegExp(`^${source}$`),
          specificity: operation.path.replace(/\{[^}]+\}/g, '').length,
        };
      })
      .sort((a, b) => b.specificity - a.specificity);
    compiled.set(contract, list);
  }
  return list;
}

/** The operation a request path (percent-encoded, no query) and method fall under, if the contract has one. */
export function findOperation(contract: SurfaceContract, method: string, path: string): OperationContract | undefined {
  const wanted = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
  return compile(contract).find((entry) => entry.operation.method === wanted && entry.pattern.test(path))?.operation;
}

/** What the contract promises for a status: its own entry, else `default`. */
export function responseContract(operation: OperationContract, status: number): ResponseContract | undefined {
  return operation.responses[String(status)] ?? operation.responses.default;
}
