// rebuild_listeners.c: a certificate added to or removed from an environment's
// load balancer, held against the previous build in DIR: what the build
// refuses (E1221, E1222, E1223) and which environments' VPC states
// `build --changed` applies after their service states. Reads DIR, writes
// nothing.
//
// Each routed service has a rule per listener (emit_tf_service.c, listener_rules):
// without a certificate rule http forwards; with one rule https forwards and
// rule http, same priority, redirects to HTTPS. Changing the certificate
// changes every routed service's state, and its safe order:
//
//   - added: the VPC state first (it makes the HTTPS listener the rules
//     read), then the services, as every build orders them;
//   - removed: the services first, each turning its rule http back to
//     forwarding before it deletes its rule https, while the HTTPS listener
//     still exists; then the VPC state, which deletes that listener and its
//     default action's redirect. In the other order the VPC state deletes
//     the listener with every rule on it ("When you delete a listener, all
//     its rules are deleted", ELB User Guide, "Delete a listener rule"),
//     while rule http still redirects there: every route down until each
//     service state is applied (review6 A8).
//
// What that order cannot carry is refused, with the two builds to make:
//
//   E1221  a service that shifts traffic: its forwarding rule's action is
//          ECS's (ignore_changes, emit_tf_service.c): a new rule https forwards to
//          the first group whichever ECS left the tasks in (W1171's reason),
//          and on removal rule http would keep redirecting to the deleted
//          listener, Terraform ignoring its action;
//   E1222  a previous build with one rule per service (main) and one
//          listener output: its rule cannot become the new rules in one
//          apply (a listener rule's listener_arn is ForceNew,
//          internal/service/elbv2/listener_rule.go, and the replacement
//          would take a priority still in use on that listener: "A listener
//          can't have multiple rules with the same priority", ELB API
//          Reference, CreateRule), and the services applied first would
//          read an output the applied VPC state does not have;
//   E1223  a removal in the build that adds an output to the VPC state:
//          the services, applied first, may read it before it exists.
#include "rebuild.h"

#include <string.h>

typedef enum { MOVE_NONE, MOVE_TO_HTTPS, MOVE_TO_HTTP } ListenerMove;

// Whether the build adds or removes the HTTPS listener the previous VPC
// state made (emit_tf_vpc.c, listeners); none without a previous load balancer.
static ListenerMove listener_move(const Environment *e, json_t *vpc) {
  if (!e->alb || !previous_at(vpc, "resource", "aws_lb", "main", NULL))
    return MOVE_NONE;
  bool had = previous_at(vpc, "resource", "aws_lb_listener", "https", NULL) != NULL;
  bool has = e->alb->certificate_arn.len > 0;
  return had == has ? MOVE_NONE : has ? MOVE_TO_HTTPS : MOVE_TO_HTTP;
}

static Span move_at(const Environment *e, ListenerMove move) {
  return move == MOVE_TO_HTTPS ? span_or(e->alb->at.certificate_arn, e->alb->span) : e->alb->span;
}

static const char *move_verb(ListenerMove move) {
  return move == MOVE_TO_HTTPS ? "added to" : "removed from";
}

// The help of E1222 and E1223: a build with the certificate as it was
// first (with `what`, the other changes, or nothing more).
static void keep_certificate_help(Compilation *c, Diag *d, ListenerMove move, json_t *vpc,
                                  const char *what) {
  Str was = previous_text(previous_at(vpc, "resource", "aws_lb_listener", "https",
                                      "certificate_arn", NULL));
  if (move == MOVE_TO_HTTPS)
    diag_help(c, d, "build and apply %swithout certificate_arn first; then add it and build "
              "again", what);
  else
    diag_help(c, d, "build and apply %swith certificate_arn = \"%.*s\" first; then remove it "
              "and build again", what, S(was));
}

// E1221: a traffic-shifting service of the environment. The help's third
// build makes an existing rule's action ECS's again, which a plain apply
// does not carry to AWS: W1170 (rebuild_update.c) gives that build's steps.
static void shifting_services(Compilation *c, const Environment *e, ListenerMove move) {
  for (int i = 0; i < e->nservices; i++) {
    const Service *s = e->services[i];
    if (!s->route || !s->route->alternate_group.len)
      continue;
    const char *why = move == MOVE_TO_HTTPS
                          ? "its new rule on HTTPS would send all the traffic to the first "
                            "target group, which may not be the one its tasks are in"
                          : "its rule on HTTP leaves its action to ECS and would keep "
                            "redirecting to the HTTPS listener this build deletes";
    Diag *d = diag_at(c, E1221, move_at(e, move), "certificate %s the load balancer of "
                      "environment \"%.*s\" while service \"%.*s\" shifts its traffic (%s): %s",
                      move_verb(move), S(e->name), S(s->name),
                      model_strategy_names[s->deploy_strategy], why);
    if (s->strategy_at.src)
      diag_note(c, d, s->strategy_at, "the strategy is set here");
    diag_help(c, d, "in three builds: set strategy = \"rolling\" in service \"%.*s\", build "
              "and apply; change the certificate, build and apply; then set the strategy back, "
              "build, and apply by W1170's steps", S(s->name));
  }
}

// E1222: the previous build exported one listener, as builds before the
// rule per listener did.
static bool one_listener_before(Compilation *c, const Environment *e, ListenerMove move,
                                json_t *vpc) {
  if (previous_at(vpc, "output", "alb_http_listener_arn", NULL))
    return false;
  Diag *d = diag_at(c, E1222, move_at(e, move), "certificate %s the load balancer of "
                    "environment \"%.*s\" over a build with one listener rule per service: "
                    "that rule cannot become a rule on each listener in the same apply",
                    move_verb(move), S(e->name));
  keep_certificate_help(c, d, move, vpc, "");
  return true;
}

// The names of the VPC state's outputs this build writes.
static json_t *new_outputs(Arena *a, const Model *m, const Environment *e) {
  Emitter em = {.arena = a, .model = m};
  jsonout_arena_begin(a);  // as emit_bytes makes a file
  Str bytes = emit_tf_vpc(&em, e);
  jsonout_arena_end();
  return json_loadb(bytes.ptr, (size_t)bytes.len, 0, NULL);
}

// E1223: an output the removal's services-first order cannot wait for.
static void output_added(Compilation *c, Arena *a, const Model *m, const Environment *e,
                         json_t *vpc) {
  json_t *state = new_outputs(a, m, e);
  json_t *was = previous_member(vpc, "output");
  const char *name = NULL;
  json_t *v;
  json_object_foreach(previous_member(state, "output"), name, v) {
    if (!previous_member(was, name))
      break;
  }
  if (name) {
    Diag *d = diag_at(c, E1223, e->alb->span, "certificate removed from the load balancer of "
                      "environment \"%.*s\" in the build that adds output \"%s\" to its VPC "
                      "state: the removal applies the service states first, and they may read it "
                      "before it exists", S(e->name), name);
    keep_certificate_help(c, d, MOVE_TO_HTTP, vpc, "the other changes ");
  }
  json_decref(state);
}

bool rebuild_listeners_env(Compilation *c, Arena *a, const Model *m, const Environment *e,
                           json_t *vpc) {
  ListenerMove move = listener_move(e, vpc);
  if (move != MOVE_NONE) {
    shifting_services(c, e, move);
    if (!one_listener_before(c, e, move, vpc) && move == MOVE_TO_HTTP)
      output_added(c, a, m, e, vpc);
  }
  return move == MOVE_TO_HTTP;  // what --changed orders, when nothing is refused
}
