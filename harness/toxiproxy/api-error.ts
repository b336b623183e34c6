/** Errors of the Toxiproxy HTTP API, with the exact texts and statuses of Toxiproxy 2.12 (api.go). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): { error: string; status: number } {
    return { error: this.message, status: this.status };
  }

  /** Go's joinError: "<wrapper>: <cause>" with the wrapper's status. */
  wrap(cause: string): ApiError {
    return new ApiError(`${this.message}: ${cause}`, this.status);
  }
}

export const ApiErrors = {
  badRequestBody: new ApiError('bad request body', 400),
  missingField: new ApiError('missing required field', 400),
  proxyNotFound: new ApiError('proxy not found', 404),
  proxyAlreadyExists: new ApiError('proxy already exists', 409),
  invalidStream: new ApiError('stream was invalid, can be either upstream or downstream', 400),
  invalidToxicType: new ApiError('invalid toxic type', 400),
  toxicAlreadyExists: new ApiError('toxic already exists', 409),
  toxicNotFound: new ApiError('toxic not found', 404),
} as const;

/** Errors the real server reports without a status (listen failures and the like) become 500s. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(err instanceof Error ? err.message : String(err), 500);
}
