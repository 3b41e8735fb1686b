// check_groups.c: the existing security groups a service adds to its tasks'
// own network interfaces (security_groups): awsvpc only, each named once,
// and no more than an interface of an awsvpc task may have with the group
// ecsc makes for it. Reports E1090-E1092.
#include "model.h"

// ECS API Reference, AwsVpcConfiguration: securityGroups, "There's a limit
// of 5 security groups that can be specified"; emit_tf.c gives the tasks
// the group it makes for them (aws_security_group.task) before these.
enum { GROUPS_PER_TASK = 5, GROUPS_OF_ECSC = 1 };

// A service's security groups go to its tasks' own interfaces, which only
// awsvpc tasks have (ECS API Reference, AwsVpcConfiguration, the awsvpc
// network configuration; ECS Developer Guide, "Allocate a network
// interface for an Amazon ECS task"); under bridge or host networking the
// tasks share the instance's interface and its groups.
static void groups_network(Compilation *c, const Service *s) {
  Diag *d = diag_at(c, E1090, s->security_groups_at, "security_groups on service \"%.*s\", "
                    "which has %s networking", S(s->name),
                    s->network == NET_HOST ? "host" : "bridge");
  check_network_mode_note(c, d, s);
  diag_help(c, d, "set network_mode = \"awsvpc\" (its tasks then have interfaces of their "
                  "own), or remove security_groups");
}

static void groups_limit(Compilation *c, const Service *s) {
  int n = s->nsecurity_groups + GROUPS_OF_ECSC;
  if (n <= GROUPS_PER_TASK)
    return;
  Diag *d = diag_at(c, E1091, s->security_groups_at, "%d security groups on the interfaces of "
                    "service \"%.*s\" in environment \"%.*s\": AWS allows %d", n, S(s->name),
                    S(s->env->name), GROUPS_PER_TASK);
  diag_note(c, d, s->span, "ecsc gives the tasks a group of their own beside the %d named",
            s->nsecurity_groups);
  diag_help(c, d, "name at most %d existing groups (merge the rules of some into one)",
            GROUPS_PER_TASK - GROUPS_OF_ECSC);
}

// The provider keeps network_configuration.security_groups as a set: a
// group named twice would be one, without a word.
static void groups_twice(Compilation *c, const Service *s) {
  for (int i = 1; i < s->nsecurity_groups; i++)
    for (int j = 0; j < i; j++) {
      if (!str_eq(s->security_groups[i], s->security_groups[j]))
        continue;
      Diag *d = diag_at(c, E1092, s->security_group_at[i], "security group \"%.*s\" named twice",
                        S(s->security_groups[i]));
      diag_note(c, d, s->security_group_at[j], "first named here");
      diag_help(c, d, "remove one, or correct its id");
      break;
    }
}

void check_groups(Compilation *c, const Service *s) {
  if (!s->nsecurity_groups)
    return;
  if (s->network != NET_AWSVPC) {
    groups_network(c, s);
    return;
  }
  groups_limit(c, s);
  groups_twice(c, s);
}
