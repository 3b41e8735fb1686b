#!/usr/bin/env node
'use strict';
/*
tests/ebs-oracle.js: judges the infrastructure role of each ECS managed EBS
volume in ecsc's output by the requests ECS makes with it, which
../shared/tools/iam-check does not simulate (it checks the role's statements
only: actions, ARNs, condition keys).

usage: node tests/ebs-oracle.js [--verbose] [--vendor DIR] DIR...

Each DIR is searched recursively; every directory with *.tf.json files is a
state. For every aws_ecs_service with a volume_configuration, its
managed_ebs_volume's role_arn (a reference to an aws_iam_role of the state)
is the role; its policies (aws_iam_role_policy of data.aws_iam_policy_document)
are simulated with the engine iam-check uses (runSimulation of
@cloud-copilot/iam-simulate, vendored in ../shared/tools/vendor/iam) against
the requests below. What ECS asks for is what AWS's managed policy for the
role allows, statement by statement [MP]; the tags ECS puts on its volumes
[GUIDE]; the key grants of a customer managed key [KMS].

Must be allowed (A: the state's account, R: its region):
  ec2:CreateVolume on volume/vol-... with the request tags AmazonECSCreated (a
    task's ARN) and AmazonECSManaged "true"; from snapshot_id, on its snapshot
  ec2:CreateTags on the volume with ec2:CreateAction CreateVolume and the tags
  ec2:DescribeVolumes, ec2:DescribeAvailabilityZones on "*" (R)
  ec2:AttachVolume, ec2:DetachVolume on the tagged volume; with tasks on EC2
    instances (requiresCompatibilities EC2), on an instance of A, and
    ec2:DescribeInstances
  ec2:DeleteVolume on the tagged volume
  with kms_key_id: kms:DescribeKey; kms:GenerateDataKeyWithoutPlaintext and
    kms:CreateGrant (kms:GrantIsForAWSResource) through EC2 (kms:ViaService
    ec2.R.amazonaws.com, kms:CallerAccount A, kms:EncryptionContextKeys
    aws:ebs:id); with a snapshot, kms:ReEncryptFrom and kms:ReEncryptTo
Must be denied:
  ec2:CreateVolume without ECS's tags, or in another region; from another
  snapshot; ec2:AttachVolume and ec2:DeleteVolume of a volume without ECS's
  tags; on Fargate, ec2:AttachVolume on an instance of the account; the key's
  grants through another service or without kms:GrantIsForAWSResource.

Output: one problem a line, "PATH: ROLE: DENIED|ALLOWED ACTION on ARN ...",
then "ebs-oracle: N volumes, M requests simulated, P problems". Exit 0
without problems, 1 with, 2 on usage errors, 3 when the vendored engine is
absent (../shared is not checked out: the caller skips).

Sources:
  [MP]    AWS managed policy AmazonECSInfrastructureRolePolicyForVolumes v5
          (2026-02-12), as zoph-io/MAMIP records it (policies/...ForVolumes)
  [GUIDE] ECS Developer Guide, "Use Amazon EBS volumes with Amazon ECS":
          "Amazon ECS automatically adds the reserved tags AmazonECSCreated and
          AmazonECSManaged to the attached volume"
  [KMS]   ECS Developer Guide, "Encrypt data stored in Amazon EBS volumes
          attached to Amazon ECS tasks", "Customer managed KMS key policy"
*/

const fs = require('fs');
const path = require('path');

const TOOL = 'ebs-oracle';
const {
  UsageError, parseArgs, loadEngine, isObj, asList, findStates, loadState, rolePolicies,
} = require('./oracle-state');
// Stand-ins for the names AWS makes at run time.
const VOLUME_ID = 'vol-0123456789abcdef0';
const INSTANCE_ID = 'i-0123456789abcdef0';
const TASK = 'task/ebs-oracle-cluster/0123456789abcdef0123456789abcdef';
const OTHER_SNAPSHOT = 'snap-0fedcba987654321f';

// The role a managed_ebs_volume names, with its policies read as the
// FireLens oracle reads a task role's (rolePolicies); doubts, such as a
// statement the oracle cannot resolve, are problems here.
function infraRole(state, roleArn) {
  const m = /^\$\{aws_iam_role\.([\w-]+)\.arn\}$/.exec(roleArn || '');
  const body = m && (state.resource.aws_iam_role || {})[m[1]];
  if (!body) return null;
  const name = typeof body.name === 'string' ? body.name : m[1];
  const { policies, doubts } = rolePolicies(state, m[1], { ...body, name });
  return { name, arn: `arn:${state.partition}:iam::${state.account}:role/${name}`, policies, doubts };
}

// AWS KMS Developer Guide, "Default key policy": the account's root
// principal may use the key, so the account's IAM policies grant it.
function defaultKeyPolicy(state) {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'EnableIAMPolicies', Effect: 'Allow', Principal: { AWS: `arn:${state.partition}:iam::${state.account}:root` },
      Action: 'kms:*', Resource: '*',
    }],
  };
}

// The requests of one volume: [action, resource, context, expect, why].
function requests(state, vol, onInstances) {
  const { partition: p, account: a, region: r } = state;
  const ec2 = (res, region = r, acct = a) => `arn:${p}:ec2:${region}:${acct}:${res}`;
  const volume = ec2(`volume/${VOLUME_ID}`);
  const task = `arn:${p}:ecs:${r}:${a}:${TASK}`;
  const tags = { 'aws:RequestTag/AmazonECSCreated': task, 'aws:RequestTag/AmazonECSManaged': 'true',
    'aws:TagKeys': ['AmazonECSCreated', 'AmazonECSManaged'], 'ec2:Region': r };
  const tagged = { 'aws:ResourceTag/AmazonECSCreated': task, 'aws:ResourceTag/AmazonECSManaged': 'true',
    'ec2:ResourceTag/AmazonECSCreated': task, 'ec2:ResourceTag/AmazonECSManaged': 'true', 'ec2:Region': r };
  const out = [];
  const allow = (action, res, ctx, why) => out.push([action, res, ctx, 'allow', why]);
  const deny = (action, res, ctx, why) => out.push([action, res, ctx, 'deny', why]);
  allow('ec2:CreateVolume', volume, tags, 'ECS creates the task\'s volume, tagged [MP] [GUIDE]');
  allow('ec2:CreateTags', volume, { ...tags, 'ec2:CreateAction': 'CreateVolume' }, 'the tags of CreateVolume [MP]');
  for (const act of ['ec2:DescribeVolumes', 'ec2:DescribeAvailabilityZones']) allow(act, '*', { 'ec2:Region': r }, 'the volume\'s lifecycle [MP]');
  for (const act of ['ec2:AttachVolume', 'ec2:DetachVolume']) allow(act, volume, tagged, 'ECS attaches its volume [MP]');
  allow('ec2:DeleteVolume', volume, tagged, 'ECS deletes the volume with its task [MP]');
  const instance = ec2(`instance/${INSTANCE_ID}`);
  if (onInstances) {
    allow('ec2:DescribeInstances', '*', { 'ec2:Region': r }, 'attaching to an instance [MP]');
    for (const act of ['ec2:AttachVolume', 'ec2:DetachVolume']) allow(act, instance, { 'ec2:Region': r }, 'the task\'s instance [MP]');
  } else {
    deny('ec2:AttachVolume', instance, { 'ec2:Region': r }, 'a Fargate task runs on no instance of the account');
  }
  if (vol.snapshot_id) {
    allow('ec2:CreateVolume', ec2(`snapshot/${vol.snapshot_id}`, r, ''), { 'ec2:Region': r }, 'the volume\'s snapshot [MP]');
  }
  deny('ec2:CreateVolume', ec2(`snapshot/${OTHER_SNAPSHOT}`, r, ''), { 'ec2:Region': r }, 'a snapshot the volume does not name');
  deny('ec2:CreateVolume', volume, { 'ec2:Region': r }, 'a volume without ECS\'s tags');
  const elsewhere = r === 'us-west-2' ? 'eu-west-1' : 'us-west-2';
  deny('ec2:CreateVolume', ec2(`volume/${VOLUME_ID}`, elsewhere), { ...tags, 'ec2:Region': elsewhere }, 'another region');
  deny('ec2:AttachVolume', volume, { 'ec2:Region': r }, 'a volume ECS does not manage');
  deny('ec2:DeleteVolume', volume, { 'ec2:Region': r }, 'a volume ECS did not create');
  const key = vol.kms_key_id;
  if (key && vol.encrypted !== false) {
    const via = { 'kms:ViaService': `ec2.${r}.amazonaws.com`, 'kms:CallerAccount': a, 'kms:EncryptionContextKeys': ['aws:ebs:id'] };
    allow('kms:DescribeKey', key, {}, 'the volume\'s key [KMS]');
    allow('kms:GenerateDataKeyWithoutPlaintext', key, via, 'EBS encrypts the new volume [KMS]');
    allow('kms:CreateGrant', key, { ...via, 'kms:GrantIsForAWSResource': 'true' }, 'EC2 uses the key for the volume [KMS]');
    if (vol.snapshot_id) {
      for (const act of ['kms:ReEncryptFrom', 'kms:ReEncryptTo']) allow(act, key, via, 'a volume from a snapshot [KMS]');
    }
    deny('kms:CreateGrant', key, { ...via, 'kms:ViaService': `ssm.${r}.amazonaws.com`, 'kms:GrantIsForAWSResource': 'true' }, 'the key through another service');
    deny('kms:CreateGrant', key, via, 'a grant not for an AWS resource');
  }
  return out;
}

async function judgeState(state, sim, report, verbose) {
  for (const [svcName, svc] of Object.entries(state.resource.aws_ecs_service || {})) {
    const vc = isObj(svc.volume_configuration) ? svc.volume_configuration : asList(svc.volume_configuration)[0];
    const vol = vc && (isObj(vc.managed_ebs_volume) ? vc.managed_ebs_volume : asList(vc.managed_ebs_volume)[0]);
    if (!vol) continue;
    report.counts.volumes++;
    const where = `${state.file}: aws_ecs_service.${svcName}`;
    const role = infraRole(state, vol.role_arn);
    if (!role || !role.policies.length) {
      report.problems.push(`${where}: role_arn ${vol.role_arn} names no role of the state with a policy it can read`);
      continue;
    }
    for (const d of role.doubts) report.problems.push(`${where}: ${role.name}: ${d}`);
    const compat = asList(state.taskDef && state.taskDef.doc.requiresCompatibilities);
    for (const [action, resource, context, expect, why] of requests(state, vol, compat.includes('EC2'))) {
      // A key's own policy must let IAM policies grant it, as the default
      // key policy does (iam-check simulates KMS keys so, as ecsc assumes).
      const kms = action.startsWith('kms:') ? { resourcePolicy: defaultKeyPolicy(state) } : {};
      const result = await sim.runSimulation({
        request: {
          principal: role.arn,
          action,
          resource: { resource, accountId: state.account },
          contextVariables: {
            'aws:PrincipalArn': role.arn, 'aws:PrincipalAccount': state.account, 'aws:PrincipalType': 'AssumedRole',
            'aws:RequestedRegion': context['ec2:Region'] || state.region, 'aws:SecureTransport': 'true', ...context,
          },
        },
        identityPolicies: role.policies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...kms,
      }, {});
      report.counts.requests++;
      const got = result.resultType === 'error' ? 'error' : result.overallResult;
      const what = `${action} on ${resource}`;
      if (verbose) process.stderr.write(`${TOOL}: ${role.name}: ${what}: ${got} (expected ${expect === 'allow' ? 'Allowed' : 'denied'})\n`);
      if (got === 'error') report.problems.push(`${where}: ${role.name}: cannot simulate ${what}: ${JSON.stringify(result.errors)}`);
      else if (expect === 'allow' && got !== 'Allowed') report.problems.push(`${where}: ${role.name}: DENIED ${what} (needed: ${why})`);
      else if (expect === 'deny' && got === 'Allowed') report.problems.push(`${where}: ${role.name}: ALLOWED ${what} (should be denied: ${why})`);
    }
  }
}

async function main(argv) {
  const opts = parseArgs(argv, TOOL);
  const sim = loadEngine(opts.vendor);
  if (!sim) {
    process.stderr.write(`${TOOL}: skipped: the vendored @cloud-copilot/iam-simulate is absent from ${opts.vendor} (../shared is not checked out)\n`);
    return 3;
  }
  const report = { problems: [], counts: { volumes: 0, requests: 0 } };
  for (const dir of opts.dirs) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a directory`);
    for (const s of findStates(dir)) await judgeState(loadState(s), sim, report, opts.verbose);
  }
  const c = report.counts;
  const plural = (n, w) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const lines = [...report.problems, `${TOOL}: ${plural(c.volumes, 'volume')}, ${plural(c.requests, 'request')} simulated, `
    + `${plural(report.problems.length, 'problem')}`];
  process.stdout.write(lines.map((l) => `${l}\n`).join(''));
  return report.problems.length ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, (e) => {
  process.stderr.write(`${TOOL}: ${e instanceof UsageError ? e.message : `internal error: ${e && e.stack}`}\n`);
  process.exitCode = 2;
});
