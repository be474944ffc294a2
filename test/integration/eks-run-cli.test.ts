import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../support/cli.js';
import { writeEksKubeconfig } from '../support/eks-kubeconfig.js';
import { tempDirs } from '../support/temp-dirs.js';

const tempDir = tempDirs('burstlab-eks-cli-');
const CHAOS = 'scenarios/market-open-chaos.yaml';
const PLANTED_SECRET = 'planted-secret-never-printed';

/** No credential anywhere in the SDK's chain, and a secret key alone (which the chain refuses) planted to catch leaks. */
function noCredentials(): void {
  const home = tempDir();
  vi.stubEnv('HOME', home);
  vi.stubEnv('AWS_ACCESS_KEY_ID', '');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', PLANTED_SECRET);
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(home, 'none'));
  vi.stubEnv('AWS_CONFIG_FILE', join(home, 'none'));
  vi.stubEnv('AWS_WEB_IDENTITY_TOKEN_FILE', '');
  vi.stubEnv('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', '');
  vi.stubEnv('AWS_CONTAINER_CREDENTIALS_FULL_URI', '');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
}

/** Credentials the chain resolves locally; the endpoint they would go to is a closed loopback port. */
function fakeCredentials(): void {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
  vi.stubEnv('BURSTLAB_STATE_DIR', tempDir());
}

afterEach(() => void vi.unstubAllEnvs());

describe('burstlab run --target eks', () => {
  it('prints the plan of AWS calls, with every FIS template scoped to the run and its stop condition, without credentials', async () => {
    noCredentials();
    const { code, stdout, stderr } = await runCli(['run', CHAOS, '--target', 'eks', '--dry-run', '--run-id', 'gd-1']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('every resource created is tagged burstlab.dev/run=gd-1');
    expect(stdout).toMatch(/faults\[0\] at 9h25m: FIS aws:ec2:send-spot-instance-interruptions/);
    expect(stdout).toMatch(/faults\[1\] at 9h30m: burstlab's EC2 provider refuses 20 offering\(s\)/);
    expect(stdout).toMatch(/faults\[2\] at 12h: FIS aws:ec2:stop-instances \+ aws:ec2:api-insufficient-instance-capacity-error/);
    expect(stdout.match(/fis CreateExperimentTemplate/g)).toHaveLength(2);
    expect(stdout.match(/"resourceTags": \{"burstlab.dev\/run":"gd-1"\}/g)).toHaveLength(2);
    expect(stdout.match(/"stopConditions": \[\{"source":"none"\}\]/g)).toHaveLength(2);
    expect(stdout).toMatch(/ec2 CreateFleet: node group general-m5-2xlarge/);
    expect(stdout).toMatch(/ec2 CreateFleet: NodePool default spot/);
    expect(stdout).toMatch(/--fis-role-arn: the role FIS assumes/);
  });

  it('puts the named alarm on every template as its stop condition and the kubeconfig\'s cluster in the plan', async () => {
    const kubeconfig = writeEksKubeconfig(tempDir(), 'game-day');
    const alarm = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors';
    const { code, stdout } = await runCli(['run', CHAOS, '--target', 'eks', '--dry-run', '--run-id', 'gd-1', '--kubeconfig', kubeconfig, '--stop-alarm', alarm]);
    expect(code).toBe(0);
    expect(stdout).toContain('cluster game-day');
    expect(stdout.match(/"source": ?"aws:cloudwatch:alarm",\s*"value": ?"arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors"/g)).toHaveLength(2);
    expect(stdout).not.toMatch(/"source": ?"none"/);
    expect(stdout).toContain('"Values":["game-day"]');
  });

  it('refuses a real run without --allow-chaos, exit 2, with a hint naming the cluster', async () => {
    const kubeconfig = writeEksKubeconfig(tempDir(), 'game-day');
    const { code, stderr } = await runCli(['run', CHAOS, '--target', 'eks', '--kubeconfig', kubeconfig]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/refusing to run on EKS cluster 'game-day' \(context game-day\) without --allow-chaos/);
    expect(stderr).toMatch(/hint: .*--allow-chaos game-day/);
  });

  it('refuses a real run whose --allow-chaos names another cluster than the context\'s', async () => {
    const kubeconfig = writeEksKubeconfig(tempDir(), 'game-day');
    const { code, stderr } = await runCli(['run', CHAOS, '--target', 'eks', '--kubeconfig', kubeconfig, '--allow-chaos', 'production']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--allow-chaos names 'production', but the kubeconfig context game-day points at cluster 'game-day'/);
  });

  it('names the SDK\'s default credential chain when it finds no credentials, and prints no secret', async () => {
    noCredentials();
    const kubeconfig = writeEksKubeconfig(tempDir(), 'game-day');
    const { code, stdout, stderr } = await runCli(['run', CHAOS, '--target', 'eks', '--kubeconfig', kubeconfig, '--allow-chaos', 'game-day']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no AWS credentials found by the AWS SDK's default credential chain: environment variables/);
    expect(stdout + stderr).not.toContain(PLANTED_SECRET);
  });

  it('refuses, exit 2, a real run with a fault it still cannot inject: a shortage of chosen offerings, which only burstlab\'s own EC2 provider refuses', async () => {
    fakeCredentials();
    const kubeconfig = writeEksKubeconfig(tempDir(), 'game-day');
    const { code, stderr } = await runCli(['run', CHAOS, '--target', 'eks', '--kubeconfig', kubeconfig, '--allow-chaos', 'game-day', '--aws-endpoint', 'http://127.0.0.1:9']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/faults\[1\]: a shortage of chosen offerings is injected by burstlab's own EC2 provider/);
    expect(stderr).toMatch(/hint: give the fault zones:/);
  });

  it('refuses, exit 2, a real run with faults but no role for FIS to assume', async () => {
    fakeCredentials();
    const kubeconfig = writeEksKubeconfig(tempDir(), 'game-day');
    const { code, stderr } = await runCli(['run', 'test/integration/fixtures/eks-faults.yaml', '--target', 'eks', '--kubeconfig', kubeconfig, '--allow-chaos', 'game-day', '--aws-endpoint', 'http://127.0.0.1:9']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/the scenario's faults need --fis-role-arn: the role FIS assumes/);
  });

  it('refuses eks flags on another target', async () => {
    const { code, stderr } = await runCli(['run', CHAOS, '--allow-chaos', 'game-day', '--dry-run']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--allow-chaos applies to --target eks only/);
  });
});
