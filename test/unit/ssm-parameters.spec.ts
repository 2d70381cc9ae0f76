import { describe, expect, it } from '@jest/globals';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { loadSsmParameters } from '../../src/config/ssm-parameters.js';

describe('loadSsmParameters', () => {
  it('reads every page, decrypted, and names values after the last path segment', async () => {
    const ssm = mockClient(SSMClient);
    ssm
      .on(GetParametersByPathCommand, { Path: '/payments/dev/', Recursive: true, WithDecryption: true, NextToken: undefined })
      .resolves({ Parameters: [{ Name: '/payments/dev/STRIPE_SECRET_KEY', Value: 'sk_live_1' }], NextToken: 'page-2' })
      .on(GetParametersByPathCommand, { Path: '/payments/dev/', Recursive: true, WithDecryption: true, NextToken: 'page-2' })
      .resolves({ Parameters: [{ Name: '/payments/dev/TKH_API_KEY_HASH', Value: 'kaba:abc' }] });

    expect(await loadSsmParameters('/payments/dev/', new SSMClient({ region: 'ca-central-1' }))).toEqual({
      STRIPE_SECRET_KEY: 'sk_live_1',
      TKH_API_KEY_HASH: 'kaba:abc',
    });
    expect(ssm.commandCalls(GetParametersByPathCommand)).toHaveLength(2);
    ssm.restore();
  });
});
