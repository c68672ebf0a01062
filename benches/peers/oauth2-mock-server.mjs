// The peer for login cost: the npm package oauth2-mock-server, a popular generic OAuth 2 mock,
// set up for the same job as the mock's VB365 login (a password grant answered with an RS256
// JWT access token and a refresh token). Prints `listening on URL` like veeam-auth-mock.
import { OAuth2Server } from 'oauth2-mock-server';

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
await server.start(0, '127.0.0.1');
console.log(`listening on ${server.issuer.url}`);
