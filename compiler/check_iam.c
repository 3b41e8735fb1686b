// check_iam.c: judges every IAM statement against AWS's Service Authorization
// Reference (aws_iam_table.c, asked through aws_iam.c): the grants users
// declare and the statements derive_iam.c derived. An action must exist; each
// resource must be an ARN of a resource type the action takes (or "*" for an
// action with none); each condition key one the action, its resource types
// or the global aws: set defines. A grant that fails is the user's error
// (E0601-E0606); a derived statement that fails is ecsc's own bug, reported
// at the line behind it (E0607). "*" and "prefix:*" actions and "*"
// resources are warnings; a grant that repeats what the execution role
// already has is a note (W0601, W0602, N0601).
#include "aws_iam.h"
#include "model.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//
// Checking statements against AWS's Service Authorization Reference
// (aws_iam_table.c): every derived statement and every grant
//

// An action of a statement as the reference knows it.
typedef enum {
  ACT_FOUND,       // an action, or a pattern matching at least one
  ACT_ALL,         // "*" or "prefix:*": every action, so no resource check
  ACT_NO_SERVICE,  // unknown prefix
  ACT_NO_MATCH,    // a pattern that matches no action
  ACT_UNKNOWN,     // no such action
} ActStatus;

typedef struct {
  Str text;                  // as written: "logs:CreateLogStream", "s3:Get*"
  Str prefix, name;          // either side of the colon
  ActStatus status;
  const AwsIamService *svc;  // NULL for "*" and unknown prefixes
  int *actions;              // ACT_FOUND: the reference's actions it names
  int n;
} Act;

// IAM action names and service prefixes are case-insensitive.
static bool same_name(Str a, Str b) {
  if (a.len != b.len)
    return false;
  for (ptrdiff_t i = 0; i < a.len; i++)
    if (ascii_lower(a.ptr[i]) != ascii_lower(b.ptr[i]))
      return false;
  return true;
}

// IAM matches action names without regard to case, with * for any run of
// characters and ? for one (IAM User Guide, "IAM JSON policy elements:
// Action").
static Act action_lookup(Arena *a, Str text) {
  Act act = {.text = text, .status = ACT_ALL};
  if (str_eq_c(text, "*"))
    return act;
  const char *colon = memchr(text.ptr, ':', (size_t)text.len);
  ptrdiff_t at = colon ? colon - text.ptr : text.len;
  act.prefix = (Str){text.ptr, at};
  act.name = colon ? (Str){colon + 1, text.len - at - 1} : (Str){0};
  act.svc = aws_iam_service(act.prefix);
  if (!act.svc) {
    act.status = ACT_NO_SERVICE;
    return act;
  }
  if (str_eq_c(act.name, "*"))
    return act;
  bool pattern = memchr(act.name.ptr, '*', (size_t)act.name.len) ||
                 memchr(act.name.ptr, '?', (size_t)act.name.len);
  act.status = ACT_FOUND;
  if (!pattern) {
    int i = aws_iam_action(act.svc, act.name);
    if (i < 0) {
      act.status = ACT_UNKNOWN;
      return act;
    }
    act.actions = new(a, int, 1);
    act.actions[act.n++] = i;
    return act;
  }
  act.actions = new(a, int, act.svc->nactions);
  ArenaMark mark = arena_mark(a);
  for (int i = 0; i < act.svc->nactions; i++)
    if (str_glob(act.name, aws_iam_action_name(a, act.svc, i), true))
      act.actions[act.n++] = i;
  arena_rewind(a, mark);
  if (!act.n)
    act.status = ACT_NO_MATCH;
  return act;
}

// Whether act allows anything on resource r: "*" is every resource; else r
// must fit the ARN pattern of a resource type one of its actions takes
// (IAM User Guide, "Resources": an action without resource types takes "*"
// alone). The fits already known for r, by resource type, are in memo:
// the actions of a statement share their types (ecs:RegisterContainerInstance
// and four others act on the cluster).
typedef struct {
  int type;
  bool fits;
} Fit;

typedef struct {
  Fit *items;
  ptrdiff_t len, cap;
} FitMemo;

// What check_iam has asked the reference once, for every statement after: a
// platform of thousands of services derives the same actions and condition
// keys thousands of times (a fifth of lint's time, asked afresh), and the
// reference's answers do not change. Exact keys only: an action's text, a
// condition key with its action. (Resources are mostly each service's own:
// remembered, they saved under 1 % and cost 4 MB at 10 x 1000.) In an arena
// of its own, as check_policy rewinds the compilation's after every quiet
// statement.
typedef struct {
  Arena arena;
  Map *acts;  // action text -> Act
  Map *keys;  // condition key and action -> KEY_APPLIES or KEY_DOES_NOT
} IamMemo;

enum { KEY_APPLIES = 1, KEY_DOES_NOT };

// The slot of key in *m, added on a miss. An action is the model's text,
// which outlives the memo; a key built on the stack is copied.
static void **memo_slot(IamMemo *im, Map **m, Str key, bool copy) {
  void **slot = map_slot(m, key, NULL);
  return slot ? slot : map_slot(m, copy ? str_dup(&im->arena, key) : key, &im->arena);
}

static bool type_fits(Arena *a, FitMemo *memo, int type, Str r) {
  for (ptrdiff_t i = 0; i < memo->len; i++)
    if (memo->items[i].type == type)
      return memo->items[i].fits;
  bool fits = aws_iam_type_fits(a, type, r);
  *list_push(a, memo) = (Fit){type, fits};
  return fits;
}

static bool accepts(Arena *a, FitMemo *memo, Act *act, Str r) {
  if (act->status == ACT_ALL || str_eq_c(r, "*"))
    return true;
  for (int i = 0; i < act->n; i++)
    for (int k = 0; k < aws_iam_ntypes(act->svc, act->actions[i]); k++)
      if (type_fits(a, memo, aws_iam_type(act->svc, act->actions[i], k), r))
        return true;
  return false;
}

// action_lookup, once per action text.
static Act memo_action(IamMemo *im, Str text) {
  void **slot = memo_slot(im, &im->acts, text, false);
  if (!*slot) {
    Act *act = new(&im->arena, Act, 1);
    *act = action_lookup(&im->arena, text);
    *slot = act;
  }
  return *(Act *)*slot;
}

// aws_iam_global_key (action < 0) and aws_iam_key_applies, once per key and
// action.
static bool memo_key(IamMemo *im, const AwsIamService *svc, int action, Str key) {
  char buf[512];
  int n = snprintf(buf, sizeof buf, "%d %d %.*s", svc ? (int)(svc - aws_iam_services) : -1,
                   action, S(key));
  if (n < 0 || n >= (int)sizeof buf)  // no key of the reference is this long
    return action < 0 ? aws_iam_global_key(key) : aws_iam_key_applies(svc, action, key);
  void **slot = memo_slot(im, &im->keys, (Str){buf, n}, true);
  if (!*slot) {
    bool applies = action < 0 ? aws_iam_global_key(key) : aws_iam_key_applies(svc, action, key);
    *slot = (void *)(uintptr_t)(applies ? KEY_APPLIES : KEY_DOES_NOT);
  }
  return (uintptr_t)*slot == KEY_APPLIES;
}

// The service field of an ARN (arn:PARTITION:SERVICE:...), or {0}.
static Str arn_service(Str arn) {
  const char *p = memchr(arn.ptr, ':', (size_t)arn.len);
  const char *q = p ? memchr(p + 1, ':', (size_t)(arn.ptr + arn.len - p - 1)) : NULL;
  const char *r = q ? memchr(q + 1, ':', (size_t)(arn.ptr + arn.len - q - 1)) : NULL;
  return r ? (Str){q + 1, r - q - 1} : (Str){0};
}

// What the actions take, for a help line: "arn:...:log-stream:${LogStreamName}",
// three patterns at most, each once, and only those of the given ARN
// service when one is given; {0} when none.
static Str expected_patterns(Arena *a, Act *acts, int nacts, Str service) {
  Buf b = {.arena = a};
  Str shown[3];
  int n = 0, more = 0;
  for (int i = 0; i < nacts; i++) {
    for (int k = 0; acts[i].status == ACT_FOUND && k < acts[i].n; k++) {
      int np;
      Str *patterns = aws_iam_patterns(a, acts[i].svc, acts[i].actions[k], &np);
      for (int p = 0; p < np; p++) {
        if (service.len && !same_name(service, arn_service(patterns[p])))
          continue;
        bool seen = false;
        for (int j = 0; j < n; j++)
          seen |= str_eq(shown[j], patterns[p]);
        if (seen)
          continue;
        if (n < countof(shown))
          shown[n++] = patterns[p];
        else
          more++;
      }
    }
  }
  for (int i = 0; i < n; i++)
    buf_printf(&b, "%s%.*s", i == 0 ? "" : i + 1 == n && !more ? " or " : ", ", S(shown[i]));
  if (more)
    buf_printf(&b, " or %d more", more);
  return buf_str(&b);
}

// Where a statement's findings go: the elements of a grant, or, for a
// statement ecsc derived, the line that made ecsc derive it, as ecsc's own
// error (E0607).
typedef struct {
  Compilation *c;
  Grant *grant;   // NULL for a derived statement
  const Statement *st;  // the derived statement
  IamMemo *memo;
} Checker;

// help: NULL, or a text composed by diag_fmt.
__attribute__((format(printf, 3, 4))) static Diag *derived_error(Checker *k, const char *help,
                                                                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *what = diag_vfmt(&k->c->arena, fmt, ap);
  va_end(ap);
  Diag *d = diag_at(k->c, E0607, k->st->because,
                    "ecsc's derived IAM statement \"%.*s\" is wrong: %.1024s", S(k->st->sid), what);
  if (help)
    diag_help(k->c, d, "%.1024s", help);
  diag_help(k->c, d, "unless this line is wrong, this is a bug in ecsc: please report it");
  return d;
}

// Every action of a service as a grant names it: "logs:CreateLogStream".
static Str *qualified_names(Arena *a, const AwsIamService *svc, Str prefix) {
  Str *names = new(a, Str, svc->nactions);
  for (int i = 0; i < svc->nactions; i++)
    names[i] = str_fmt(a, "%.*s:%.*s", S(prefix), S(aws_iam_action_name(a, svc, i)));
  return names;
}

// An action the reference does not know, or a wildcard one: E0601, E0602
// and W0601 in a grant, E0607 in a derived statement.
static void check_action(Checker *k, Act *act, int i) {
  Compilation *c = k->c;
  Arena *a = &c->arena;
  Span at = k->grant ? k->grant->action_at[i] : (Span){0};
  Str action = act->text;
  Diag *d;
  switch (act->status) {
  case ACT_FOUND:
    return;
  case ACT_ALL:
    if (!k->grant)
      return;
    if (!act->svc) {
      d = diag_at(c, W0601, at, "grant of every action of every AWS service");
      diag_help(c, d, "name the actions the service calls, such as \"s3:GetObject\"");
      return;
    }
    d = diag_at(c, W0601, at, "grant of every \"%.*s\" action", S(act->prefix));
    diag_help(c, d, "name the actions the service calls, or a narrower pattern such as \"%.*s:Get*\"",
              S(act->prefix));
    return;
  case ACT_NO_SERVICE:
    if (!k->grant) {
      derived_error(k, NULL, "unknown AWS service prefix \"%.*s\" in action \"%.*s\"",
                    S(act->prefix), S(action));
      return;
    }
    d = diag_at(c, E0601, at, "unknown AWS service prefix \"%.*s\" in action \"%.*s\"",
                S(act->prefix), S(action));
    Str *prefixes = new(a, Str, aws_iam_nservices);
    for (int s = 0; s < aws_iam_nservices; s++)
      prefixes[s] = aws_iam_prefix(a, &aws_iam_services[s]);
    diag_did_you_mean(c, d, act->prefix, prefixes, aws_iam_nservices);
    return;
  case ACT_NO_MATCH:
    if (!k->grant) {
      derived_error(k, NULL, "IAM action pattern \"%.*s\" matches no action of \"%.*s\"",
                    S(action), S(act->prefix));
      return;
    }
    diag_at(c, E0602, at, "IAM action pattern \"%.*s\" matches no action of \"%.*s\"", S(action),
            S(act->prefix));
    return;
  case ACT_UNKNOWN:
    break;
  }
  if (!k->grant) {
    derived_error(k, NULL, "unknown IAM action \"%.*s\"", S(action));
    return;
  }
  d = diag_at(c, E0602, at, "unknown IAM action \"%.*s\"", S(action));
  int starts = 0;
  for (int x = 0; x < act->svc->nactions; x++) {
    Str name = aws_iam_action_name(a, act->svc, x);
    starts += name.len > act->name.len && same_name(act->name, (Str){name.ptr, act->name.len});
  }
  if (starts) {
    // "ec2:Describe": the start of many actions, none of them.
    diag_help(c, d, "\"%.*s\" begins %d action%s of \"%.*s\"; write \"%.*s*\" for all of them, or "
                    "name the ones the service calls", S(act->name), starts, starts == 1 ? "" : "s",
              S(act->prefix), S(action));
    return;
  }
  diag_did_you_mean(c, d, action, qualified_names(a, act->svc, act->prefix), act->svc->nactions);
}

// E0603/E0605 (E0607): an action that acts on none of the statement's
// resources.
static void no_resource(Checker *k, Act *act, int i, const Str *res, int nres) {
  Compilation *c = k->c;
  Arena *a = &c->arena;
  Str want = expected_patterns(a, act, 1, (Str){0});
  const char *on = nres == 1 ? diag_fmt(a, "\"%.*s\"", S(res[0])) : "any of the grant's resources";
  if (!want.len) {
    // No resource types: the action is authorized on "*" alone.
    const char *help = diag_fmt(a, "%.*s has no resource types in the Service Authorization "
                                   "Reference", S(act->text));
    if (!k->grant) {
      derived_error(k, diag_fmt(a, "%.1024s: it takes \"*\" alone", help),
                    "\"%.*s\" takes no resource ARN, found %.1024s", S(act->text), on);
      return;
    }
    Diag *d = diag_at(c, E0605, k->grant->action_at[i],
                      "IAM action \"%.*s\" takes no resource ARN, found %.1024s", S(act->text), on);
    diag_help(c, d, "%.1024s: write resources = [\"*\"] in a grant of its own", help);
    return;
  }
  const char *help = diag_fmt(a, "%.*s acts on %.1024s", S(act->text), want.ptr);
  if (!k->grant) {
    derived_error(k, help, "\"%.*s\" does not act on %.1024s", S(act->text), on);
    return;
  }
  Diag *d = diag_at(c, E0603, k->grant->action_at[i],
                    "IAM action \"%.*s\" does not act on %.1024s", S(act->text), on);
  diag_help(c, d, "%.1024s", help);
}

// Each resource is "*" or an ARN (E0606); each action must act on one of
// them (E0603, E0605), and each must be acted on by one of the actions
// (E0604), as IAM authorizes a request only when the statement matches both
// its action and its resource (IAM User Guide, "Policy evaluation logic").
static void check_resources(Checker *k, Act *acts, int nacts, const Str *res, int nres) {
  Compilation *c = k->c;
  Arena *a = &c->arena;
  Str *arns = new(a, Str, nres + 1);
  int *at = new(a, int, nres + 1);
  int narns = 0;
  for (int i = 0; i < nres; i++) {
    if (str_eq_c(res[i], "*") || aws_iam_is_arn(res[i])) {
      at[narns] = i;
      arns[narns++] = res[i];
      continue;
    }
    if (!k->grant) {
      derived_error(k, NULL, "resource \"%.*s\" is not an ARN", S(res[i]));
      continue;
    }
    Diag *d = diag_at(c, E0606, k->grant->resource_at[i],
                      "resource \"%.*s\" is not an ARN", S(res[i]));
    diag_help(c, d, "an ARN is arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, such as "
                    "arn:aws:s3:::orders/*; or \"*\" for every resource");
  }
  if (!narns)
    return;
  // takes[i * narns + r]: action i acts on resource r.
  FitMemo *memo = new(a, FitMemo, narns);
  bool *takes = new(a, bool, nacts * narns + 1);
  bool every = false;
  int specific = 0, failed = 0;
  for (int i = 0; i < nacts; i++) {
    every |= acts[i].status == ACT_ALL;
    if (acts[i].status != ACT_FOUND)
      continue;
    specific++;
    bool any = false;
    for (int r = 0; r < narns; r++)
      any |= takes[i * narns + r] = accepts(a, &memo[r], &acts[i], arns[r]);
    if (!any) {
      failed++;
      no_resource(k, &acts[i], i, arns, narns);
    }
  }
  // A resource no action takes, when some action took another (else the
  // action's error says it all).
  if (every || specific == failed)
    return;
  for (int r = 0; r < narns; r++) {
    bool taken = false;
    for (int i = 0; i < nacts; i++)
      taken |= takes[i * narns + r];
    if (taken)
      continue;
    Str service = arn_service(arns[r]);
    Str want = expected_patterns(a, acts, nacts, service);
    const char *whose = k->grant ? "grant" : "statement";
    const char *help =
        want.len ? diag_fmt(a, "the %s's actions act on %.1024s", whose, want.ptr)
                 : diag_fmt(a, "no action of the %s acts on a resource of \"%.*s\"", whose,
                            S(service));
    if (!k->grant) {
      derived_error(k, help, "no action of the statement acts on \"%.*s\"", S(arns[r]));
      continue;
    }
    Diag *d = diag_at(c, E0604, k->grant->resource_at[at[r]],
                      "no action of the grant acts on \"%.*s\"", S(arns[r]));
    diag_help(c, d, "%.1024s; give this resource a grant of its own, with the actions that act on "
                    "it", help);
  }
}

// Each condition key must be one every action of the statement defines (its
// own, or one of its resource types'), or a global key (IAM User Guide,
// "AWS global condition context keys"): IAM evaluates a key the request
// lacks as absent, so a wrong key makes a condition that never holds. Only
// derived statements have conditions.
static void check_conditions(Checker *k, Act *acts, int nacts) {
  Arena *a = &k->c->arena;
  for (int ci = 0; ci < k->st->nconditions; ci++) {
    Str key = k->st->conditions[ci].key;
    if (memo_key(k->memo, NULL, -1, key))
      continue;
    for (int i = 0; i < nacts; i++) {
      if (acts[i].status != ACT_FOUND)
        continue;
      bool applies = false;
      for (int x = 0; x < acts[i].n && !applies; x++)
        applies = memo_key(k->memo, acts[i].svc, acts[i].actions[x], key);
      if (applies)
        continue;
      int nkeys;
      Str *keys = aws_iam_action_keys(a, acts[i].svc, acts[i].actions[0], &nkeys);
      Buf b = {.arena = a};
      for (int x = 0; x < nkeys; x++)
        buf_printf(&b, "%s%.*s", x ? ", " : "", S(keys[x]));
      Str takes = nkeys ? buf_str(&b) : STR("no key of its own");
      derived_error(k,
                    diag_fmt(a, "%.*s takes %.1024s, or a global aws: key", S(acts[i].text),
                             takes.ptr),
                    "condition key \"%.*s\" does not apply to \"%.*s\"", S(key), S(acts[i].text));
    }
  }
}

// A derived statement: ecsc's own, so any finding is ecsc's bug (E0607).
static void check_statement(Compilation *c, IamMemo *im, const Statement *st) {
  Checker k = {.c = c, .st = st, .memo = im};
  Act *acts = new(&c->arena, Act, st->nactions + 1);
  for (int i = 0; i < st->nactions; i++) {
    acts[i] = memo_action(im, st->actions[i]);
    check_action(&k, &acts[i], i);
  }
  check_resources(&k, acts, st->nactions, st->resources, st->nresources);
  check_conditions(&k, acts, st->nactions);
}

void check_iam_statement(Compilation *c, const Statement *st) {
  IamMemo im = {0};
  check_statement(c, &im, st);
  arena_free(&im.arena);
}

// What a check allocates is dropped when it reported nothing (almost
// always): a platform of thousands of services keeps only its findings.
static void check_policy(Compilation *c, IamMemo *im, const Policy *p) {
  for (int i = 0; i < p->n; i++) {
    if (p->statements[i].literal)
      continue;  // a grant's, which check_grant judges at its own lines
    DiagMark mark = diag_mark(c);
    check_statement(c, im, &p->statements[i]);
    diag_rewind_if_quiet(c, mark);
  }
}

// A grant that gives the task role what the execution role already has: the
// agent injects the secrets and pulls the image itself, so the application
// rarely needs the same access. A note, since it may (reading a parameter at
// run time is a design some applications have).
static void check_repeat(Compilation *c, const Service *svc, Grant *g) {
  const Policy *p = &svc->exec_policy;
  for (int ai = 0; ai < g->nactions; ai++) {
    for (int ri = 0; ri < g->nresources; ri++) {
      for (int s = 0; s < p->n; s++) {
        Statement *st = &p->statements[s];
        for (int x = 0; x < st->nactions; x++) {
          if (!same_name(st->actions[x], g->actions[ai]))
            continue;
          for (int y = 0; y < st->nresources; y++) {
            if (!str_eq(st->resources[y], g->resources[ri]))
              continue;
            Diag *d = diag_at(c, N0601, g->action_at[ai],
                              "grant repeats the task execution role: %.*s on %.*s",
                              S(g->actions[ai]), S(g->resources[ri]));
            diag_note(c, d, st->because, "the task execution role has it because %s", st->why);
            diag_help(c, d, "the ECS agent uses the execution role before the application "
                            "starts; keep the grant only if the application calls %.*s itself",
                      S(g->actions[ai]));
            return;
          }
        }
      }
    }
  }
}

static void check_grant(Compilation *c, IamMemo *im, const Service *svc, Grant *g) {
  Checker k = {.c = c, .grant = g, .memo = im};
  Act *acts = new(&c->arena, Act, g->nactions + 1);
  for (int i = 0; i < g->nactions; i++) {
    acts[i] = memo_action(im, g->actions[i]);
    check_action(&k, &acts[i], i);
  }
  for (int i = 0; i < g->nresources; i++) {
    Str r = g->resources[i];
    if (str_eq_c(r, "*")) {
      Diag *d = diag_at(c, W0602, g->resource_at[i], "grant on every resource (\"*\")");
      diag_help(c, d, "name the ARNs the service uses; \"*\" is needed only for actions without "
                      "resource-level permissions (Service Authorization Reference)");
      continue;
    }
    // arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE. A "*" account is that
    // resource name in every account, anyone's.
    const char *p = r.ptr, *end = r.ptr + r.len;
    int field = 0;
    const char *account = NULL;
    for (; p < end && field < 5; p++)
      if (*p == ':' && ++field == 4)
        account = p + 1;
    if (account && account + 1 < end && account[0] == '*' && account[1] == ':') {
      Diag *d = diag_at(c, W0602, g->resource_at[i],
                        "grant on \"%.*s\" in every AWS account", S(r));
      diag_help(c, d, "write the account id; a grant that differs by environment goes in its "
                      "in \"ENV\" block");
    }
  }
  check_resources(&k, acts, g->nactions, g->resources, g->nresources);
  check_repeat(c, svc, g);
}

void check_iam(Compilation *c, const Model *m) {
  IamMemo im = {0};
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    for (int k = 0; k < e->nclusters; k++)
      check_policy(c, &im, &e->clusters[k]->instance_policy);
    for (int k = 0; k < e->nservices; k++) {
      Service *svc = e->services[k];
      check_policy(c, &im, &svc->exec_policy);
      check_policy(c, &im, &svc->task_policy);  // ECS Exec's, EFS's and FireLens's
      check_policy(c, &im, &svc->infra_policy);
      check_policy(c, &im, &svc->lb_policy);
      for (int g = 0; g < svc->ngrants; g++) {
        DiagMark mark = diag_mark(c);
        check_grant(c, &im, svc, &svc->grants[g]);
        diag_rewind_if_quiet(c, mark);
      }
    }
  }
  arena_free(&im.arena);
}
