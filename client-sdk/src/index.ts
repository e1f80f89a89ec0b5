export * from './control/index.js';
export * from './emis/index.js';
export * from './gpconnect/index.js';
export * from './launch/index.js';
export * from './mesh/index.js';
export * from './systmone/index.js';
export * from './transport/index.js';
export { childAt, parseXml, toXml, toXmlObject } from './shared/xml.js';
export type { XmlElement, XmlObject, XmlValue } from './shared/xml.js';
