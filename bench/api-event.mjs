// A REST API (v1) proxy event, as API Gateway sends it to the API Lambda (stage dev).
export const BENCH_KEY = 'bench-key';

export const createBody = (referenceId) => ({
  amount: 500000,
  currency: 'XOF',
  country: 'BJ',
  metadata: { appId: 'bench', referenceId, phoneNumber: '+22961000000' },
  returnUrl: 'https://bench.example/return',
  gatewayOverride: 'mock',
});

export function apiEvent(method, path, body, query = null) {
  const headers = { 'Content-Type': 'application/json', 'X-API-Key': BENCH_KEY };
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query,
    multiValueQueryStringParameters: query ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])) : null,
    pathParameters: { proxy: path.replace(/^\//, '') },
    stageVariables: null,
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000', apiId: 'bench', protocol: 'HTTP/1.1', httpMethod: method, path: `/dev${path}`, stage: 'dev',
      requestId: 'bench', requestTimeEpoch: Date.now(), resourceId: 'bench', resourcePath: '/{proxy+}',
      identity: { sourceIp: '198.51.100.10', userAgent: 'bench' },
    },
  };
}

export const lambdaContext = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 };
