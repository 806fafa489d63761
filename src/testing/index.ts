// 'carafe/testing': the in-process test client and helpers for the project's tests.
export { TestClient, TestResponse, type TestClientOptions, type TestRequestOptions } from './client.js';
export { CookieJar } from './cookie-jar.js';
