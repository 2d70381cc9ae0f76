import { GetParametersByPathCommand, SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';

// A cold start must not hang on SSM: each call gives up after these (Lambda's own timeout is
// the outer bound).
export const SSM_TIMEOUTS = { connectionTimeoutMs: 2_000, requestTimeoutMs: 5_000, maxAttempts: 3 } as const;

type SsmTimeouts = { connectionTimeoutMs: number; requestTimeoutMs: number; maxAttempts: number };

export const createSsmClient = (config: SSMClientConfig = {}, timeouts: SsmTimeouts = SSM_TIMEOUTS): SSMClient =>
  new SSMClient({
    maxAttempts: timeouts.maxAttempts,
    // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes.
    requestHandler: { connectionTimeout: timeouts.connectionTimeoutMs, requestTimeout: timeouts.requestTimeoutMs, throwOnRequestTimeout: true },
    ...config,
  });

// Secrets live in SSM Parameter Store as SecureStrings under one path per environment
// (/payments/<env>/STRIPE_SECRET_KEY …). Read once at cold start; each name becomes an env name.
export async function loadSsmParameters(path: string, client: SSMClient = createSsmClient()): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetParametersByPathCommand({ Path: path, Recursive: true, WithDecryption: true, NextToken: nextToken }));
    for (const parameter of page.Parameters ?? []) {
      const name = parameter.Name?.split('/').pop();
      if (name && parameter.Value !== undefined) values[name] = parameter.Value;
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return values;
}
