// 'carafe': the HTTP core. Batteries live in their own subpath exports (carafe/db, …).
export { Carafe, type AppOptions, type RouteInfo } from './core/app.js';
export {
  type AppCommand,
  type AppCommandContext,
  type AppDefinition,
  defineApp,
} from './core/apps.js';
export {
  Blueprint,
  type BlueprintOptions,
  HTTP_METHODS,
  type HttpMethod,
  Route,
  type RouteOptions,
} from './core/blueprint.js';
export {
  type CarafeConfig,
  type ConfigWarning,
  checkBoolean,
  checkObject,
  checkOneOf,
  checkPositiveInteger,
  checkString,
  checkStringList,
  defineConfig,
  env,
  type LogConfig,
  type LogLevel,
  loadDotenv,
  registerSetting,
  type ResolvedConfig,
  type ResolveOptions,
  type ServerConfig,
  type SettingContext,
  type SettingDefinition,
  type SettingName,
  type TrailingSlash,
} from './core/config/index.js';
export {
  abort,
  BadRequest,
  CarafeError,
  Forbidden,
  HttpError,
  type HttpErrorOptions,
  MethodNotAllowed,
  NotFound,
  PayloadTooLarge,
} from './core/errors.js';
export type {
  AfterRequestHook,
  BeforeRequestHook,
  ErrorHandler,
  Handler,
  HandlerResult,
  JsonValue,
  LifecycleHook,
  Middleware,
  TeardownHook,
} from './core/handler.js';
export { escapeHtml } from './core/html.js';
export type { FormBody, UploadedFile } from './core/http/body/index.js';
export type { CookieOptions } from './core/http/cookies.js';
export {
  contentDisposition,
  file,
  type FileOptions,
  isSafeRedirectTarget,
  html,
  json,
  redirect,
  type SafeRedirectOptions,
  safeRedirect,
  type ServerSentEvent,
  sse,
  stream,
  text,
  toHttpResponse,
} from './core/http/helpers/index.js';
export { defaultLimits, type RequestLimits } from './core/http/limits.js';
export { HttpRequest, type RouteNames, type UrlForOptions } from './core/http/request.js';
export { HttpResponse, type ResponseInit } from './core/http/response.js';
export type { RequestSource, RequestState } from './core/http/source.js';
export type { Converter, ConverterTypes, ParamsOf } from './core/router/index.js';
export type { FetchContext } from './core/server/fetch.js';
export { createStaticHandler, type StaticHandler, type StaticOptions } from './core/static/index.js';
export { type ListenOptions, nodeHandler, type RunningServer } from './core/server/node.js';
export {
  BadSignature,
  dumps,
  loads,
  secretKeys,
  SignatureExpired,
  type SignOptions,
  sign,
  signTimestamped,
  type UnsignOptions,
  type UnsignTimestampedOptions,
  unsign,
  unsignTimestamped,
} from './core/signing.js';
export { type RequestFor, View } from './core/views.js';
