import { EC2Client } from '@aws-sdk/client-ec2';
import { KubeConfig } from '@kubernetes/client-node';
import { MissingPrerequisiteError, UsageError } from '../../runner/errors.js';

/** The cluster a kubeconfig context points at, as EKS names it, and the region its ARN carries. */
export interface KubeContext {
  context: string;
  /** The kubeconfig's cluster entry: for EKS, usually `arn:aws:eks:<region>:<account>:cluster/<name>`. */
  clusterEntry: string;
  /** The EKS cluster name: the ARN's last segment, or the entry itself. */
  clusterName: string;
  region: string | undefined;
}

const EKS_ARN = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):\d{12}:cluster\/(.+)$/;

/** Reads the context's cluster from a kubeconfig (the file only: nothing is contacted). */
export function kubeContext(file: string | undefined, context: string | undefined): KubeContext {
  const kc = new KubeConfig();
  try {
    if (file) kc.loadFromFile(file);
    else kc.loadFromDefault();
  } catch (err) {
    throw new UsageError(`cannot read the kubeconfig ${file ?? '(KUBECONFIG or ~/.kube/config)'}: ${(err as Error).message}`, 'give --kubeconfig FILE of the EKS cluster (aws eks update-kubeconfig writes one)', { cause: err });
  }
  const name = context ?? kc.getCurrentContext();
  const ctx = kc.getContextObject(name);
  if (!ctx) throw new UsageError(`the kubeconfig has no context '${name}'`, `one of: ${kc.getContexts().map((c) => c.name).join(', ') || '(none)'}`);
  const m = EKS_ARN.exec(ctx.cluster);
  return { context: name, clusterEntry: ctx.cluster, clusterName: m ? m[2]! : ctx.cluster, region: m?.[1] };
}

/**
 * DESIGN.md principle 8: nothing mutates AWS or the cluster unless the user named the very cluster the kubeconfig
 * context points at. A missing or different name refuses the run (exit 2) before any call.
 */
export function checkOptIn(allowChaos: string | undefined, ctx: KubeContext): void {
  const hint = `check the context, then run again with --allow-chaos ${ctx.clusterName} (try --dry-run first: it shows every AWS call)`;
  if (allowChaos === undefined) {
    throw new UsageError(`refusing to run on EKS cluster '${ctx.clusterName}' (context ${ctx.context}) without --allow-chaos: a game day launches instances and injects real faults`, hint);
  }
  if (allowChaos !== ctx.clusterName && allowChaos !== ctx.clusterEntry) {
    throw new UsageError(`--allow-chaos names '${allowChaos}', but the kubeconfig context ${ctx.context} points at cluster '${ctx.clusterName}'`, hint);
  }
}

export const CREDENTIAL_CHAIN =
  "the AWS SDK's default credential chain: environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), " +
  'SSO and the shared files ~/.aws/credentials and ~/.aws/config (profile AWS_PROFILE), web identity (AWS_WEB_IDENTITY_TOKEN_FILE), ' +
  'credential_process, the ECS container endpoint, and EC2 instance metadata';

/**
 * Resolves credentials the way every AWS client of the run will (the SDK's default chain), before any call: missing
 * credentials are an input error naming the chain. Neither the keys nor the provider's own message (which may quote
 * a profile's content) are ever printed.
 */
export async function checkCredentials(region: string, endpoint?: string): Promise<void> {
  const client = new EC2Client({ region, ...(endpoint ? { endpoint } : {}) });
  try {
    const creds = await client.config.credentials();
    if (!creds.accessKeyId) throw new Error('empty credentials');
  } catch (err) {
    throw new MissingPrerequisiteError(`no AWS credentials found by ${CREDENTIAL_CHAIN}`, 'e.g. export AWS_PROFILE=<profile> after `aws sso login --profile <profile>`; burstlab never reads or prints the keys itself', { cause: new Error((err as { name?: string }).name ?? 'CredentialsProviderError') });
  } finally {
    client.destroy();
  }
}
