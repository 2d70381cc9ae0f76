import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';

// Secrets live in SSM Parameter Store as SecureStrings under one path per environment
// (/payments/<env>/STRIPE_SECRET_KEY …). Read once at cold start; each name becomes an env name.
export async function loadSsmParameters(path: string, client: SSMClient = new SSMClient({})): Promise<Record<string, string>> {
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
