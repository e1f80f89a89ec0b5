export { SystmOneClient } from './systmone-client.js';
export type { SystmOneCarriage, SystmOneClientOptions } from './systmone-client.js';
export { tcpFetch } from './tcp-fetch.js';
export type { SocketFactory, TcpFraming, TcpSocket } from './tcp-fetch.js';
export type * from './wire-types.js';
