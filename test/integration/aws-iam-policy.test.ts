import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { skipAws, startMotoForTests } from '../support/aws-fixture.js';
import { motoIam } from '../support/moto-iam.js';
import type { Moto } from '../support/moto-server.js';

const RUNNER_ROLE = 'arn:aws:iam::123456789012:role/burstlab-runner';

interface Policies {
  runner: { Statement: Array<{ Action: string[] }> };
  fisRole?: { Statement: Array<{ Action: string[]; Condition?: unknown }> };
  fisRoleTrust?: unknown;
}

async function policiesOf(scenario: string, ...flags: string[]): Promise<Policies> {
  const { code, stdout, stderr } = await runCli(['iam-policy', '--target', 'eks', scenario, ...flags]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(stdout) as Policies;
}

const actions = (doc: { Statement: Array<{ Action: string[] }> } | undefined): string[] => [...new Set((doc?.Statement ?? []).flatMap((s) => s.Action))].sort();

let moto: Moto | undefined;

describe.skipIf(skipAws)('burstlab iam-policy --target eks', () => {
  beforeAll(async () => void (moto = await startMotoForTests()), 90_000);
  afterAll(async () => void (await moto?.stop()));

  it("prints policies moto's IAM accepts: the runner's and the FIS role's with CreatePolicy, the trust policy with CreateRole", async () => {
    const p = await policiesOf('scenarios/market-open-chaos.yaml', '--runner-role-arn', RUNNER_ROLE, '--interruption-queue', 'interruptions');
    const endpoint = moto!.endpoint;
    await expect(motoIam(endpoint, 'CreatePolicy', { PolicyName: 'burstlab-runner', PolicyDocument: JSON.stringify(p.runner) })).resolves.toContain('<PolicyName>burstlab-runner</PolicyName>');
    await expect(motoIam(endpoint, 'CreatePolicy', { PolicyName: 'burstlab-fis', PolicyDocument: JSON.stringify(p.fisRole) })).resolves.toContain('<PolicyName>burstlab-fis</PolicyName>');
    await expect(motoIam(endpoint, 'CreateRole', { RoleName: 'burstlab-fis', AssumeRolePolicyDocument: JSON.stringify(p.fisRoleTrust) })).resolves.toContain('<RoleName>burstlab-fis</RoleName>');
  });

  it('is refused by moto when a document is malformed, so acceptance means something', async () => {
    const broken = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ec2 DescribeInstances'], Resource: '*' }] };
    await expect(motoIam(moto!.endpoint, 'CreatePolicy', { PolicyName: 'broken', PolicyDocument: JSON.stringify(broken) })).rejects.toThrow(/MalformedPolicyDocument/);
  });

  it("gives FIS exactly the actions of the scenario's faults, limited to the run's instances and the runner's launch calls", async () => {
    const p = await policiesOf('scenarios/market-open-chaos.yaml', '--runner-role-arn', RUNNER_ROLE);
    expect(actions(p.fisRole)).toEqual(['ec2:DescribeInstances', 'ec2:InjectApiError', 'ec2:SendSpotInstanceInterruptions', 'ec2:StartInstances', 'ec2:StopInstances']);
    expect(JSON.stringify(p.fisRole)).toContain('"aws:ResourceTag/burstlab.dev/run":"false"');
    expect(JSON.stringify(p.fisRole)).toContain(`"ec2:FisTargetArns":"${RUNNER_ROLE}"`);
    expect(actions(p.runner)).not.toContain('sqs:ReceiveMessage');
  });

  it('has no FIS role and lets the runner create no experiment for a scenario without faults', async () => {
    const p = await policiesOf('scenarios/market-open.yaml');
    expect(p.fisRole).toBeUndefined();
    expect(actions(p.runner)).not.toContain('fis:CreateExperimentTemplate');
    expect(actions(p.runner)).toContain('ec2:CreateFleet');
  });

  it('refuses a scenario with API-error faults without the runner role they target', async () => {
    const { code, stderr } = await runCli(['iam-policy', '--target', 'eks', 'scenarios/market-open-chaos.yaml']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/hint: add --runner-role-arn/);
  });
});
