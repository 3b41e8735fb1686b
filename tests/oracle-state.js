// tests/oracle-state.js: what the IAM oracles (tests/firelens-oracle.js,
// tests/ebs-oracle.js) share: their arguments, iam-check's IAM engine,
// loaded from its vendor directory, and a generated state read as iam-check
// reads it (its resources and data sources, provider account and region,
// task-definition.json, a role's policies as IAM JSON).
'use strict';

const fs = require('fs');
const path = require('path');

const DEFAULT_ACCOUNT = '123456789012';

class UsageError extends Error {}

// --verbose, --vendor DIR (iam-check's vendored engine) and the trees.
function parseArgs(argv, tool) {
  const o = { verbose: false, vendor: path.join(__dirname, '..', '..', 'shared', 'tools', 'vendor', 'iam'), dirs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '--vendor') o.vendor = argv[++i];
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else o.dirs.push(a);
  }
  if (!o.dirs.length) throw new UsageError(`usage: ${tool}.js [--verbose] [--vendor DIR] DIR...`);
  return o;
}


function loadEngine(vendor) {
  let resolved;
  try {
    resolved = require.resolve('@cloud-copilot/iam-simulate', { paths: [vendor] });
  } catch (e) {
    return null;
  }
  if (!resolved.startsWith(path.resolve(vendor) + path.sep)) return null;
  return require(resolved);
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const asList = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

function findStates(root) {
  const found = [];
  const walk = (dir) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    const tf = entries.filter((e) => e.isFile() && e.name.endsWith('.tf.json')).map((e) => path.join(dir, e.name));
    if (tf.length) found.push({ dir, tf });
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) walk(path.join(dir, e.name));
  };
  walk(root);
  return found;
}

function partitionOf(region) {
  if (/^cn-/.test(region)) return 'aws-cn';
  if (/^us-gov-/.test(region)) return 'aws-us-gov';
  return 'aws';
}

function loadState({ dir, tf }) {
  const state = { dir, resource: {}, data: {}, provider: {}, file: tf[0] };
  for (const file of tf) {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const kind of ['resource', 'data']) {
      for (const [type, byName] of Object.entries(doc[kind] || {})) {
        if (type === '//' || !isObj(byName)) continue;
        for (const [name, body] of Object.entries(byName)) {
          if (name === '//' || !isObj(body)) continue;
          (state[kind][type] = state[kind][type] || {})[name] = body;
        }
      }
    }
    if (isObj(doc.provider) && isObj(doc.provider.aws)) state.provider = doc.provider.aws;
  }
  const ids = asList(state.provider.allowed_account_ids);
  state.account = typeof ids[0] === 'string' ? ids[0] : DEFAULT_ACCOUNT;
  state.region = typeof state.provider.region === 'string' ? state.provider.region : 'us-east-1';
  state.partition = partitionOf(state.region);
  const td = path.join(dir, 'task-definition.json');
  state.taskDef = fs.existsSync(td) ? { file: td, doc: JSON.parse(fs.readFileSync(td, 'utf8')) } : null;
  return state;
}


// The interpolations ecsc writes in policies: the account, partition and
// region. "$${" and, in a policy document, "&{" stand for an IAM "${".
// Returns null when something else is left (the statement is not simulated).
function resolve(s, state, doc) {
  if (typeof s !== 'string') return s;
  let out = s.replace(/\$\{\s*data\.aws_caller_identity\.[\w-]+\.account_id\s*\}/g, state.account)
    .replace(/\$\{\s*data\.aws_partition\.[\w-]+\.(partition|id)\s*\}/g, state.partition)
    .replace(/\$\{\s*data\.aws_region\.[\w-]+\.(name|region|id)\s*\}/g, state.region);
  if (/(^|[^$])\$\{|%\{/.test(out)) return null;
  out = out.replace(/\$\$\{/g, '${');
  return doc ? out.replace(/&\{/g, '${') : out;
}

// aws_iam_policy_document NAME as IAM JSON; statements with interpolations
// the oracle cannot resolve are left out and counted in `unresolved`.
function documentPolicy(state, name, seen = new Set()) {
  const body = (state.data.aws_iam_policy_document || {})[name];
  if (!body || seen.has(name)) return null;
  seen.add(name);
  const result = { Statement: [], unresolved: 0 };
  const refs = (list) => asList(list).map((v) => /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(v))
    .filter(Boolean).map((m) => documentPolicy(state, m[1], seen)).filter(Boolean);
  const merge = (sts) => {
    for (const st of sts) {
      const at = st.Sid ? result.Statement.findIndex((x) => x.Sid === st.Sid) : -1;
      if (at >= 0) result.Statement[at] = st;
      else result.Statement.push(st);
    }
  };
  for (const p of refs(body.source_policy_documents)) merge(p.Statement);
  const own = [];
  for (const raw of asList(body.statement).filter(isObj)) {
    const st = statementJson(raw, state);
    if (st) own.push(st);
    else result.unresolved++;
  }
  merge(own);
  for (const p of refs(body.override_policy_documents)) merge(p.Statement);
  return result;
}

function statementJson(raw, state) {
  let ok = true;
  const r = (v) => {
    const got = resolve(v, state, true);
    if (got === null) ok = false;
    return got;
  };
  const st = { Effect: raw.effect || 'Allow' };
  if (raw.sid) st.Sid = raw.sid;
  const keys = [['actions', 'Action'], ['not_actions', 'NotAction'], ['resources', 'Resource'], ['not_resources', 'NotResource']];
  for (const [tf, iam] of keys) if (raw[tf] !== undefined && raw[tf] !== null) st[iam] = asList(raw[tf]).map(r);
  // principals blocks (a trust policy's): {type: [identifiers]}.
  for (const [tf, iam] of [['principals', 'Principal'], ['not_principals', 'NotPrincipal']]) {
    for (const pr of asList(raw[tf]).filter(isObj)) {
      const byType = (st[iam] = st[iam] || {});
      byType[pr.type] = [...(byType[pr.type] || []), ...asList(pr.identifiers).map(r)];
    }
  }
  const conds = asList(raw.condition).filter(isObj);
  if (conds.length) {
    st.Condition = {};
    for (const c of conds) {
      const byKey = (st.Condition[c.test] = st.Condition[c.test] || {});
      byKey[c.variable] = [...(byKey[c.variable] || []), ...asList(c.values).map(r)];
    }
  }
  return ok ? st : null;
}

// A role's policies: aws_iam_role_policy, inline_policy, and attachments of
// an aws_iam_policy of the state; any other attachment makes a denial "not
// conclusive" (a warning), as in iam-check.
function rolePolicies(state, tfName, role) {
  const policies = [];
  const doubts = [];
  const add = (value, where) => {
    const m = typeof value === 'string' && /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(value);
    let p = m ? documentPolicy(state, m[1]) : null;
    if (!m && typeof value === 'string' && value.trim().startsWith('{')) {
      const text = resolve(value, state, false);
      if (text !== null) p = { ...JSON.parse(text), unresolved: 0 };
    }
    if (!p) {
      doubts.push(`${where} is not read`);
      return;
    }
    if (p.unresolved) doubts.push(`${where} has statements the oracle cannot resolve`);
    policies.push({ name: where, policy: { Version: '2012-10-17', Statement: p.Statement } });
  };
  const names = new Set([`\${aws_iam_role.${tfName}.id}`, `\${aws_iam_role.${tfName}.name}`, role.name]);
  for (const ip of asList(role.inline_policy).filter(isObj)) add(ip.policy, `aws_iam_role.${tfName}.inline_policy`);
  for (const [n, rp] of Object.entries(state.resource.aws_iam_role_policy || {})) {
    if (names.has(rp.role)) add(rp.policy, `aws_iam_role_policy.${n}`);
  }
  for (const [, at] of Object.entries(state.resource.aws_iam_role_policy_attachment || {})) {
    if (!names.has(at.role)) continue;
    const m = /^\$\{aws_iam_policy\.([\w-]+)\.arn\}$/.exec(at.policy_arn || '');
    const local = m && (state.resource.aws_iam_policy || {})[m[1]];
    if (local) add(local.policy, `aws_iam_policy.${m[1]}`);
    else doubts.push(`managed policy ${at.policy_arn} is not in the tree`);
  }
  for (const arn of asList(role.managed_policy_arns)) doubts.push(`managed policy ${arn} is not in the tree`);
  return { policies, doubts };
}

module.exports = {
  DEFAULT_ACCOUNT, UsageError, parseArgs, loadEngine, isObj, asList, findStates, partitionOf, loadState, resolve,
  documentPolicy, rolePolicies,
};
