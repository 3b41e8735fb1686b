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
  sts:AssumeRole of the role by ecs.amazonaws.com, with no source keys (the
    guide's trust policy has no condition, and AWS documents none that ECS
    sets for this role) [ROLE]
  ec2:CreateVolume on volume/vol-... with the request tags AmazonECSCreated (a
    task's ARN) and AmazonECSManaged "true"; from snapshot_id, on its snapshot
  ec2:CreateTags on the volume with ec2:CreateAction CreateVolume and the tags
  ec2:DescribeVolumes, ec2:DescribeAvailabilityZones, ec2:DescribeInstances on
    "*" (R)
  ec2:AttachVolume, ec2:DetachVolume on the tagged volume, and on the task's
    host: with tasks on EC2 instances (requiresCompatibilities EC2) an
    instance of A, on Fargate an instance of an account of AWS [MP] [FARGATE]
  ec2:DeleteVolume on the tagged volume
  without kms_key_id, EBS encrypts with the account's default key [KMS],
    which the role may use only if it is AWS managed: the state must read it
    (data aws_kms_key, key_id the key_arn of a data aws_ebs_default_kms_key)
    with the postcondition ${self.key_manager == "AWS"}; with encrypted
    false, ${!data.aws_ebs_encryption_by_default.X.enabled || self.key_manager
    == "AWS"} will do (encryption by default encrypts it anyway). From an
    encrypted snapshot the snapshot's key encrypts it instead [SNAP]: key_id
    ${data.aws_ebs_snapshot.S.encrypted ? data.aws_ebs_snapshot.S.kms_key_id
    : data.aws_ebs_default_kms_key.X.key_arn}, S a data aws_ebs_snapshot of
    the volume's snapshot_id; with encrypted false the postcondition
    ${!(data.aws_ebs_encryption_by_default.X.enabled ||
    data.aws_ebs_snapshot.S.encrypted) || self.key_manager == "AWS"}
  with kms_key_id, what ECS and EC2 call with the role [KMS] [EBS]:
    kms:DescribeKey; kms:GenerateDataKeyWithoutPlaintext and kms:CreateGrant
    (kms:GrantIsForAWSResource) through EC2 (kms:ViaService
    ec2.R.amazonaws.com, kms:CallerAccount A, kms:EncryptionContextKeys
    aws:ebs:id); with a snapshot, kms:ReEncryptFrom and kms:ReEncryptTo
Must be denied:
  sts:AssumeRole by ecs-tasks.amazonaws.com;
  ec2:CreateVolume without ECS's tags, or in another region; from another
  snapshot; ec2:AttachVolume and ec2:DeleteVolume of a volume without ECS's
  tags; ec2:AttachVolume on an instance of another region, and with tasks on
  EC2 instances on an instance of another account; with kms_key_id, beyond
  the guide's grant: kms:Decrypt and kms:Encrypt (EC2 decrypts under its
  grant, not as the role), the data key without the EBS encryption context,
  through another service or for another account, without a snapshot
  kms:ReEncryptFrom, the key's grants without kms:GrantIsForAWSResource, and
  any use of another key.

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
          attached to Amazon ECS tasks", "Customer managed KMS key policy";
          its order of keys: the volume's, the cluster's, then EBS's default
          (the key of encryption by default, which encrypts even a volume
          with encrypted false)
  [SNAP]  Amazon EC2 User Guide, "Amazon EBS encryption", "Encrypt EBS
          resources": without a key, "the KMS key that is used for encryption
          depends on the encryption state of the source snapshot and its
          ownership"; the volume's key "encrypts ... the volumes that you
          restore from those encrypted snapshots", which are "always encrypted"
  [EBS]   Amazon EBS User Guide, "How Amazon EBS encryption works": EC2 sends
          GenerateDataKeyWithoutPlaintext and CreateGrant, then decrypts the
          data key under the grant
  [ROLE]  ECS Developer Guide, "Amazon ECS infrastructure IAM role",
          "Creating the Amazon ECS infrastructure role" (the trust policy)
  [FARGATE] the same guide: the role serves "Fargate or EC2 launch type"
          tasks; the Service Authorization Reference: ec2:AttachVolume
          requires the instance; the managed policy grants instance/* of any
          account (a Fargate host is AWS's)
*/


const TOOL = 'ebs-oracle';
const { isObj, asList, findStates, loadState } = require('./oracle-state');
const { ecsRole, judgeTrust, judgeRequests, run } = require('./oracle-role');
// Stand-ins for the names AWS makes at run time.
const VOLUME_ID = 'vol-0123456789abcdef0';
const INSTANCE_ID = 'i-0123456789abcdef0';
const TASK = 'task/ebs-oracle-cluster/0123456789abcdef0123456789abcdef';
const OTHER_SNAPSHOT = 'snap-0fedcba987654321f';
const OTHER_KEY = 'key/99999999-8888-7777-6666-555555555555';
// A Fargate task's host: an instance of an account of AWS, never the user's.
const AWS_ACCOUNT = '999988887777';

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
  for (const act of ['ec2:DescribeVolumes', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInstances']) {
    allow(act, '*', { 'ec2:Region': r }, 'the volume\'s lifecycle [MP]');
  }
  for (const act of ['ec2:AttachVolume', 'ec2:DetachVolume']) allow(act, volume, tagged, 'ECS attaches its volume [MP]');
  allow('ec2:DeleteVolume', volume, tagged, 'ECS deletes the volume with its task [MP]');
  const elsewhere = r === 'us-west-2' ? 'eu-west-1' : 'us-west-2';
  const host = ec2(`instance/${INSTANCE_ID}`, r, onInstances ? a : AWS_ACCOUNT);
  for (const act of ['ec2:AttachVolume', 'ec2:DetachVolume']) {
    allow(act, host, { 'ec2:Region': r }, onInstances ? 'the task\'s instance [MP]' : 'the Fargate task\'s host [FARGATE]');
  }
  deny('ec2:AttachVolume', ec2(`instance/${INSTANCE_ID}`, elsewhere, onInstances ? a : AWS_ACCOUNT),
    { 'ec2:Region': elsewhere }, 'an instance of another region');
  if (onInstances) {
    deny('ec2:AttachVolume', ec2(`instance/${INSTANCE_ID}`, r, AWS_ACCOUNT), { 'ec2:Region': r },
      'the tasks run on the account\'s instances');
  }
  if (vol.snapshot_id) {
    allow('ec2:CreateVolume', ec2(`snapshot/${vol.snapshot_id}`, r, ''), { 'ec2:Region': r }, 'the volume\'s snapshot [MP]');
  }
  deny('ec2:CreateVolume', ec2(`snapshot/${OTHER_SNAPSHOT}`, r, ''), { 'ec2:Region': r }, 'a snapshot the volume does not name');
  deny('ec2:CreateVolume', volume, { 'ec2:Region': r }, 'a volume without ECS\'s tags');
  deny('ec2:CreateVolume', ec2(`volume/${VOLUME_ID}`, elsewhere), { ...tags, 'ec2:Region': elsewhere }, 'another region');
  deny('ec2:AttachVolume', volume, { 'ec2:Region': r }, 'a volume ECS does not manage');
  deny('ec2:DeleteVolume', volume, { 'ec2:Region': r }, 'a volume ECS did not create');
  const key = vol.kms_key_id;
  if (key && vol.encrypted !== false) out.push(...keyRequests(state, key, vol.snapshot_id));
  return out;
}

// What ECS and EC2 call with the role on a customer managed key [KMS] [EBS],
// and what is beyond the guide's grant.
function keyRequests(state, key, fromSnapshot) {
  const { account: a, region: r } = state;
  const out = [];
  const allow = (action, res, ctx, why) => out.push([action, res, ctx, 'allow', why]);
  const deny = (action, res, ctx, why) => out.push([action, res, ctx, 'deny', why]);
  const via = { 'kms:ViaService': `ec2.${r}.amazonaws.com`, 'kms:CallerAccount': a, 'kms:EncryptionContextKeys': ['aws:ebs:id'] };
  const grant = { ...via, 'kms:GrantIsForAWSResource': 'true' };
  const otherKey = key.replace(/key\/.*$/, OTHER_KEY);
  allow('kms:DescribeKey', key, {}, 'ECS checks the volume\'s key [KMS]');
  allow('kms:GenerateDataKeyWithoutPlaintext', key, via, 'EC2 makes the new volume\'s data key [KMS] [EBS]');
  allow('kms:CreateGrant', key, grant, 'EC2 gets a grant to decrypt the data key [KMS] [EBS]');
  const reencrypt = ['kms:ReEncryptFrom', 'kms:ReEncryptTo'];
  if (fromSnapshot) for (const act of reencrypt) allow(act, key, via, 'a volume from a snapshot [KMS]');
  else deny('kms:ReEncryptFrom', key, via, 'a new, empty volume is not re-encrypted [KMS]');
  deny('kms:Decrypt', key, via, 'EC2 decrypts the data key under its grant, not as the role [EBS]');
  deny('kms:Encrypt', key, via, 'no call of EC2 for the volume');
  deny('kms:GenerateDataKeyWithoutPlaintext', key, { ...via, 'kms:EncryptionContextKeys': ['aws:s3:arn'] },
    'a data key for something else than an EBS volume');
  deny('kms:GenerateDataKeyWithoutPlaintext', key, { ...via, 'kms:ViaService': `s3.${r}.amazonaws.com` },
    'the key through another service');
  deny('kms:GenerateDataKeyWithoutPlaintext', key, { ...via, 'kms:CallerAccount': AWS_ACCOUNT }, 'another caller account');
  deny('kms:CreateGrant', key, { ...grant, 'kms:ViaService': `ssm.${r}.amazonaws.com` }, 'the key through another service');
  deny('kms:CreateGrant', key, via, 'a grant not for an AWS resource');
  for (const act of ['kms:DescribeKey', 'kms:GenerateDataKeyWithoutPlaintext']) {
    deny(act, otherKey, act === 'kms:DescribeKey' ? {} : via, 'a key the volume does not name');
  }
  deny('kms:CreateGrant', otherKey, grant, 'a key the volume does not name');
  return out;
}

// A volume without a key of its own is encrypted with the account's EBS
// default key [KMS], or from an encrypted snapshot with the snapshot's key
// [SNAP], which the role is granted nothing on: the plan must stop unless
// that key is AWS managed. Returns a problem, or null.
function defaultKeyGuard(state, vol) {
  if (vol.kms_key_id) return null;
  const norm = (c) => (typeof c === 'string' ? c.replace(/\s+/g, ' ').trim() : '');
  const ebd = Object.keys(state.data.aws_ebs_encryption_by_default || {});
  const defaults = Object.keys(state.data.aws_ebs_default_kms_key || {});
  // The snapshots the state reads that are the volume's.
  const snaps = Object.entries(state.data.aws_ebs_snapshot || {})
    .filter(([, b]) => asList(b.snapshot_ids).length === 1 && asList(b.snapshot_ids)[0] === vol.snapshot_id)
    .map(([n]) => n);
  const keys = [], holds = [];
  for (const d of defaults) {
    if (!vol.snapshot_id) {
      keys.push(`\${data.aws_ebs_default_kms_key.${d}.key_arn}`);
      holds.push('${self.key_manager == "AWS"}');
      if (vol.encrypted === false) {
        for (const n of ebd) holds.push(`\${!data.aws_ebs_encryption_by_default.${n}.enabled || self.key_manager == "AWS"}`);
      }
      continue;
    }
    for (const sn of snaps) {
      const snap = `data.aws_ebs_snapshot.${sn}`;
      keys.push(`\${${snap}.encrypted ? ${snap}.kms_key_id : data.aws_ebs_default_kms_key.${d}.key_arn}`);
      holds.push('${self.key_manager == "AWS"}');
      if (vol.encrypted === false) {
        for (const n of ebd) {
          holds.push(`\${!(data.aws_ebs_encryption_by_default.${n}.enabled || ${snap}.encrypted) || self.key_manager == "AWS"}`);
        }
      }
    }
  }
  for (const body of Object.values(state.data.aws_kms_key || {})) {
    if (!keys.includes(norm(body.key_id))) continue;
    const lc = isObj(body.lifecycle) ? body.lifecycle : asList(body.lifecycle)[0];
    const posts = asList(lc && lc.postcondition).filter(isObj);
    if (posts.some((pc) => holds.includes(norm(pc.condition)))) return null;
  }
  if (vol.snapshot_id) {
    return 'no managed_ebs_volume kms_key_id, and the plan does not prove the key of the volume from snapshot '
      + `${vol.snapshot_id} AWS managed (data aws_kms_key of the snapshot's kms_key_id when it is encrypted, `
      + 'else of a data aws_ebs_default_kms_key key_arn, postcondition self.key_manager == "AWS"): the snapshot\'s '
      + 'key, or a customer managed default key, would encrypt the volume through a role granted nothing on it [SNAP]';
  }
  return 'no managed_ebs_volume kms_key_id, and the plan does not prove the EBS default key AWS managed '
    + '(data aws_kms_key of a data aws_ebs_default_kms_key key_arn, postcondition self.key_manager == "AWS"): '
    + 'a customer managed default key would encrypt the volume through a role granted nothing on it [KMS]';
}

async function judgeState(state, sim, report, verbose) {
  for (const [svcName, svc] of Object.entries(state.resource.aws_ecs_service || {})) {
    const vc = isObj(svc.volume_configuration) ? svc.volume_configuration : asList(svc.volume_configuration)[0];
    const vol = vc && (isObj(vc.managed_ebs_volume) ? vc.managed_ebs_volume : asList(vc.managed_ebs_volume)[0]);
    if (!vol) continue;
    report.counts.volumes++;
    const where = `${state.file}: aws_ecs_service.${svcName}`;
    const role = ecsRole(state, vol.role_arn);
    if (!role || !role.policies.length) {
      report.problems.push(`${where}: role_arn ${vol.role_arn} names no role of the state with a policy it can read`);
      continue;
    }
    await judgeTrust(TOOL, sim, state, role, where, 'ECS assumes the role for the volume [ROLE]', report, verbose);
    const unguarded = defaultKeyGuard(state, vol);
    if (unguarded) report.problems.push(`${where}: ${unguarded}`);
    const compat = asList(state.taskDef && state.taskDef.doc.requiresCompatibilities);
    // A key's own policy must let IAM policies grant it, as the default key
    // policy does (iam-check simulates KMS keys so, as ecsc assumes).
    await judgeRequests(TOOL, sim, state, role, where, requests(state, vol, compat.includes('EC2')), report, verbose,
      (action) => (action.startsWith('kms:') ? { resourcePolicy: defaultKeyPolicy(state) } : {}));
  }
}

run(TOOL, judgeState, 'volume', findStates, loadState);
