import { Catalog } from '../../../provisioner/catalog/catalog.js';
import { loadScenario } from '../../../scenarios/load.js';
import { targetIssues } from '../../../scenarios/schema/target-support.js';
import { faultTargetIssues } from '../../chaos/backend.js';
import { eksPlan } from '../../targets/eks/eks-plan.js';
import { iamPolicies } from '../../targets/eks/iam-policy.js';
import { parseCommandArgs } from '../args.js';
import type { Command, CommandIO } from '../command.js';
import { EXIT, UsageError, ValidationError } from '../errors.js';
import { eksInputs } from './run-eks.js';

const USAGE = `usage: burstlab iam-policy --target eks <scenario.yaml> [options]

Prints, as one JSON object, the least-privilege IAM policy documents for exactly what the scenario's game day does:
  runner          the identity burstlab runs as: launches (CreateFleet) and tags only with the run tag, terminates,
                  stops and deletes only what carries it, reads instances, subnets, Spot prices and templates
  fisRole         the role FIS assumes: only the actions of the scenario's faults, only on the run's instances
                  (or, for API-error faults, only the runner role's launch calls)
  fisRoleTrust    the trust policy of that role: FIS alone may assume it
Create them yourself (burstlab never calls IAM); fisRole and fisRoleTrust are absent when the scenario has no fault
that runs through FIS.

options:
  --target eks              the only target that needs IAM
  --region R                AWS region in the ARNs (default: the scenario's cluster.region)
  --fis-role-arn ARN        narrows the runner's iam:PassRole to that role
  --runner-role-arn ARN     the runner role FIS' API-error actions may target (required for such faults)
  --interruption-queue Q    adds reading the SQS interruption queue Q

exit codes: 0 printed, 2 invalid input`;

const OPTIONS = {
  target: { type: 'string' },
  region: { type: 'string' },
  'fis-role-arn': { type: 'string' },
  'runner-role-arn': { type: 'string' },
  'interruption-queue': { type: 'string' },
} as const;

export const iamPolicyCommand: Command = {
  name: 'iam-policy',
  summary: 'print the least-privilege IAM policies (runner, FIS role) a game day on EKS needs',
  usage: USAGE,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('iam-policy', args, OPTIONS);
    if (values.target !== 'eks') throw new UsageError(values.target === undefined ? 'iam-policy needs --target eks' : `iam-policy --target '${values.target}': only eks uses IAM`, 'burstlab iam-policy --target eks scenarios/market-open-chaos.yaml');
    if (positionals.length !== 1) throw new UsageError('iam-policy takes exactly one scenario file', 'burstlab iam-policy --target eks scenarios/market-open-chaos.yaml');
    const file = positionals[0]!;
    const scenario = await loadScenario(file);
    const issues = [...targetIssues(scenario, 'eks'), ...faultTargetIssues(scenario, 'eks')];
    if (issues.length) throw new ValidationError(file, issues, 'drop what target eks cannot do; burstlab run --target eks --dry-run shows the plan');
    const inputs = eksInputs(scenario, { ...values, 'run-id': 'iam-policy' }, undefined);
    const plan = eksPlan(scenario, new Catalog({ region: scenario.cluster.region, zones: scenario.cluster.zones }), scenario.seed, inputs);
    if (plan.experiments.some((e) => Object.values(e.input.actions ?? {}).some((a) => a.targets?.Roles)) && !values['runner-role-arn']) {
      throw new UsageError('the scenario has faults that fail the runner role\'s launch calls: the FIS policy must name that role', 'add --runner-role-arn arn:aws:iam::<account>:role/<the role burstlab runs as>');
    }
    const policies = iamPolicies(plan, values['fis-role-arn'], values['runner-role-arn'], values['interruption-queue']);
    io.stdout.write(JSON.stringify(policies, null, 2) + '\n');
    return EXIT.ok;
  },
};
