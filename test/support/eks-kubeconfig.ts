import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** An EKS cluster's ARN as `aws eks update-kubeconfig` names the kubeconfig's cluster entry. */
export function eksClusterArn(name: string, region = 'us-east-1'): string {
  return `arn:aws:eks:${region}:123456789012:cluster/${name}`;
}

/**
 * A kubeconfig whose current context points at the EKS cluster `name` on a loopback address nothing listens on:
 * what the opt-in check reads, never contacted.
 */
export function writeEksKubeconfig(dir: string, name: string): string {
  const arn = eksClusterArn(name);
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, `apiVersion: v1
kind: Config
clusters:
- name: ${arn}
  cluster: { server: "https://127.0.0.1:9" }
contexts:
- name: game-day
  context: { cluster: ${arn}, user: ${arn} }
current-context: game-day
users:
- name: ${arn}
  user: { token: not-a-real-token }
`);
  return file;
}
