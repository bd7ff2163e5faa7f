/** The integration API's token scopes, from the server's own list. */
export { SCOPES as TOKEN_SCOPES } from '../../../src/core/scopes.js';
