/**
 * A server value as a browser receives it after `Response.json`: dates arrive as ISO strings.
 * Client components type API responses with it instead of keeping copies of the server's types.
 */
export type OverJson<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? OverJson<U>[]
    : T extends object
      ? { [K in keyof T]: OverJson<T[K]> }
      : T;
