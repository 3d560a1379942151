// An independent OAuth 2.0 authorization server for the interoperability tests of
// `tasklist-auth`: `oidc-provider` (a certified OpenID Connect / OAuth 2.0 implementation from
// the npm registry) with the client-credentials grant, on an ephemeral loopback port.
//
//   node server.mjs
//
// Prints one line `listening on http://127.0.0.1:PORT` once ready. The token endpoint is
// `/token`. Two clients exist: `post-client` (secret sent in the form body) and
// `basic-client` (secret sent with HTTP Basic), both with the secret `interop-secret`.
// Requests with `resource=urn:camunda:tasklist-api` get a JWT access token for that audience; others get
// an opaque token. Tokens live 300 seconds.
import Provider from 'oidc-provider';

const clients = [
  { client_id: 'post-client', token_endpoint_auth_method: 'client_secret_post' },
  { client_id: 'basic-client', token_endpoint_auth_method: 'client_secret_basic' },
].map((c) => ({
  ...c,
  client_secret: 'interop-secret',
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
}));

const provider = new Provider('http://127.0.0.1', {
  clients,
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource) => {
        if (resource !== 'urn:camunda:tasklist-api') throw new Error('unknown resource');
        return { audience: 'tasklist-api', accessTokenFormat: 'jwt', accessTokenTTL: 300, scope: '' };
      },
    },
  },
  ttl: { ClientCredentials: 300 },
});
provider.proxy = false;

const server = provider.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
