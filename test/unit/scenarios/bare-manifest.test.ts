import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../harness/runner/errors.js';
import { parseScenario } from '../../../scenarios/load.js';

function rejectionOf(text: string, file = 'given.yaml'): ValidationError {
  try {
    parseScenario(text, file);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected the file to be rejected');
}

const CA_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: cluster-autoscaler, namespace: kube-system }
spec:
  template:
    spec:
      containers:
        - name: cluster-autoscaler
          command: [./cluster-autoscaler, --nodes=1:10:my-asg]
`;

describe('a Kubernetes manifest given where a scenario is expected', () => {
  it('says a NodePool file is a manifest and shows the reference that uses it', () => {
    const err = rejectionOf('apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: { name: default }\n', 'pools/general.yaml');
    expect(err.issues).toEqual([{ path: '', message: 'a Kubernetes manifest (NodePool, karpenter.sh/v1), not a burstlab scenario' }]);
    expect(err.hint).toMatch(/cluster: \{ nodePools: \[\{ manifest: \.\/general\.yaml \}\] \}/);
  });

  it('recognises a multi-document manifest file by its first document', () => {
    const err = rejectionOf('---\napiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nmetadata: { name: default }\n---\napiVersion: karpenter.sh/v1\nkind: NodePool\n');
    expect(err.issues[0]!.message).toMatch(/EC2NodeClass, karpenter\.k8s\.aws\/v1/);
    expect(err.hint).toMatch(/manifest: \.\/given\.yaml/);
  });

  it("points a Cluster Autoscaler deployment at an arm's flags", () => {
    expect(rejectionOf(CA_DEPLOYMENT).hint).toMatch(/kind: cluster-autoscaler, flags: \[/);
  });

  it('points any other manifest at the scenario format', () => {
    expect(rejectionOf('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n').hint).toMatch(/scenarios\/README\.md/);
  });
});
