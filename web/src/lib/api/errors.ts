// Every service answers errors as {error, message, requestId}; the UI shows them in the user's language by code.
export type ErrorBody = { error: string; message: string; requestId?: string; details?: unknown };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromBody(status: number, body: unknown): ApiError {
    const b = (body ?? {}) as Partial<ErrorBody>;
    return new ApiError(status, b.error ?? `HTTP_${status}`, b.message ?? `HTTP ${status}`, b.requestId, b.details);
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** The data of an openapi-fetch answer, or its error body thrown as an ApiError. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response };
  try {
    answer = await call;
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
  }
  if (answer.error !== undefined || !answer.response.ok) throw ApiError.fromBody(answer.response.status, answer.error);
  return answer.data as T;
}
