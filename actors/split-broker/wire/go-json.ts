import { compile, type z } from 'zod';

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
  const { fields, folded, check } = structOf(schema);
  const struct: Record<string, unknown> = {};
  for (const key in raw) {
    const value = (raw as Record<string, unknown>)[key];
    if (value === null) continue;
    // Exact names first (what Snowflake's peers send), case folding only for the rest.
    const field = fields.has(key) ? key : folded.get(key.toLowerCase());
    if (field !== undefined) struct[field] = value;
  }
  const parsed = check.safeParse(struct);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `cannot unmarshal field ${issue?.path.join('.')}: ${issue?.message}` };
  }
  return { ok: true, value: parsed.data as z.infer<S> };
}

interface Struct {
  fields: Set<string>;
  folded: Map<string, string>;
  /** The schema compiled once by zod (the same results and issues as the schema, faster). */
  check: z.ZodType;
}

const structs = new WeakMap<z.ZodObject, Struct>();

/** A schema's field names, exact and case-folded, and its compiled check: worked out once per schema. */
function structOf(schema: z.ZodObject): Struct {
  let struct = structs.get(schema);
  if (struct === undefined) {
    const names = Object.keys(schema.shape);
    struct = { fields: new Set(names), folded: new Map(names.map((name) => [name.toLowerCase(), name])), check: compile(schema) };
    structs.set(schema, struct);
  }
  return struct;
}

/**
 * Encodes like Go's `json.Marshal`: fields in the order given (the struct's order) and `<`, `>`,
 * `&`, U+2028, U+2029 escaped as `\uXXXX`, so the bytes equal those Tor's broker sends.
 */
export function goMarshal(value: Record<string, unknown>): string {
  const text = JSON.stringify(value);
  // Most bodies hold none of them: one scan, no copy.
  return GO_ESCAPED.test(text) ? text.replace(GO_ESCAPED_ALL, goEscape) : text;
}

const GO_ESCAPED = /[<>&\u2028\u2029]/;
const GO_ESCAPED_ALL = /[<>&\u2028\u2029]/g;
const goEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
