export { MeshClient } from './mesh-client.js';
export type { DownloadedMessage, MeshClientOptions, SendOptions } from './mesh-client.js';
export { meshAuthorization } from './mesh-token.js';
export type { MeshCredentials } from './mesh-token.js';
export type { MeshContent } from './chunks.js';
export type * from './wire-types.js';
