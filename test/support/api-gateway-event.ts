import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

// A REST API (v1) proxy-integration event as API Gateway sends it for stage `dev`.
export function apiGatewayEvent(input: {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  sourceIp?: string;
}): APIGatewayProxyEvent {
  const headers = { 'Content-Type': 'application/json', ...input.headers };
  return {
    resource: '/{proxy+}',
    path: input.path,
    httpMethod: input.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: input.path.replace(/^\//, '') },
    stageVariables: null,
    body: input.body === undefined ? null : JSON.stringify(input.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '497172038983',
      apiId: 'hfy53j9rjc',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: input.method,
      path: `/dev${input.path}`,
      stage: 'dev',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1_772_971_200_000,
      resourceId: 'abc123',
      resourcePath: '/{proxy+}',
      identity: {
        sourceIp: input.sourceIp ?? '198.51.100.10',
        userAgent: 'jest',
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        user: null,
        userArn: null,
      },
    },
  };
}

export const lambdaContext = {
  functionName: 'payments-api',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;
