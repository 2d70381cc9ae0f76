import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { readLambdaEnvironment } from '../../src/config/environment.js';
import { loadSsmParameters } from '../../src/config/ssm-parameters.js';

const ssm = mockClient(SSMClient);
const byPath = (NextToken?: string) => ({ Path: '/payments/dev/', Recursive: true, WithDecryption: true, NextToken });

beforeEach(() => {
  ssm.reset();
});
afterEach(() => {
  ssm.reset();
});

describe('loadSsmParameters', () => {
  it('reads every page, decrypted and recursive, and names values after the last path segment', async () => {
    ssm
      .on(GetParametersByPathCommand, byPath(undefined))
      .resolves({ Parameters: [{ Name: '/payments/dev/STRIPE_SECRET_KEY', Value: 'sk_live_1' }], NextToken: 'page-2' })
      .on(GetParametersByPathCommand, byPath('page-2'))
      .resolves({ Parameters: [{ Name: '/payments/dev/TKH_API_KEY_HASH', Value: 'kaba:abc' }], NextToken: 'page-3' })
      .on(GetParametersByPathCommand, byPath('page-3'))
      .resolves({ Parameters: [{ Name: '/payments/dev/gateways/KKIAPAY_SECRET_KEY', Value: 'kk' }, { Name: '/payments/dev/NO_VALUE' }] });

    expect(await loadSsmParameters('/payments/dev/', new SSMClient({ region: 'ca-central-1' }))).toEqual({
      STRIPE_SECRET_KEY: 'sk_live_1',
      TKH_API_KEY_HASH: 'kaba:abc',
      KKIAPAY_SECRET_KEY: 'kk',
    });
    expect(ssm.commandCalls(GetParametersByPathCommand).map((call) => call.args[0].input.NextToken)).toEqual([undefined, 'page-2', 'page-3']);
  });

  it('returns nothing for an empty path', async () => {
    ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
    expect(await loadSsmParameters('/payments/dev/', new SSMClient({ region: 'ca-central-1' }))).toEqual({});
  });
});

describe('readLambdaEnvironment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('merges the SSM secrets under the real environment, which wins', async () => {
    process.env = { ...saved, SSM_PARAMETER_PATH: '/payments/dev/', AWS_REGION: 'ca-central-1', TKH_WEBHOOK_SECRET: 'from-env' };
    ssm.on(GetParametersByPathCommand, byPath(undefined)).resolves({
      Parameters: [
        { Name: '/payments/dev/TKH_API_KEY_HASH', Value: 'kaba:abc' },
        { Name: '/payments/dev/TKH_WEBHOOK_SECRET', Value: 'from-ssm' },
      ],
    });
    const env = await readLambdaEnvironment();
    expect(env).toMatchObject({ TKH_API_KEY_HASH: 'kaba:abc', TKH_WEBHOOK_SECRET: 'from-env', SSM_PARAMETER_PATH: '/payments/dev/' });
  });

  it('does not call SSM without SSM_PARAMETER_PATH', async () => {
    process.env = { ...saved };
    delete process.env.SSM_PARAMETER_PATH;
    await readLambdaEnvironment();
    expect(ssm.commandCalls(GetParametersByPathCommand)).toHaveLength(0);
  });
});
