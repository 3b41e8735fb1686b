// rebuild.h: the checks of a rebuild, this build against the previous one
// in DIR (the files the last ecsc build wrote there, as it wrote them):
// what applying this build deletes while the previous build's services
// still use it, what a changed state's apply cannot carry out as written,
// what one state's change does to another's, and what the apply loses or
// replaces without failing. previous.c reads DIR; the rebuild_*.c files
// judge, and write nothing. They come after emit in the pipeline (resolve
// -> derive -> check -> emit -> rebuild, tests/layers.sh): they hold the
// model, and what emit makes of it, against what the previous build wrote;
// main.c runs them before anything is written (previous_build_checks, and
// output.c's OutOptions.changing and changing_states).
#ifndef ECSC_REBUILD_H
#define ECSC_REBUILD_H

#include "emit.h"

// previous.c: the previous build's files in DIR. previous_state parses
// DIR/rel (NULL when it is missing or not JSON); previous_member is o's
// member key (NULL when o is no object); previous_text a string's text ({0}
// otherwise); previous_ref NAME of "${TYPE.NAME.ATTR}", pre "${TYPE." and
// post ".ATTR}" ({0} otherwise); previous_at the member of a member ... at
// the keys given, NULL-terminated.
json_t *previous_state(Arena *a, const char *dir, Str rel);
json_t *previous_member(json_t *o, const char *key);
json_t *previous_at(json_t *o, ...) __attribute__((sentinel));
Str previous_text(json_t *v);
Str previous_ref(Str s, const char *pre, const char *post);
Str previous_made_from(json_t *resource);  // the "//" after "from ", {0} for none
// A service state of the previous build in DIR: of a service of this build
// (svc), or of one gone from the source (svc NULL, name its directory's).
typedef struct {
  const Service *svc;
  Str name;
} PreviousService;
// e's service states in DIR: previous_services lists this build's services
// first, in their order (whether or not DIR holds a state of each), then
// the removed ones (svc NULL), by name; previous_service_state parses one
// (NULL: none).
typedef struct {
  PreviousService *items;
  int n;
} PreviousServices;
PreviousServices previous_services(Arena *a, const Environment *e, const char *dir);
// DIR's environments this build no longer has, sorted.
Str *previous_removed_environments(Arena *a, const Model *m, const char *dir, int *n);
// The service states of environment env in DIR, every one, sorted.
Str *previous_environment_services(Arena *a, const char *dir, Str env, int *n);
// Environment env's VPC state in DIR, or one of its service states, parsed
// (NULL: none).
json_t *previous_vpc_state(Arena *a, const char *dir, Str env);
json_t *previous_service_state(Arena *a, const char *dir, Str env, Str service);
// The service states of e among those the build changes, adds or removes
// (OutOptions.changing_states), in previous_services' order, listed once
// per environment for the checks judged on them.
typedef struct {
  const Environment *e;
  PreviousService *states;
  int n;
  int *state_of;  // state_of[i]: e->services[i]'s index in states, -1: not among them
} ChangingStates;
ChangingStates *previous_changing_services(Arena *a, const Environment *e,
                                           const Changes *states_changed);
// A check judged on an environment's changing states, which it reads
// through previous_read_changing: wants(ctx, k), whether it needs state k
// (asked while k is unread, again after each state read); take(ctx, k,
// state), state k parsed (NULL: none), handed to every check once, whether
// it wanted it or not; judge(c, ctx), its diagnostics, once all are read.
typedef struct {
  void *ctx;
  bool (*wants)(void *ctx, int k);
  void (*take)(void *ctx, int k, json_t *state);
  void (*judge)(Compilation *c, void *ctx);
} ChangingCheck;
// Parses each previous state of cs that one of the checks wants, once, and
// hands it to all of them.
void previous_read_changing(const char *dir, const ChangingStates *cs, ChangingCheck *checks,
                            int n);
// rebuild_retire.c: what the previous build in DIR made and this one deletes,
// held against the services that still use it: capacity providers (E0880,
// and E0881, the order Terraform deletes them in; FARGATE and FARGATE_SPOT,
// E1230), the Service Connect namespace (E1051, and E1052 when a new name
// replaces it), clusters (E1162); reads DIR, writes nothing.
//
// These checks against the previous build take one environment at a time
// (_env), with its previous VPC state read once for all of them (NULL when
// DIR holds no build of it), and an environment DIR has and this build
// does not (_gone_env); main.c runs them in this order. Each allocates
// what it reads in a. Those that look at the environment's service states
// take them listed once too (all: previous_services, listed when vpc is
// not NULL).
void rebuild_retire_env(Compilation *c, Arena *a, const Model *m, const Environment *e,
                        const char *dir, json_t *vpc, const PreviousServices *all);
void rebuild_retire_gone_env(Compilation *c, const Model *m, Str name, json_t *vpc);
// rebuild_retire_network.c: what the VPC state replaces or deletes under the
// previous build's services' security groups and tasks (E1231, E1232,
// W1231).
void rebuild_retire_network(Compilation *c, Arena *a, const Environment *e, const char *dir,
                            json_t *vpc, const PreviousServices *all);
// rebuild_retire_params.c: a plain parameter the VPC state deletes (a new path,
// or removed) while this build's services read it in their previous
// revisions (E1235), or deletes as it is made secure or external (W1235);
// one it cannot create, made plain at a name that exists (W1236); one
// renamed at a kept name, made and deleted in no order (W1237).
void rebuild_retire_params(Compilation *c, Arena *a, const Model *m, const Environment *e,
                           const char *dir, json_t *vpc);
// E1234, the load balancer it deletes with deletion protection on: for an
// environment of this build (e), or one gone from it (e NULL, name its
// directory's).
void rebuild_retire_network_protected_lb(Compilation *c, const Model *m, const Environment *e,
                                         Str name, json_t *vpc);
// rebuild_listeners.c: a certificate added or removed, against the previous
// build in DIR (E1221-E1223); whether --changed applies the environment's
// VPC state after its service states.
bool rebuild_listeners_env(Compilation *c, Arena *a, const Model *m, const Environment *e,
                           json_t *vpc);
// rebuild_costs.c: what applying this build loses or replaces that the
// source does not show, against the previous build in DIR: a removed
// service's logs (W1232), a cluster's instances of another architecture
// under its services (W1233), every instance for new tags (W1234).
void rebuild_costs_env(Compilation *c, Arena *a, const Model *m, const Environment *e,
                       const char *dir, json_t *vpc, const PreviousServices *all);
void rebuild_costs_gone_env(Compilation *c, Arena *a, const Model *m, Str name,
                            const char *dir);
// W1233 (a cluster's architecture changed under its services), judged on
// an environment's changing states (main.c's OutOptions.changing_states).
ChangingCheck rebuild_costs_states(Arena *a, const ChangingStates *cs);
// rebuild_nat.c: what a change of nat does to the private subnets that no
// order of the VPC state's apply avoids (W1240, W1241); reads DIR, writes
// nothing.
void rebuild_nat_env(Compilation *c, Arena *a, const Environment *e, json_t *vpc);
// rebuild_priorities.c: a listener rule priority that moves between service
// states in one build (E1233), and a renamed route's new rule before its
// old one (W1230), judged from the previous states in DIR of an
// environment's service states the build changes (main.c's
// OutOptions.changing_states).
ChangingCheck rebuild_priorities_states(Arena *a, const ChangingStates *cs);
// rebuild_discovery.c: a Service Connect discovery name that moves between
// service states in one build (E1160), judged likewise, after
// rebuild_priorities_states.
ChangingCheck rebuild_discovery_states(Arena *a, const ChangingStates *cs);
// rebuild_update.c: what a changed service state does that its apply cannot
// carry out as written (E1180, E1190, W1161, W1170, W1171, W1190-W1192,
// W1211, W1212): an OutOptions.changing for output.c. changes: --changed's,
// or NULL.
void rebuild_update_service(Compilation *c, Str dir, const OutFile *f, Changes *changes);

#endif
