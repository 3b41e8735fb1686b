// rebuild_discovery.c: a Service Connect discovery name that moves from one
// service's state to another's in one build (E1160), judged against the
// previous build's states in DIR of the service states this build changes,
// adds or removes, as rebuild_priorities.c judges a listener rule priority:
// output.c hands those over (OutOptions.changing_states) once it has
// compared every state, before anything is written. Writes nothing.
//
// Those states are the only ones that matter: the discovery name is written
// in a service's main.tf.json (emit_tf_service.c, service_connect_configuration), so
// a service that takes a name it did not serve has a new state, and one
// that gives it up serves another now (a new state) or is removed (a state
// the build removes: one DIR's manifest lists and the tree no longer has).
// A state left as it is serves what it served. So a rebuild reads the
// previous states of the services it changes, where reading every serving
// service's parsed up to the 10,000 states of a platform of 10 environments
// of 1000 services on every build and build --check. (A discovery name that
// changes changes every Service Connect task definition of its environment,
// whose label ecsc.service-connect.endpoints digests the namespace's
// endpoints, emit_taskdef.c: that rebuild reads them all, as before; one
// that changes no endpoint reads none of them.)
//
// Why a moved name fails: ECS makes a Cloud Map service of each served discovery name
// (ECS Developer Guide, "Service Connect concepts", discovery name: "This
// name is used to create a AWS Cloud Map service") and takes no second ECS
// service of the name while the first holds it: ServiceConnectService,
// discoveryName, "must be unique within the Cloud Map namespace", refused
// at CreateService as "SC service is already used by arn:...:namespace/..."
// (InvalidParameterException, aws/copilot-cli issues 4313, 4337 and 5431,
// where AWS's maintainers trace it to an update that replaces the ECS
// service, the new one made while the old one still holds the name).
//
// What happens to that Cloud Map service when its ECS service is deleted
// AWS does not document: the Developer Guide says only that "Service
// Connect doesn't delete namespaces when clusters are deleted". The name is
// free again once the service is gone: AWS's notice quoted in
// aws/copilot-cli issue 4339 calls a service that "cannot be recreated
// after deletion" an issue (of Service Connect with the deployment circuit
// breaker, since fixed). So a name given up by one build can be taken by the
// next; within one build it cannot, reliably: build --changed=json applies
// the states a build adds before it destroys a removed one, and the others
// by path (emit_changes.c), so the one that takes the name may be applied
// before the one that gives it up, and a deleted service drains before it
// is gone (DeleteService: "the service status moves from ACTIVE to
// DRAINING").
#include "rebuild.h"

typedef struct {
  Str service;  // the previous build's service state (ENV/services/NAME)
  Str name;     // the discovery name it served, {0}: none
} OldEndpoint;

// A nested block as Terraform's JSON syntax takes it: an object, or a list
// of them (emit_tf_service.c writes service_connect_configuration as the one and
// its service as the other); the first.
static json_t *first_block(json_t *v) {
  return json_is_array(v) ? json_array_get(v, 0) : v;
}

// The discovery name a service's state served in the previous build, {0}
// for none, copied out of the state (which previous_read_changing lets go
// once every check has it).
static Str served_name(Arena *a, json_t *state) {
  json_t *sc = first_block(previous_at(state, "resource", "aws_ecs_service", "main",
                                       "service_connect_configuration", NULL));
  json_t *served = first_block(previous_member(sc, "service"));
  return str_dup(a, previous_text(previous_member(served, "discovery_name")));
}

// One environment's check: the names its changing states served, as
// previous_read_changing hands them over (main.c, states_changing), judged
// once all it needs are read.
typedef struct {
  Arena *a;
  const ChangingStates *cs;
  bool on;      // the environment has a Service Connect namespace
  bool all;     // a service takes a name its state did not serve: every name is needed
  Str *served;  // served[k]: state k's name in the previous build, once read
} Discovery;

// Whether this build's service s serves a name that its previous state,
// which served served, did not.
static bool takes_name(const Service *s, Str served) {
  return s && model_connect_serves(s) && !str_eq(served, s->connect->discovery_name);
}

// The states of the serving services, whose names may be new; every one's
// once a name is: those given up are the ones it may take.
static bool discovery_wants(void *ctx, int k) {
  Discovery *d = ctx;
  const Service *s = d->cs->states[k].svc;
  return d->on && (d->all || (s && model_connect_serves(s)));
}

static void discovery_take(void *ctx, int k, json_t *state) {
  Discovery *d = ctx;
  if (!d->on)
    return;
  d->served[k] = served_name(d->a, state);
  d->all |= takes_name(d->cs->states[k].svc, d->served[k]);
}

static const Service *service_named(const Environment *e, Str name) {
  for (int i = 0; i < e->nservices; i++)
    if (str_eq(e->services[i]->name, name))
      return e->services[i];
  return NULL;
}

static void report_moved(Compilation *c, const Environment *e, const Service *to,
                         const OldEndpoint *from) {
  const Connect *cn = to->connect;
  const Service *still = service_named(e, from->service);
  Diag *d = diag_at(c, E1160, span_or(cn->at.discovery_name, cn->span), "discovery name "
                    "\"%.*s\" of service \"%.*s\" in environment \"%.*s\" was service "
                    "\"%.*s\"'s in the previous build: ECS takes no second service of the name "
                    "while the first holds it, and this build's states may be applied in either "
                    "order", S(cn->discovery_name), S(to->name), S(e->name), S(from->service));
  if (still)
    diag_note(c, d, span_or(still->connect ? still->connect->span : (Span){0}, still->span),
              "service \"%.*s\" holds \"%.*s\" until its state is applied and its tasks "
              "replaced", S(still->name), S(from->name));
  else
    diag_note(c, d, (Span){0}, "service \"%.*s\", removed from the source, holds \"%.*s\" "
              "until its state (%.*s/services/%.*s in the previous build) is destroyed",
              S(from->service), S(from->name), S(e->name), S(from->service));
  diag_help(c, d, "move the name in two builds: first give \"%.*s\" another discovery_name, "
            "build and apply (the state of \"%.*s\" %s); then give \"%.*s\" to \"%.*s\"",
            S(to->name), S(from->service), still ? "gives the name up" : "is destroyed",
            S(from->name), S(to->name));
}

// The previous build's discovery names of the changing states whose
// services no longer serve them: removed from the source, or serving
// another name now. Looked at only when a service takes a name it did not
// serve before (then every state's name was read).
static OldEndpoint *names_given_up(const Discovery *d, int *n) {
  const ChangingStates *cs = d->cs;
  OldEndpoint *old = new(d->a, OldEndpoint, cs->n + 1);
  *n = 0;
  for (int k = 0; k < cs->n; k++) {
    const Service *s = cs->states[k].svc;
    Str name = d->served[k];
    bool kept = s && model_connect_serves(s) && str_eq(s->connect->discovery_name, name);
    if (name.len && !kept)
      old[(*n)++] = (OldEndpoint){cs->states[k].name, name};
  }
  return old;
}

static void discovery_judge(Compilation *c, void *ctx) {
  Discovery *d = ctx;
  const Environment *e = d->cs->e;
  if (!d->all)
    return;  // no service takes a name it did not serve
  int nold = 0;
  OldEndpoint *old = NULL;
  for (int i = 0; i < e->nservices; i++) {
    const Service *s = e->services[i];
    int k = d->cs->state_of[i];
    if (k < 0 || !takes_name(s, d->served[k]))
      continue;  // a state left as it is keeps its name
    if (!old)
      old = names_given_up(d, &nold);
    for (int j = 0; j < nold; j++)
      if (!str_eq(old[j].service, s->name) && str_eq(old[j].name, s->connect->discovery_name))
        report_moved(c, e, s, &old[j]);
  }
}

ChangingCheck rebuild_discovery_states(Arena *a, const ChangingStates *cs) {
  Discovery *d = new(a, Discovery, 1);
  *d = (Discovery){.a = a, .cs = cs, .on = model_connect_namespace(cs->e),
                   .served = new(a, Str, cs->n + 1)};
  return (ChangingCheck){d, discovery_wants, discovery_take, discovery_judge};
}
