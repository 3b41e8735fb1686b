'use strict';
/*
tests/oracle-role.js: what the oracles of the roles ECS itself assumes
(tests/ebs-oracle.js: the EBS infrastructure role; tests/deploy-oracle.js:
the load balancer role) share: reading the role a service names, judging
who may assume it and each request made with it by the engine iam-check
uses, and the command line around them. tests/oracle-state.js reads the
states.
*/
const fs = require('fs');

const { UsageError, parseArgs, loadEngine, documentPolicy, rolePolicies, resolve } = require('./oracle-state');

// The role's trust policy as IAM JSON (a policy document of the state, or
// literal JSON), or null.
function trustPolicy(state, value) {
  const m = typeof value === 'string' && /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(value);
  if (m) {
    const doc = documentPolicy(state, m[1]);
    return doc && !doc.unresolved ? { Version: '2012-10-17', Statement: doc.Statement } : null;
  }
  const text = typeof value === 'string' ? resolve(value, state, false) : null;
  return text !== null && text.trim().startsWith('{') ? JSON.parse(text) : null;
}

// The role ${aws_iam_role.NAME.arn} names, with its policies read as the
// FireLens oracle reads a task role's (rolePolicies) and its trust policy;
// doubts, such as a statement the oracle cannot resolve, are the caller's
// problems. null when the state has no such role.
function ecsRole(state, roleArn) {
  const m = /^\$\{aws_iam_role\.([\w-]+)\.arn\}$/.exec(roleArn || '');
  const body = m && (state.resource.aws_iam_role || {})[m[1]];
  if (!body) return null;
  const name = typeof body.name === 'string' ? body.name : m[1];
  const { policies, doubts } = rolePolicies(state, m[1], { ...body, name });
  return { name, arn: `arn:${state.partition}:iam::${state.account}:role/${name}`, policies, doubts,
    trust: trustPolicy(state, body.assume_role_policy) };
}

// One simulated request, judged: a problem when an allowed one is not
// Allowed, or a denied one is.
async function judge(tool, sim, input, r, report, verbose) {
  const result = await sim.runSimulation(input, {});
  report.counts.requests++;
  const got = result.resultType === 'error' ? 'error' : result.overallResult;
  const what = `${r.action}${r.by ? ` by ${r.by}` : ''} on ${r.resource}`;
  const at = `${r.where}: ${r.role.name}`;
  if (verbose) process.stderr.write(`${tool}: ${r.role.name}: ${what}: ${got} (expected ${r.expect === 'allow' ? 'Allowed' : 'denied'})\n`);
  if (got === 'error') report.problems.push(`${at}: cannot simulate ${what}: ${JSON.stringify(result.errors)}`);
  else if (r.expect === 'allow' && got !== 'Allowed') report.problems.push(`${at}: DENIED ${what} (needed: ${r.why})`);
  else if (r.expect === 'deny' && got === 'Allowed') report.problems.push(`${at}: ALLOWED ${what} (should be denied: ${r.why})`);
}

// Who may assume the role: ECS, and no one else (why says what for); the
// context is the one AWS sets for a service principal (iam-check's),
// without the aws:SourceAccount and aws:SourceArn ECS sets for tasks' roles,
// since AWS documents neither for these roles. The role's doubts and an
// unread trust policy are problems too.
async function judgeTrust(tool, sim, state, role, where, why, report, verbose) {
  for (const d of role.doubts) report.problems.push(`${where}: ${role.name}: ${d}`);
  if (!role.trust) {
    report.problems.push(`${where}: ${role.name}: its trust policy is not read`);
    return;
  }
  const ctx = (service) => ({ 'aws:PrincipalServiceName': service, 'aws:PrincipalIsAWSService': 'true', 'aws:SecureTransport': 'true' });
  const asks = [
    ['ecs.amazonaws.com', 'allow', why],
    ['ecs-tasks.amazonaws.com', 'deny', 'a task is not ECS'],
  ];
  for (const [principal, expect, reason] of asks) {
    await judge(tool, sim, {
      request: { principal, action: 'sts:AssumeRole', resource: { resource: role.arn, accountId: state.account },
        contextVariables: ctx(principal) },
      identityPolicies: [], resourcePolicy: role.trust, serviceControlPolicies: [], resourceControlPolicies: [],
    }, { action: 'sts:AssumeRole', by: principal, resource: role.arn, expect, why: reason, where, role },
    report, verbose);
  }
}

// Each request [action, resource, context, expect, why] made with the role,
// judged; extra(action, context) may add to the simulation's input (a key's
// resource policy).
async function judgeRequests(tool, sim, state, role, where, requests, report, verbose, extra = () => ({})) {
  for (const [action, resource, context, expect, why] of requests) {
    await judge(tool, sim, {
      request: {
        principal: role.arn,
        action,
        resource: { resource, accountId: state.account },
        contextVariables: {
          'aws:PrincipalArn': role.arn, 'aws:PrincipalAccount': state.account, 'aws:PrincipalType': 'AssumedRole',
          'aws:RequestedRegion': context['ec2:Region'] || context['aws:RequestedRegion'] || state.region,
          'aws:SecureTransport': 'true', ...context,
        },
      },
      identityPolicies: role.policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...extra(action, context),
    }, { action, resource, expect, why, where, role }, report, verbose);
  }
}

// The command line: judgeState(state, sim, report, verbose) on every state
// below each DIR; counted names what judgeState counts in report.counts,
// as COUNTEDs ("volume": report.counts.volumes). Exit 0 without problems, 1 with, 2 on usage errors, 3 when
// the vendored engine is absent.
async function main(tool, argv, judgeState, counted, findStates, loadState) {
  const opts = parseArgs(argv, tool);
  const sim = loadEngine(opts.vendor);
  if (!sim) {
    process.stderr.write(`${tool}: skipped: the vendored @cloud-copilot/iam-simulate is absent from ${opts.vendor} (../shared is not checked out)\n`);
    return 3;
  }
  const report = { problems: [], counts: { [`${counted}s`]: 0, requests: 0 } };
  for (const dir of opts.dirs) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a directory`);
    for (const s of findStates(dir)) await judgeState(loadState(s), sim, report, opts.verbose);
  }
  const c = report.counts;
  const plural = (n, w) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const lines = [...report.problems, `${tool}: ${plural(c[`${counted}s`], counted)}, ${plural(c.requests, 'request')} simulated, `
    + `${plural(report.problems.length, 'problem')}`];
  process.stdout.write(lines.map((l) => `${l}\n`).join(''));
  return report.problems.length ? 1 : 0;
}

// Runs main and sets the exit status; an error is a usage error (2) or the
// oracle's own (2, with its stack).
function run(tool, judgeState, counted, findStates, loadState) {
  main(tool, process.argv.slice(2), judgeState, counted, findStates, loadState).then((code) => {
    process.exitCode = code;
  }, (e) => {
    process.stderr.write(`${tool}: ${e instanceof UsageError ? e.message : `internal error: ${e && e.stack}`}\n`);
    process.exitCode = 2;
  });
}

module.exports = { trustPolicy, ecsRole, judge, judgeTrust, judgeRequests, run };
