// 'carafe/testing': the in-process test client and helpers for the project's tests.

// Django's mail.outbox: what the 'memory' mail backend sent.
export { outbox } from '../mail/index.js';
export {
  TestClient,
  type TestClientOptions,
  type TestRequestOptions,
  TestResponse,
} from './client.js';
export { CookieJar } from './cookie-jar.js';
