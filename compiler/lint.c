// lint.c: warnings: what is legal but likely a mistake or a risk. Errors
// under --strict. Each finding is reported once, however many environments
// share the line that causes it. Reports W0570-W0575, W0990, W1060, W1061.
#include "model.h"

#include <string.h>

// Credentials committed by mistake, as secret scanners find them. The token
// shapes are gitleaks' default rules (github.com/gitleaks/gitleaks,
// config/gitleaks.toml at b58d3f1, 2026-07-22: aws-access-token,
// stripe-access-token, github-pat, github-oauth, github-app-token,
// github-fine-grained-pat, gitlab-pat, slack-bot-token and kin,
// slack-webhook-url, private-key); a password in a URL is RFC 3986's
// userinfo "user:password@" after a scheme (postgres://u:p@host/db).
static const char *const secret_values =  // (?s): a PEM key spans lines
    "(?s).*(?:"
    "\\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\\b"
    "|\\b(?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99}\\b"
    "|\\b(?:ghp|gho|ghu|ghs|ghr)_[0-9a-zA-Z]{36}\\b|\\bgithub_pat_\\w{82}"
    "|\\bglpat-[\\w-]{20}|\\bxox[baprs]-[0-9a-zA-Z-]{10,}"
    "|hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}"
    "|-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----"
    "|[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\\s:]*:[^/?#@\\s]+@"
    ").*";
// Names that say their value is a secret, wherever the value came from.
static const char *const secret_names =
    "(?i)(?:.*_)?(?:PASSWORD|PASSWD|PASS|PASSPHRASE|TOKEN|SECRET|SECRET_KEY|SECRET_ACCESS_KEY|"
    "API_KEY|PRIVATE_KEY|CLIENT_SECRET|CREDENTIALS?)";

static bool secret_like(Compilation *c, Str name, Str value) {
  return regex_match(c, secret_values, value) ||
         (value.len && regex_match(c, secret_names, name));
}

static void literal_secrets(Compilation *c, const Container *s) {
  for (int i = 0; i < s->nenv_vars; i++) {
    KeyValue *kv = &s->env_vars[i];
    if (!secret_like(c, kv->name, kv->value))
      continue;
    Span where = span_or(kv->at, s->span);  // maybe in a template
    Diag *d = diag_at(c, W0570, where, "\"%.*s\" looks like a secret written in plain text",
                      S(kv->name));
    diag_help(c, d, "keep it in a secure parameter and read it through secrets = { %.*s = "
                    "parameter.NAME }", S(kv->name));
  }
}

// A plain parameter's value is in the repository and in the VPC state: one
// that looks like a credential belongs in a SecureString set outside ecsc.
static Str last_segment(Str path) {
  if (!path.len)
    return path;
  ptrdiff_t i = path.len;
  while (i > 0 && path.ptr[i - 1] != '/')
    i--;
  return (Str){path.ptr + i, path.len - i};
}

static void parameter_secrets(Compilation *c, const Model *m) {
  for (int i = 0; i < m->nparams; i++) {
    Parameter *p = m->params[i];
    if (p->secure || !p->value.len ||
        (!secret_like(c, p->name, p->value) &&
         !secret_like(c, last_segment(p->path.len ? p->path : p->external), p->value)))
      continue;
    Diag *d = diag_at(c, W0570, span_or(p->at.value, p->span),
                      "parameter \"%.*s\" looks like a secret, held in plain text", S(p->name));
    diag_help(c, d, "make it secure = true, remove the value and set it with aws ssm "
                    "put-parameter --type SecureString");
  }
}

// An image's tag, as image.c reads it: none, or latest. A digest pins it.
// Without a tag the image is Docker's default, "latest", and ecsc
// registers it so (image.c, the ref's registered form).
static void image_tag(Compilation *c, const Container *s) {
  const ImageRef *r = &s->ref;
  if (!s->image.len || r->digest.len || (r->tag.len && !str_eq_c(r->tag, "latest")) ||
      r->fault.kind != IMAGE_FAULT_NONE)  // E1075's: no tag to judge
    return;
  Diag *d = r->tag.len
      ? diag_at(c, W0572, span_or(s->at.image, s->span), "image \"%.*s\" is tagged latest",
                S(s->image))
      : diag_at(c, W0572, span_or(s->at.image, s->span),
                "image \"%.*s\" has no tag, so it is \"%.*s\"", S(s->image), S(r->registered));
  diag_help(c, d, "tag it with a version or commit, or pin a digest (@sha256:...)");
}

static void no_health(Compilation *c, const Service *s) {
  if (s->health)
    return;
  Diag *d = diag_at(c, W0573, s->span, "service \"%.*s\" has no health check", S(s->name));
  diag_help(c, d, "add health { command = ... }: ECS then replaces tasks that hang");
}

// ECS Exec gives whoever may call ecs:ExecuteCommand a shell in the
// running containers, past every image and deployment review: AWS's
// guidance is to limit who may use it, and to log the sessions (Amazon ECS
// Developer Guide, "Monitor Amazon ECS containers with ECS Exec": "Using
// IAM policies to limit access to ECS Exec"). In a production environment
// (Environment.production) ecsc warns, as for SSH open to the world.
static void production_exec(Compilation *c, const Service *s) {
  if (!s->exec || !s->env->production)
    return;
  Diag *d = diag_at(c, W0901, span_or(s->exec_at, s->span),
                    "ECS Exec is on for service \"%.*s\" in production environment \"%.*s\"",
                    S(s->name), S(s->env->name));
  if (s->env->production_at.src)
    diag_note(c, d, s->env->production_at, "the environment is declared production here");
  else
    diag_note(c, d, s->env->span, "the environment is production by its name");
  diag_help(c, d, "turn it on where you debug: in \"staging\" { exec = true }, or "
                  "# ecsc:ignore W0901 with the reason");
}

// The quoted names of the service's containers that pick picks, "a", "b",
// in the task's order, and how many (for W0902's and W0903's texts).
static Str container_names(Arena *a, const Service *s, bool (*pick)(const Container *), int *n) {
  Buf b = {.arena = a};
  *n = 0;
  for (int i = 0; i < s->ncontainers; i++) {
    if (!pick(s->containers[i]))
      continue;
    buf_printf(&b, "%s\"%.*s\"", *n ? ", " : "", S(s->containers[i]->name));
    ++*n;
  }
  return buf_str(&b);
}

// ECS Exec starts the SSM agent in every container of the task, and what a
// session runs is its children, which outlive it when the session ends
// uncleanly: "The following actions might result in orphaned and zombie
// processes: terminating the main process of the container, terminating
// the command agent, and deleting dependencies. To cleanup zombie
// processes, we recommend adding the initProcessEnabled flag to your task
// definition" (Amazon ECS Developer Guide, "Monitor Amazon ECS containers
// with ECS Exec", considerations). ecsc does not set it itself: an image
// with its own init refuses to start under Docker's (s6-overlay v3,
// "s6-overlay-suexec: fatal: can only run as pid 1",
// just-containers/s6-overlay#535), so each container says which.
static bool init_unsaid(const Container *k) {
  return !k->at.init.src;
}

static void exec_init(Compilation *c, const Service *s) {
  if (!s->exec)
    return;
  int n;
  Str unsaid = container_names(&c->arena, s, init_unsaid, &n);
  if (!n)
    return;
  Diag *d = diag_at(c, W0903, span_or(s->exec_at, s->span),
                    "ECS Exec is on for service \"%.*s\", and %s %.*s %s not say whether to run "
                    "an init process", S(s->name), n == 1 ? "container" : "containers",
                    S(unsaid), n == 1 ? "does" : "do");
  diag_help(c, d, "set init = true (AWS recommends it with ECS Exec: it reaps the sessions' "
                  "orphaned processes), or init = false where the image brings its own init");
}

// ECS Exec runs the SSM agent ECS bind-mounts into every container of the
// task, which writes its state and logs there. AWS: "The SSM agent requires
// that the container file system is able to be written to in order to
// create the required directories and files. Therefore, making the root
// file system read-only using the readonlyRootFilesystem task definition
// parameter, or any other method, isn't supported" (Amazon ECS Developer
// Guide, "Using Amazon ECS Exec for debugging", "Considerations for using
// ECS Exec"; awsdocs/amazon-ecs-developer-guide 49232cf, doc_source/
// ecs-exec.md). In such a container the agent stops soon after it starts
// and no session opens (aws/containers-roadmap#1359, where writable volumes
// at the agent's three paths are the workaround; AWS's
// amazon-ecs-exec-checker asks for readonlyRootFilesystem false,
// aws-containers/amazon-ecs-exec-checker#21). Each container has its own
// agent: a read-only one loses only its own shell, so the help names the
// containers a shell still opens in. exec may be on in one environment
// only (in "staging" { exec = true }): the note points there.
static bool root_writable(const Container *k) {
  return !k->read_only_root;
}

static void exec_read_only(Compilation *c, const Service *s) {
  if (!s->exec)
    return;
  int n;
  Str writable = container_names(&c->arena, s, root_writable, &n);
  for (int i = 0; i < s->ncontainers; i++) {
    const Container *k = s->containers[i];
    if (!k->read_only_root)
      continue;
    Diag *d = diag_at(c, W0902, span_or(k->at.read_only_root, k->span),
                      "ECS Exec cannot open a shell in container \"%.*s\" of service \"%.*s\": "
                      "its root file system is read-only", S(k->name), S(s->name));
    diag_note(c, d, span_or(s->exec_at, s->span), "ECS Exec is on here");
    if (writable.len)
      diag_help(c, d, "a shell still opens in %.*s; for \"%.*s\" too, mount writable volumes at "
                      "/managed-agents, /var/lib/amazon/ssm and /var/log/amazon/ssm, or "
                      "# ecsc:ignore W0902 with the reason", S(writable), S(k->name));
    else
      diag_help(c, d, "mount writable volumes at /managed-agents, /var/lib/amazon/ssm and "
                      "/var/log/amazon/ssm, or leave exec off where you need a read-only root");
  }
}

static void open_ssh(Compilation *c, const Environment *e) {
  if (!e->bastion)
    return;
  for (int i = 0; i < e->bastion->nssh; i++) {
    if (e->bastion->ssh[i].cidr.prefix != 0)
      continue;
    Diag *d = diag_at(c, W0571, e->bastion->ssh[i].at,
                      "SSH to the bastion is open to the whole internet");
    diag_help(c, d, "allow only your offices' or VPN's addresses");
  }
}

static void pinned_ami(Compilation *c, const Cluster *k) {
  if (!k->ami_id.len)
    return;
  Diag *d = diag_at(c, W0574, span_or(k->at.ami_id, k->span),
                    "cluster \"%.*s\" pins AMI %.*s", S(k->name), S(k->ami_id));
  diag_help(c, d, "prefer ami = \"al2023\": the latest ECS-optimized AMI, with its security fixes");
}

// A family past the end of life AWS announced for it (std/aws/amis:
// end_of_life, with its source): AWS may still publish AMIs of it for a
// while (Amazon Linux 2's were built into October 2026, aws/amazon-ecs-ami
// CHANGELOG), with no commitment to go on.
static void ended_ami(Compilation *c, const Cluster *k) {
  if (!k->ami || !k->ami->end_of_life.len || k->ami_id.len)  // a pinned id: W0574 says it
    return;
  Diag *d = diag_at(c, W0581, span_or(k->at.ami, k->span),
                    "cluster \"%.*s\" runs AMI family %.*s, whose end of life was %.*s",
                    S(k->name), S(k->ami->name), S(k->ami->end_of_life));
  diag_help(c, d, "use ami = \"al2023\" (the default), and test the services on it: "
                  "the instances are replaced one by one");
}

// Bottlerocket reads agent settings from its own TOML settings; a key it has
// no setting for is written as a comment, not applied.
static void bottlerocket_agent(Compilation *c, const Cluster *k) {
  if (!model_bottlerocket(k))
    return;
  for (int i = 0; i < k->nagent; i++) {
    const AgentKey *f = agent_key(k->agent[i].name);
    if (f && f->bottlerocket)
      continue;
    Diag *d = diag_at(c, W0575, span_or(k->agent[i].key_at, k->span),
                      "Bottlerocket has no setting for %.*s: it is not applied",
                      S(k->agent[i].name));
    diag_help(c, d, "remove it, or use an Amazon Linux AMI (ami = \"al2023\")");
  }
}

// Terraform 1.11 deprecates the S3 backend's DynamoDB locking for S3's own
// lock file (Terraform documentation, "Backend Type: s3", "State
// Locking"); ecsc writes use_lockfile always, and dynamodb_table beside it
// only while a project migrates.
static void lock_table(Compilation *c, Project *p) {
  if (!p || !p->lock_table.len)
    return;
  Diag *d = diag_at(c, W0577, p->lock_table_span,
                    "DynamoDB state locking is deprecated: S3's own lock file replaces it");
  diag_help(c, d, "remove lock_table once every state has been applied with this build: each "
                  "state then locks with use_lockfile alone");
}

// The instances are in private subnets: without a bastion nothing can
// reach them over SSH, and a key pair there only widens what a leaked key
// opens later.
static void unreachable_key(Compilation *c, const Cluster *k) {
  if (!k->key_name.len || k->env->bastion)
    return;
  Diag *d = diag_at(c, W0578, span_or(k->at.key_name, k->span),
                    "cluster \"%.*s\" has a key pair, but environment \"%.*s\" has no bastion "
                    "to reach its instances", S(k->name), S(k->env->name));
  diag_help(c, d, "add a bastion { ssh_cidrs = [...] } to the environment, or remove key_name");
}

// Host networking ties a task to the instance's network: "this mode allows
// containers to impersonate the host" (Amazon ECS Developer Guide, "Map
// Amazon ECS container ports to the EC2 instance network interface": "We do
// not recommend using this mode"). The instance metadata service, and with
// it the instance role, is within its reach, which no agent setting blocks
// for host mode (ECS_AWSVPC_BLOCK_IMDS is awsvpc's, the hop limit bridge's):
// with the agent's role a task can act as the agent for every task of the
// instance. Said once per service.
static void host_network(Compilation *c, const Service *s) {
  if (s->network != NET_HOST)
    return;
  Diag *d = diag_at(c, W0580, span_or(s->at.network_mode, s->span),
                    "service \"%.*s\" uses host networking: its tasks can reach the instance "
                    "role's credentials and act as the host", S(s->name));
  diag_help(c, d, "use bridge (dynamic host ports) or awsvpc networking; if it must be host, give "
                  "the service a cluster of its own");
}

static bool any_secret(const Environment *e) {
  for (int i = 0; i < e->nservices; i++)
    if (e->services[i]->nsecrets)
      return true;
  return false;
}

// An existing VPC's routes are its owner's: ecsc makes no NAT and no
// endpoint there, and cannot see whether the private subnets reach ECS,
// ECR, CloudWatch Logs and SSM (Amazon ECS Developer Guide, "Amazon ECS
// interface VPC endpoints"; without them an instance never registers and a
// task never pulls its image). Only when something runs in the private
// subnets (model_env_instances): tasks with public addresses reach AWS
// through the public subnets' internet gateway, and Fargate tasks need no
// ECS endpoint ("Tasks using the Fargate launch type don't require the
// interface VPC endpoints for Amazon ECS").
static bool runs_in_private_subnets(const Environment *e) {
  for (int i = 0; i < e->nservices; i++)
    if (model_in_private_subnets(e->services[i]))
      return true;
  return model_env_instances(e) != NULL;
}

static void existing_vpc_routes(Compilation *c, const Environment *e) {
  const Vpc *v = &e->vpc;
  if (!v->id.len || !runs_in_private_subnets(e))
    return;
  Diag *d = diag_at(c, W0990, span_or(v->at.id, e->span), "environment \"%.*s\" runs on the "
                    "existing %.*s, whose NAT and VPC endpoints ecsc neither makes nor sees",
                    S(e->name), S(v->id));
  diag_help(c, d, "check that its private subnets reach %sECR, S3%s through NAT or "
                  "interface endpoints", model_env_instances(e) ? "ECS, " : "",
            any_secret(e) ? ", CloudWatch Logs and Systems Manager" : " and CloudWatch Logs");
}

// The bastion's group reaches the instances' on port 22, and nothing else
// (emit_tf_vpc.c, bastion_rules): without instances it reaches nothing, and a
// Fargate task's group takes SSH from no one.
static void idle_bastion(Compilation *c, const Environment *e) {
  if (!e->bastion || model_env_instances(e))
    return;
  Diag *d = diag_at(c, W1060, e->bastion->span, "the bastion of environment \"%.*s\" has no "
                    "container instances to reach: its tasks all run on Fargate", S(e->name));
  diag_help(c, d, "remove the bastion block (ECS Exec, exec = true, opens a shell in a Fargate "
                  "container), or give a cluster instances");
}

// Without NAT the private subnets reach AWS through the VPC's interface
// endpoints, which serve the VPC's own region (emit_tf_vpc.c, endpoints): a
// FireLens output to another region (its region option) reaches nothing,
// and Fluent Bit drops the logs while the task runs on.
static void firelens_other_region(Compilation *c, const Environment *e, const Service *s) {
  if (e->vpc.nat != NAT_NONE || !model_in_private_subnets(s))
    return;
  for (int k = 0; k < s->ncontainers; k++) {
    const LogConfig *l = s->containers[k]->log;
    if (!l || !str_eq_c(l->driver, "awsfirelens"))
      continue;
    const KeyValue *region = model_log_kv(l, "region");
    if (!region || str_eq(region->value, e->region))
      continue;
    Diag *d = diag_at(c, W1061, region->at, "the FireLens output of container \"%.*s\" of "
                      "service \"%.*s\" sends to region %.*s, which environment \"%.*s\" "
                      "cannot reach without NAT", S(s->containers[k]->name), S(s->name),
                      S(region->value), S(e->name));
    diag_note(c, d, span_or(e->vpc.at.nat, e->span), "the private subnets reach AWS through "
              "VPC endpoints of %.*s only", S(e->region));
    diag_help(c, d, "send to %.*s, give the service assign_public_ip = true on Fargate, or "
                    "give the environment NAT", S(e->region));
  }
}

void lint_check(Compilation *c, const Model *m) {
  parameter_secrets(c, m);
  lock_table(c, m->project);
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    open_ssh(c, e);
    existing_vpc_routes(c, e);
    idle_bastion(c, e);
    for (int j = 0; j < e->nclusters; j++) {
      pinned_ami(c, e->clusters[j]);
      ended_ami(c, e->clusters[j]);
      unreachable_key(c, e->clusters[j]);
      bottlerocket_agent(c, e->clusters[j]);
    }
    for (int j = 0; j < e->nservices; j++) {
      for (int k = 0; k < e->services[j]->ncontainers; k++) {  // each container's
        literal_secrets(c, e->services[j]->containers[k]);
        image_tag(c, e->services[j]->containers[k]);
      }
      no_health(c, e->services[j]);
      production_exec(c, e->services[j]);
      exec_read_only(c, e->services[j]);
      exec_init(c, e->services[j]);
      host_network(c, e->services[j]);
      firelens_other_region(c, e, e->services[j]);
    }
  }
}
