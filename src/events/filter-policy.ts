// SNS subscription filter policies, exact-match allow-list form: every key must be present and
// its value one of the listed strings (AND across keys, OR within a key).
export type FilterPolicy = Readonly<Record<string, readonly string[]>>;

export function matchesFilterPolicy(policy: FilterPolicy, attributes: Readonly<Record<string, string>>): boolean {
  return Object.entries(policy).every(([name, allowed]) => {
    const value = attributes[name];
    return value !== undefined && allowed.includes(value);
  });
}
