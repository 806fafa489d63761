/** Body and header limits; the defaults are Django's and Fastify's safe values. */
export interface RequestLimits {
  /** Largest JSON, text or urlencoded body, in bytes (413 above). */
  bodySize: number;
  /** Largest multipart body, files included, in bytes (413 above). */
  uploadSize: number;
  /** Most form fields in one body (400 above). */
  formFields: number;
  /** Most files in one multipart body (400 above). */
  files: number;
  /** Uploaded files larger than this go to a temporary file instead of memory. */
  fileMemoryThreshold: number;
}

export const defaultLimits: RequestLimits = {
  bodySize: 1024 * 1024,
  uploadSize: 10 * 1024 * 1024,
  formFields: 1000,
  files: 20,
  fileMemoryThreshold: 2.5 * 1024 * 1024,
};
