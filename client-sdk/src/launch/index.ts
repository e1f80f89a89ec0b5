export {
  authorizeUrl,
  createPkce,
  discover,
  emisXContext,
  exchangeCode,
  parseLaunch,
  parseRedirect,
  refreshToken,
} from './launch.js';
export type { AuthorizeRequest, ClientAuthentication, Pkce } from './launch.js';
export type * from './wire-types.js';
