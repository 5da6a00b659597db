// RFC 9457 problem details from the api, turned into an Error whose message is
// the sentence to show people (`detail`), with the stable `code` kept for logic.
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly fieldErrors: { path?: string; message?: string }[] = [],
    /** Every field of the problem (e.g. `dimension`, `limit`, `used` of quota_exceeded). */
    readonly problem: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function errorFromResponse(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const detail =
    typeof fields.detail === "string" && fields.detail
      ? fields.detail
      : typeof fields.title === "string" && fields.title
        ? fields.title
        : `The server answered HTTP ${response.status}. Try again in a moment.`;
  const code = typeof fields.code === "string" ? fields.code : `http_${response.status}`;
  const errors = Array.isArray(fields.errors) ? (fields.errors as { path?: string; message?: string }[]) : [];
  return new ApiError(detail, response.status, code, errors, fields);
}

/** The message of anything thrown, for showing inline. */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong. Try again.";
}
