// 'carafe/testing': the in-process test client and helpers for the project's tests.

export {
  type InRequestOptions,
  TestClient,
  type TestClientOptions,
  type TestRequestOptions,
  TestResponse,
} from './client.js';
export { CookieJar } from './cookie-jar.js';
