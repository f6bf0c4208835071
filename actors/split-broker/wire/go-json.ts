import type { z } from 'zod';

/**
 * Decodes a JSON object the way Go's `encoding/json` fills a struct, because Snowflake's peers
 * are Go programs: keys match field names exactly or else case-insensitively, the last key wins,
 * unknown keys and `null` values are ignored, and a top-level `null` is an empty object. The
 * result is then checked against `schema`, whose keys are the Go field names.
 * Returns the parsed value, or a reason string in Go's spirit when the bytes are not that struct.
 */
export function decodeGoStruct<S extends z.ZodObject>(
  schema: S,
  text: string,
): { ok: true; value: z.infer<S> } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
  if (raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: 'cannot unmarshal into an object' };
  const fields = Object.keys(schema.shape);
  const folded = new Map(fields.map((field) => [field.toLowerCase(), field]));
  const struct: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const field = fields.includes(key) ? key : folded.get(key.toLowerCase());
    if (field !== undefined && value !== null) struct[field] = value;
  }
  const parsed = schema.safeParse(struct);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `cannot unmarshal field ${issue?.path.join('.')}: ${issue?.message}` };
  }
  return { ok: true, value: parsed.data };
}

/**
 * Encodes like Go's `json.Marshal`: fields in the order given (the struct's order) and `<`, `>`,
 * `&`, U+2028, U+2029 escaped as `\uXXXX`, so the bytes equal those Tor's broker sends.
 */
export function goMarshal(value: Record<string, unknown>): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
