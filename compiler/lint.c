// lint.c: warnings: what is legal but likely a mistake or a risk. Errors
// under --strict. Each finding is reported once, however many environments
// share the line that causes it. Reports W0570-W0575.
#include "emit.h"

#include <string.h>

// Patterns of credentials committed by mistake, as secret scanners match
// them: AWS access key ids (IAM User Guide, "Unique identifiers": AKIA for
// long-term keys, ASIA for temporary ones) and PEM private keys.
static const char *const secret_values =  // (?s): a PEM key spans lines
    "(?s).*(?:\\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\\b|-----BEGIN [A-Z ]*PRIVATE KEY-----).*";
static const char *const secret_names =
    "(?i)(?:.*_)?(?:PASSWORD|PASSWD|PASS|TOKEN|SECRET|SECRET_KEY|API_KEY|PRIVATE_KEY)";

static void literal_secrets(Compilation *c, Service *s) {
  for (int i = 0; i < s->nenv_vars; i++) {
    KeyValue *kv = &s->env_vars[i];
    bool value = regex_match(c, secret_values, kv->value);
    bool name = kv->value.len && regex_match(c, secret_names, kv->name);
    if (!value && !name)
      continue;
    Node *entry = setting_entry(s->set, "env", kv->name);  // maybe in a template
    Span where = entry ? entry->value->span : s->span;
    Diag *d = diag_at(c, W0570, where, "\"%.*s\" looks like a secret written in plain text",
                      S(kv->name));
    diag_help(c, d, "keep it in a secure parameter and read it through secrets = { %.*s = "
                    "parameter.NAME }", S(kv->name));
  }
}

// An image reference's tag: what follows the last ":" after the last "/"
// (a ":" before that is a registry's port). None with a digest is pinned.
static void image_tag(Compilation *c, Service *s) {
  Str image = s->image;
  if (!image.len || memchr(image.ptr, '@', (size_t)image.len))
    return;
  ptrdiff_t slash = image.len;
  while (slash > 0 && image.ptr[slash - 1] != '/')
    slash--;
  const char *colon = memchr(image.ptr + slash, ':', (size_t)(image.len - slash));
  Str tag = colon ? (Str){colon + 1, image.ptr + image.len - colon - 1} : (Str){0};
  if (tag.len && !str_eq_c(tag, "latest"))
    return;
  Diag *d = diag_at(c, W0572, setting_span(s->set, "image", s->span),
                    "image \"%.*s\" %s", S(image), tag.len ? "is tagged latest" : "has no tag");
  diag_help(c, d, "tag it with a version or commit, or pin a digest (@sha256:...)");
}

static void no_health(Compilation *c, Service *s) {
  if (s->health)
    return;
  Diag *d = diag_at(c, W0573, s->span, "service \"%.*s\" has no health check", S(s->name));
  diag_help(c, d, "add health { command = ... }: ECS then replaces tasks that hang");
}

static void open_ssh(Compilation *c, Environment *e) {
  if (!e->bastion)
    return;
  Node *list = setting(e->bastion->set, "ssh_cidrs");
  for (Node *n = list ? list->value->body : NULL; n; n = n->next) {
    if (n->kind != N_CIDR || n->v.cidr.prefix != 0)
      continue;
    Diag *d = diag_at(c, W0571, n->span, "SSH to the bastion is open to the whole internet");
    diag_help(c, d, "allow only your offices' or VPN's addresses");
  }
}

static void pinned_ami(Compilation *c, Cluster *k) {
  if (!k->ami_id.len)
    return;
  Diag *d = diag_at(c, W0574, setting_span(k->set, "ami_id", k->span),
                    "cluster \"%.*s\" pins AMI %.*s", S(k->name), S(k->ami_id));
  diag_help(c, d, "prefer ami = \"al2023\": the latest ECS-optimized AMI, with its security fixes");
}

// Bottlerocket reads agent settings from its own TOML settings; a key it has
// no setting for is written as a comment, not applied.
static void bottlerocket_agent(Compilation *c, Cluster *k) {
  if (!k->ami || !str_eq_c(k->ami->name, "bottlerocket"))
    return;
  for (int i = 0; i < k->nagent; i++) {
    if (emit_userdata_bottlerocket_key(k->agent[i].name))
      continue;
    Node *entry = setting_entry(k->set, "agent", k->agent[i].name);
    Diag *d = diag_at(c, W0575, entry ? entry->name_span : k->span,
                      "Bottlerocket has no setting for %.*s: it is not applied",
                      S(k->agent[i].name));
    diag_help(c, d, "remove it, or use an Amazon Linux AMI (ami = \"al2023\")");
  }
}

void check_lint(Compilation *c, Model *m) {
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    open_ssh(c, e);
    for (int j = 0; j < e->nclusters; j++) {
      pinned_ami(c, e->clusters[j]);
      bottlerocket_agent(c, e->clusters[j]);
    }
    for (int j = 0; j < e->nservices; j++) {
      literal_secrets(c, e->services[j]);
      image_tag(c, e->services[j]);
      no_health(c, e->services[j]);
    }
  }
}
