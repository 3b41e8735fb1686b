// explain_iam.c: `ecsc lint --iam`: every derived IAM statement with the
// line that caused it, as text for a reviewer, or as one JSON document (the
// policies as AWS reads them) for golden tests.
#include "emit.h"

#include <jansson.h>


static json_t *json_str(Str s) {
  return json_stringn(s.ptr, (size_t)s.len);
}

static json_t *json_strs(const Str *v, int n) {
  json_t *arr = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(arr, json_str(v[i]));
  return arr;
}

static void json_condition(json_t *cond, Condition *c) {
  json_t *keys = json_object_getn(cond, c->op.ptr, (size_t)c->op.len);
  if (!keys) {
    keys = json_object();
    json_object_setn_new(cond, c->op.ptr, (size_t)c->op.len, keys);
  }
  json_object_setn_new(keys, c->key.ptr, (size_t)c->key.len, json_strs(c->values, c->nvalues));
}

// The policy document as AWS reads it, and as the emitters write it; null
// when the role has no statement (IAM refuses an empty policy, so none is
// attached).
static json_t *policy_json(Policy *p) {
  if (!p->n)
    return json_null();
  json_t *doc = json_object();
  json_object_set_new(doc, "Version", json_string("2012-10-17"));
  json_t *list = json_array();
  for (int i = 0; i < p->n; i++) {
    Statement *s = &p->statements[i];
    json_t *st = json_object();
    json_object_set_new(st, "Sid", json_str(s->sid));
    json_object_set_new(st, "Effect", json_string("Allow"));
    json_object_set_new(st, "Action", json_strs(s->actions, s->nactions));
    json_object_set_new(st, "Resource", json_strs(s->resources, s->nresources));
    if (s->nconditions) {
      json_t *cond = json_object();
      for (int k = 0; k < s->nconditions; k++)
        json_condition(cond, &s->conditions[k]);
      json_object_set_new(st, "Condition", cond);
    }
    json_array_append_new(list, st);
  }
  json_object_set_new(doc, "Statement", list);
  return doc;
}

static json_t *role_json(Str role, Policy *p) {
  json_t *obj = json_object();
  json_object_set_new(obj, "role", json_str(role));
  json_object_set_new(obj, "policy", policy_json(p));
  return obj;
}

static void explain_json(Model *m, Buf *out) {
  json_t *root = json_object();
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    json_t *env = json_object(), *clusters = json_object(), *services = json_object();
    for (int k = 0; k < e->nclusters; k++) {
      Cluster *cl = e->clusters[k];
      if (!model_has_instances(cl) && !cl->ngroups)
        continue;  // Fargate only: no instance role
      json_object_setn_new(clusters, cl->name.ptr, (size_t)cl->name.len,
                           role_json(cl->instance_role, &cl->instance_policy));
    }
    for (int k = 0; k < e->nservices; k++) {
      Service *svc = e->services[k];
      json_t *roles = json_object();
      json_object_set_new(roles, "execution_role", role_json(svc->exec_role, &svc->exec_policy));
      json_object_set_new(roles, "task_role", role_json(svc->task_role, &svc->task_policy));
      if (svc->ebs)
        json_object_set_new(roles, "infrastructure_role",
                            role_json(svc->infra_role, &svc->infra_policy));
      if (svc->lb_role.len)  // a traffic-shifting deployment's behind the load balancer
        json_object_set_new(roles, "load_balancer_role", role_json(svc->lb_role, &svc->lb_policy));
      json_object_setn_new(services, svc->name.ptr, (size_t)svc->name.len, roles);
    }
    json_object_set_new(env, "clusters", clusters);
    json_object_set_new(env, "services", services);
    json_object_setn_new(root, e->name.ptr, (size_t)e->name.len, env);
  }
  buf_put(out, jsonout_dump(out->arena, root));
}

static void join(Buf *out, const Str *v, int n) {
  for (int i = 0; i < n; i++)
    buf_printf(out, "%s%.*s", i ? ", " : "", S(v[i]));
}

static void explain_role(Compilation *c, Buf *out, Environment *e, Str role, const char *what,
                         Str owner, Policy *p) {
  buf_printf(out, "%.*s: role \"%.*s\" (%s \"%.*s\")\n", S(e->name), S(role), what, S(owner));
  if (!p->n)
    buf_puts(out, "  no statements: nothing calls for any\n");
  for (int i = 0; i < p->n; i++) {
    Statement *s = &p->statements[i];
    buf_puts(out, "  Allow ");
    join(out, s->actions, s->nactions);
    buf_puts(out, " on ");
    join(out, s->resources, s->nresources);
    for (int k = 0; k < s->nconditions; k++) {
      Condition *cs = &s->conditions[k];
      buf_printf(out, " %s %.*s %.*s = ", k == 0 ? "when" : "and", S(cs->op), S(cs->key));
      join(out, cs->values, cs->nvalues);
    }
    buf_putc(out, '\n');
    if (s->because.src) {
      LineCol lc = source_linecol(&c->arena, s->because.src, s->because.start);
      buf_printf(out, "    because %.*s:%d: %s\n", S(s->because.src->path), lc.line, s->why);
    }
  }
}

void explain_iam(Compilation *c, Model *m, Buf *out, bool json) {
  if (json) {
    explain_json(m, out);
    return;
  }
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    for (int k = 0; k < e->nclusters; k++) {
      Cluster *cl = e->clusters[k];
      if (!model_has_instances(cl) && !cl->ngroups)
        continue;  // Fargate only: no instance role
      explain_role(c, out, e, cl->instance_role, "instance role of cluster", cl->name,
                   &cl->instance_policy);
    }
    for (int k = 0; k < e->nservices; k++) {
      Service *svc = e->services[k];
      explain_role(c, out, e, svc->exec_role, "task execution role of service", svc->name,
                   &svc->exec_policy);
      explain_role(c, out, e, svc->task_role, "task role of service", svc->name,
                   &svc->task_policy);
      if (svc->ebs)
        explain_role(c, out, e, svc->infra_role, "infrastructure role of service", svc->name,
                     &svc->infra_policy);
      if (svc->lb_role.len)
        explain_role(c, out, e, svc->lb_role, "load balancer role of service", svc->name,
                     &svc->lb_policy);
    }
  }
}

