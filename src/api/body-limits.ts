// Shape limits checked right after JSON parsing, before class-transformer and class-validator
// walk the body: both recurse, and a body nested ~1,400 deep overflowed the stack (issue 14).
// Our bodies are at most 2 levels deep (metadata) with ≤ 50 metadata keys.
export const MAX_BODY_DEPTH = 5;
export const MAX_BODY_KEYS = 200;

// Iterative (an explicit stack), so checking a hostile body can never overflow the stack itself.
// Returns the broken limit's message, or null when the body is within both limits.
export function bodyLimitProblem(body: unknown): string | null {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: body, depth: 1 }];
  let keys = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_BODY_DEPTH) return `Request body must be nested at most ${MAX_BODY_DEPTH} levels deep`;
    const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
    keys += children.length;
    if (keys > MAX_BODY_KEYS) return `Request body must have at most ${MAX_BODY_KEYS} keys and array items in total`;
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
  }
  return null;
}
