export * from './operation';
export * from './document';
export * from './match';
export { gpconnectContract } from './gpconnect';
export {
  controlContract,
  emisContract,
  fhirR4Contract,
  meshContract,
  pdsContract,
  smartContract,
  systmoneContract,
} from './others';
export { surfaceContracts } from './registry';
