#!/usr/bin/env node
'use strict';
/*
tests/deploy-oracle.js: judges the load balancer role of each ECS
blue/green, canary or linear deployment behind an Application Load Balancer
in ecsc's output by the requests ECS makes with it, which
../shared/tools/iam-check does not simulate (it checks the role's statements
only: actions, ARNs, condition keys).

usage: node tests/deploy-oracle.js [--verbose] [--vendor DIR] DIR...

Each DIR is searched recursively; every directory with *.tf.json files is a
state. For every aws_ecs_service whose load_balancer has an
advanced_configuration, its role_arn (a reference to an aws_iam_role of the
state) is the role; its policies are simulated with the engine iam-check
uses (runSimulation of @cloud-copilot/iam-simulate, vendored in
../shared/tools/vendor/iam) against the requests below. The target groups
are the state's aws_lb_target_group named by load_balancer.target_group_arn
and advanced_configuration.alternate_target_group_arn; the rule is the
aws_lb_listener_rule production_listener_rule names, with its Name tag; the
load balancer is the aws_lb of the environment's VPC state (../../vpc from
the service's state, as ecsc lays the tree out). What ECS asks for is what
AWS's managed policy for the role allows, statement by statement [MP], on
this service's resources.

Must be allowed (A: the state's account, R: its region; ids are stand-ins):
  sts:AssumeRole of the role by ecs.amazonaws.com, with no source keys (the
    guide's trust policy has no condition) [ROLE]
  elasticloadbalancing:DescribeListeners, DescribeRules,
    DescribeTargetGroups, DescribeTargetHealth on "*" (R) [MP]
  elasticloadbalancing:RegisterTargets, DeregisterTargets on each of the two
    target groups, targetgroup/NAME/ID [MP]
  elasticloadbalancing:ModifyRule on the production rule,
    listener-rule/app/LB/ID/ID/ID, with its tags [MP] [API]
Must be denied:
  sts:AssumeRole by ecs-tasks.amazonaws.com; RegisterTargets on another
  service's target group, and in another region; ModifyRule on another
  service's rule (another Name tag) and on a rule of another load balancer;
  ModifyListener on the load balancer's listener, which every service shares
  (ECS modifies a listener only for a Network Load Balancer [API]); the
  Describe calls from another region.

Output: one problem a line, "PATH: ROLE: DENIED|ALLOWED ACTION on ARN ...",
then "deploy-oracle: N services, M requests simulated, P problems". Exit 0
without problems, 1 with, 2 on usage errors, 3 when the vendored engine is
absent (../shared is not checked out: the caller skips).

Sources:
  [MP]   AWS managed policy AmazonECSInfrastructureRolePolicyForLoadBalancers
         v2 (2025-07-25), as zoph-io/MAMIP records it
  [ROLE] ECS Developer Guide, "Amazon ECS infrastructure IAM role for load
         balancers", "Creating the Amazon ECS infrastructure role for load
         balancers" (the trust policy)
  [API]  ECS API Reference, AdvancedConfiguration: productionListenerRule
         "identifies the production listener rule (in the case of an
         Application Load Balancer) or listener (in the case for an Network
         Load Balancer)"
*/

const fs = require('fs');
const path = require('path');

const TOOL = 'deploy-oracle';
const { isObj, asList, findStates, loadState } = require('./oracle-state');
const { ecsRole, judgeTrust, judgeRequests, run } = require('./oracle-role');
// Stand-ins for the ids AWS makes.
const LB_ID = '50dc6c495c0c9188';
const LISTENER_ID = 'f2f7dc8efc522ab2';
const RULE_ID = '9683b2d02a6cabee';
const TG_ID = '6d0ecf831eec9f09';

// ${TYPE.NAME.arn} -> the resource of the state, or null.
function named(state, type, ref) {
  const m = new RegExp(`^\\$\\{${type}\\.([\\w-]+)\\.arn\\}$`).exec(ref || '');
  const body = m && (state.resource[type] || {})[m[1]];
  return body ? { tfName: m[1], body } : null;
}

// The environment's load balancer: the aws_lb of ../../vpc.
function loadBalancerName(state) {
  const vpc = path.join(state.dir, '..', '..', 'vpc');
  if (!fs.existsSync(vpc)) return null;
  const found = findStates(vpc).map(loadState);
  for (const s of found) for (const lb of Object.values(s.resource.aws_lb || {})) if (typeof lb.name === 'string') return lb.name;
  return null;
}

// The requests of one service: [action, resource, context, expect, why].
function requests(state, lb, groups, ruleTags) {
  const { partition: p, account: a, region: r } = state;
  const elb = (res, region = r) => `arn:${p}:elasticloadbalancing:${region}:${a}:${res}`;
  const elsewhere = r === 'us-west-2' ? 'eu-west-1' : 'us-west-2';
  const ruleCtx = (tags) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
  const out = [];
  const allow = (action, res, ctx, why) => out.push([action, res, ctx, 'allow', why]);
  const deny = (action, res, ctx, why) => out.push([action, res, ctx, 'deny', why]);
  for (const act of ['DescribeListeners', 'DescribeRules', 'DescribeTargetGroups', 'DescribeTargetHealth']) {
    allow(`elasticloadbalancing:${act}`, '*', {}, 'ECS reads the rule and the groups\' health [MP]');
  }
  deny('elasticloadbalancing:DescribeRules', '*', { 'aws:RequestedRegion': elsewhere }, 'another region');
  for (const g of groups) {
    for (const act of ['RegisterTargets', 'DeregisterTargets']) {
      allow(`elasticloadbalancing:${act}`, elb(`targetgroup/${g}/${TG_ID}`), {}, 'ECS registers the new tasks [MP]');
    }
  }
  deny('elasticloadbalancing:RegisterTargets', elb(`targetgroup/deploy-oracle-other/${TG_ID}`), {},
    'another service\'s target group');
  deny('elasticloadbalancing:RegisterTargets', elb(`targetgroup/${groups[0]}/${TG_ID}`, elsewhere),
    { 'aws:RequestedRegion': elsewhere }, 'another region');
  const rule = elb(`listener-rule/app/${lb}/${LB_ID}/${LISTENER_ID}/${RULE_ID}`);
  allow('elasticloadbalancing:ModifyRule', rule, ruleCtx(ruleTags), 'ECS moves the rule\'s weights [MP] [API]');
  deny('elasticloadbalancing:ModifyRule', rule, ruleCtx({ ...ruleTags, Name: 'deploy-oracle-other' }),
    'another service\'s rule');
  deny('elasticloadbalancing:ModifyRule', elb(`listener-rule/app/deploy-oracle-other/${LB_ID}/${LISTENER_ID}/${RULE_ID}`),
    ruleCtx(ruleTags), 'a rule of another load balancer');
  deny('elasticloadbalancing:ModifyListener', elb(`listener/app/${lb}/${LB_ID}/${LISTENER_ID}`), {},
    'the listener every service shares: ECS modifies a listener only for a Network Load Balancer [API]');
  return out;
}

function groupName(state, ref) {
  const g = named(state, 'aws_lb_target_group', ref);
  return g && typeof g.body.name === 'string' ? g.body.name : null;
}

async function judgeState(state, sim, report, verbose) {
  for (const [svcName, svc] of Object.entries(state.resource.aws_ecs_service || {})) {
    for (const lbBlock of asList(svc.load_balancer)) {
      const adv = isObj(lbBlock.advanced_configuration) ? lbBlock.advanced_configuration : asList(lbBlock.advanced_configuration)[0];
      if (!adv) continue;
      report.counts.services++;
      const where = `${state.file}: aws_ecs_service.${svcName}`;
      const r = ecsRole(state, adv.role_arn);
      if (!r || !r.policies.length) {
        report.problems.push(`${where}: role_arn ${adv.role_arn} names no role of the state with a policy it can read`);
        continue;
      }
      const groups = [groupName(state, lbBlock.target_group_arn), groupName(state, adv.alternate_target_group_arn)];
      const rule = named(state, 'aws_lb_listener_rule', adv.production_listener_rule);
      const lb = loadBalancerName(state);
      if (groups.includes(null)) report.problems.push(`${where}: a target group is not a named aws_lb_target_group of the state`);
      if (!rule) report.problems.push(`${where}: production_listener_rule ${adv.production_listener_rule} is no aws_lb_listener_rule of the state`);
      if (!lb) report.problems.push(`${where}: no aws_lb with a name in the environment's VPC state (../../vpc)`);
      if (groups.includes(null) || !rule || !lb) continue;
      await judgeTrust(TOOL, sim, state, r, where, 'ECS assumes the role for the deployment [ROLE]', report, verbose);
      const tags = isObj(rule.body.tags) ? rule.body.tags : {};
      await judgeRequests(TOOL, sim, state, r, where, requests(state, lb, groups, tags), report, verbose);
    }
  }
}

run(TOOL, judgeState, 'service', findStates, loadState);
