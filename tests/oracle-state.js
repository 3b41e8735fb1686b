// tests/oracle-state.js: what the IAM oracles (tests/firelens-oracle.js,
// tests/ebs-oracle.js) share: iam-check's IAM engine, loaded from its vendor
// directory, and a generated state read as iam-check reads it (its resources
// and data sources, provider account and region, task-definition.json).
'use strict';

const fs = require('fs');
const path = require('path');

const DEFAULT_ACCOUNT = '123456789012';

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

module.exports = { DEFAULT_ACCOUNT, loadEngine, isObj, asList, findStates, partitionOf, loadState };
