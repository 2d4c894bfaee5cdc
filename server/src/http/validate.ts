import { z } from 'zod';
import { badRequest } from '../ApiError';

/** Parses input at the edge; the first problem becomes a 400 naming the field. */
export function validate<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : 'body';
  throw badRequest('invalid_request', `${field}: ${issue.message}`);
}
