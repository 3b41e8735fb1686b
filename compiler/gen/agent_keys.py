#!/usr/bin/env python3
"""compiler/gen/agent_keys.py: writes compiler/agent_keys.h, the one table of the ECS
agent's settings that schema.c (the keys a cluster's agent map allows),
check_agent.c (the form of each value) and emit_userdata.c (Bottlerocket's
setting for each) read. A maintainer tool, not needed to build ecsc:

    compiler/gen/agent_keys.py ECS_AGENT_GIT BOTTLEROCKET_CORE_KIT_GIT BOTTLEROCKET_WEBSITE_GIT \\
        > compiler/agent_keys.h

Each argument is the git directory of a snapshot of the repository below, read
at the commit pinned here:

  - aws/amazon-ecs-agent: README.md, "Environment Variables", the agent's own
    list of its settings (both tables: the agent's and ecs-init's), with each
    one's example values and Linux default; and the Go code that parses them
    (agent/config, ecs-agent/logger), for the type: which parse function
    reads each variable.
  - bottlerocket-os/bottlerocket-core-kit: packages/ecs-agent/ecs-base-conf,
    the systemd drop-in that sets each agent variable from a Bottlerocket
    setting, for the mapping and its form (negated booleans, lists, maps).
  - bottlerocket-os/bottlerocket-project-website: data/settings/*/ecs.toml
    and autoscaling.toml, Bottlerocket's settings documentation, whose "see"
    names the agent variable each setting sets; where it and the drop-in
    disagree, the documentation wins (the drop-in of this commit reads
    settings.enable-spot-instance-draining, a setting the documentation does
    not have, for settings.ecs.enable-spot-instance-draining).
"""
import html
import re
import subprocess
import sys

AGENT = "8dfceca6cf380a83c3007349317566f2862f0673"
CORE_KIT = "a10182f974abd19de803bb7a324b5a0bdeab4ced"
WEBSITE = "610209648110feaf61e5ce9996f1ad19887230eb"

# The agent's parse functions and the form each reads (agent/config/parse.go,
# config.go): strconv.ParseBool, time.ParseDuration, strconv.ParseUint(.., 16),
# a JSON list of port numbers.
PARSERS = {
    "parseBooleanDefaultFalseConfig": ("AGENT_BOOL", 0),
    "parseBooleanDefaultTrueConfig": ("AGENT_BOOL", 0),
    "utils.ParseBool(os.Getenv": ("AGENT_BOOL", 0),
    "parseEnvVariableDuration": ("AGENT_DURATION", 0),
    "parseEnvVariableUint16": ("AGENT_UINT", 65535),
    "parseReservedPorts": ("AGENT_PORTS", 0),
}

# Variables whose parse is a function of its own, read here once: the form
# and the line of the agent that decides it.
OVERRIDES = {
    # parse.go parseAvailableLoggingDrivers: a JSON list of driver names.
    "ECS_AVAILABLE_LOGGING_DRIVERS": ("AGENT_LOG_DRIVERS", None, 0),
    # parse.go parseContainerInstancePropagateTagsFrom: "ec2_instance", else none.
    "ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM": ("AGENT_ENUM", "none|ec2_instance", 0),
    # parse.go parseNumImagesToDeletePerCycle: strconv.Atoi.
    "ECS_NUM_IMAGES_DELETE_PER_CYCLE": ("AGENT_UINT", None, 2147483647),
    # parse.go parseTaskMetadataThrottles: "rateLimit,burst", two integers.
    "ECS_TASK_METADATA_RPS_LIMIT": ("AGENT_RATE_PAIR", None, 0),
    # parse_linux.go parseTaskPidsLimit: an integer from 1 to 4194304.
    "ECS_TASK_PIDS_LIMIT": ("AGENT_UINT", None, 4194304),
    # parse.go parseImageCleanupExclusionList: names split at commas.
    "ECS_EXCLUDE_UNTRACKED_IMAGE": ("AGENT_STRING", None, 0),
    # parse.go parseInstanceAttributes, parseContainerInstanceTags: a JSON
    # object of strings; ecs-init's ECS_LOG_OPTS, ECS_AGENT_LABELS and the
    # agent's ECS_PAUSE_LABELS likewise (README: {"option":"value"}).
    "ECS_INSTANCE_ATTRIBUTES": ("AGENT_JSON_MAP", None, 0),
    "ECS_CONTAINER_INSTANCE_TAGS": ("AGENT_JSON_MAP", None, 0),
    # ecs-agent/logger/log.go: strconv.Atoi (roll count), ParseFloat (size).
    "ECS_LOG_MAX_ROLL_COUNT": ("AGENT_UINT", None, 2147483647),
    "ECS_LOG_MAX_FILE_SIZE_MB": ("AGENT_UINT", None, 2147483647),
    # The dockerauth documentation the README points to: JSON, and
    # credentials, which user data would show to anyone who can read it.
    "ECS_ENGINE_AUTH_DATA": ("AGENT_CREDENTIALS", None, 0),
    # parse.go: a JSON list of CIDR blocks.
    "ECS_AWSVPC_ADDITIONAL_LOCAL_ROUTES": ("AGENT_JSON_LIST", None, 0),
}

# ecsc writes these itself (emit_userdata.c): the cluster's name, task IAM
# roles, and the dynamic host ports its security group opens.
OWNED = {"ECS_CLUSTER", "ECS_ENABLE_TASK_IAM_ROLE", "ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST",
         "ECS_DYNAMIC_HOST_PORT_RANGE"}


def git_show(git_dir, commit, path):
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"],
                          check=True, capture_output=True, text=True).stdout


def git_files(git_dir, commit, prefix):
    out = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", commit,
                          prefix], check=True, capture_output=True, text=True).stdout
    return out.split()


def commit_date(git_dir, commit):
    return subprocess.run(["git", "--git-dir", git_dir, "show", "-s", "--format=%cs", commit],
                          check=True, capture_output=True, text=True).stdout.strip()


def readme_rows(readme):
    """{name: (example, linux default, description)} from both tables."""
    rows = {}
    for line in readme.splitlines():
        m = re.match(r"^\| `([A-Z][A-Z0-9_]+)`\s*\|", line)
        if not m:
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        name = m.group(1)
        example = cells[1] if len(cells) > 1 else ""
        description = cells[2] if len(cells) > 2 else ""
        default = cells[3] if len(cells) > 3 else ""
        rows.setdefault(name, (example, default, description))
    return rows


def words(example):
    """The alternatives of an example such as `<crit> &#124; <error>`."""
    text = html.unescape(example).replace("`", "").replace('"', "")
    if "|" not in text:
        return None
    alts = [a.strip().strip("<>").strip() for a in text.split("|")]
    if all(re.fullmatch(r"[a-z0-9_-]+", a) for a in alts) and len(alts) >= 2:
        return alts
    return None


def form_from_example(example):
    alts = words(example)
    if alts and sorted(alts) == ["false", "true"]:
        return "AGENT_BOOL", None, 0
    if alts:
        return "AGENT_ENUM", "|".join(alts), 0
    text = html.unescape(example).strip("` ")
    if text in ("true", "false"):
        return "AGENT_BOOL", None, 0
    if text.startswith("{"):
        return "AGENT_JSON_MAP", None, 0
    if text.startswith("["):
        return "AGENT_JSON_LIST", None, 0
    if re.fullmatch(r"[0-9]+(ms|s|m|h)", text):
        return "AGENT_DURATION", None, 0
    if re.fullmatch(r"[0-9]+", text):
        return "AGENT_UINT", None, 2147483647
    return "AGENT_STRING", None, 0


def parsed_form(sources, name):
    """The form the agent's own parse function gives the variable, if one
    of PARSERS reads it."""
    for text in sources:
        for fn, (form, maximum) in PARSERS.items():
            if f'{fn}("{name}"' in text:
                return form, None, maximum
    return None


def applies_on_linux(default, description):
    """README: the Linux default column says "Not applicable" for
    Windows-only settings; ecs-init sets ECS_EBSTA_SUPPORTED and
    ECS_DETAILED_OS_FAMILY itself ("This variable is set properly by
    ecs-init")."""
    return "not applicable" not in default.lower() and "set properly by ecs-init" not in description


def bottlerocket(core_kit, docs):
    """{agent variable: (setting, kind)}: kind is "", "negated", "list" or
    "map"."""
    template = {}
    for line in core_kit.splitlines():
        m = re.match(r"^Environment=([A-Z0-9_]+)=[\"']?\{\{(.*?)\}\}", line)
        if not m:
            continue
        name, expr = m.groups()
        s = re.search(r"settings\.([a-z0-9.-]+)", expr)
        if "each" in expr or not s or "ecs_metadata_service_limits" in expr:
            continue
        template[name] = (s.group(1), "negated" if expr.startswith("negate_or_else") else "")
    # The lists and maps the drop-in builds with {{#each settings.X}}.
    for name, setting in re.findall(
            r"^Environment=([A-Z0-9_]+)='[^\n]*\n(?:[^\n]*\n)*?[^\n]*#each settings\.([a-z0-9.-]+)\}",
            core_kit, re.M):
        template[name] = (setting, "map" if "attributes" in setting else "list")
    documented = {}
    for section, text in docs:
        for ref, body in re.findall(r"^\[\[docs\.ref\.([a-z0-9-]+)\]\]\n(.*?)(?=^\[\[|\Z)", text,
                                    re.M | re.S):
            see = re.search(r"`([A-Z][A-Z0-9_]+)` in the \[ECS Agent", body)
            documented[f"{section}.{ref}"] = see.group(1) if see else None
    mapping = {}
    for name, (setting, kind) in template.items():
        if setting in documented or setting.startswith("ecs."):
            mapping[name] = (setting, kind)
    for setting, name in documented.items():
        if name:
            kind = template.get(name, ("", ""))[1]
            if name not in template:
                # The drop-in sets it under another name: take the documented
                # setting, and the drop-in's form of the one it names.
                kind = next((k for s, k in template.values() if s == setting), "")
            mapping[name] = (setting, kind)
    return mapping


TOML = {"AGENT_BOOL": "TOML_BOOL", "AGENT_DURATION": "TOML_STRING", "AGENT_ENUM": "TOML_STRING",
        "AGENT_STRING": "TOML_STRING", "AGENT_UINT": "TOML_INT", "AGENT_LOG_DRIVERS": "TOML_LIST",
        "AGENT_JSON_LIST": "TOML_LIST", "AGENT_JSON_MAP": "TOML_TABLE"}


def c_string(s):
    return "NULL" if s is None else '"' + s + '"'


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    agent_git, kit_git, web_git = sys.argv[1:]
    rows = readme_rows(git_show(agent_git, AGENT, "README.md"))
    go = [git_show(agent_git, AGENT, f)
          for prefix in ("agent/config", "ecs-agent/logger")
          for f in git_files(agent_git, AGENT, prefix)
          if f.endswith(".go") and not f.endswith("_test.go")]
    core_kit = git_show(kit_git, CORE_KIT, "packages/ecs-agent/ecs-base-conf")
    docs = []
    for f in sorted(git_files(web_git, WEBSITE, "data/settings")):
        m = re.match(r"data/settings/[^/]+/(ecs|autoscaling)\.toml$", f)
        if m:
            docs.append((m.group(1), git_show(web_git, WEBSITE, f)))
    br = bottlerocket(core_kit, docs)

    out = sys.stdout
    out.write(f"""\
// agent_keys.h: every setting of the ECS agent's documentation, one line each,
// as an X-macro: schema.c lists the keys a cluster's agent map allows,
// check_agent.c checks each value in the form the agent parses, and
// emit_userdata.c writes each as the Bottlerocket setting that sets it.
//
// Generated by compiler/gen/agent_keys.py; do not edit. Sources:
//   aws/amazon-ecs-agent {AGENT[:12]} ({commit_date(agent_git, AGENT)}): README.md,
//     "Environment Variables" (the keys, their examples and Linux defaults),
//     and agent/config, ecs-agent/logger (how each value is parsed);
//   bottlerocket-os/bottlerocket-core-kit {CORE_KIT[:12]} ({commit_date(kit_git, CORE_KIT)}):
//     packages/ecs-agent/ecs-base-conf (the setting behind each variable);
//   bottlerocket-os/bottlerocket-project-website {WEBSITE[:12]} ({commit_date(web_git, WEBSITE)}):
//     data/settings/*/{{ecs,autoscaling}}.toml (Bottlerocket's settings documentation).
//
// AGENT_KEY(NAME, FORM, WORDS, MAX, BOTTLEROCKET, TOML)
//   FORM          how the agent reads the value (AgentForm, model.h);
//                 AGENT_OWNED: ecsc writes it; AGENT_NOT_LINUX: documented
//                 as Windows-only or as set by ecs-init
//   WORDS         the values of an AGENT_ENUM, "a|b"; NULL otherwise
//   MAX           the largest value of an AGENT_UINT; 0 otherwise
//   BOTTLEROCKET  the setting under settings. that sets it, NULL if none
//   TOML          that setting's type, TOML_BOOL_NEGATED when it is the
//                 opposite of the variable (allow-privileged-containers)
""")
    for name in sorted(rows):
        example, default, description = rows[name]
        if name in OWNED:
            form, alts, maximum = "AGENT_OWNED", None, 0
        elif not applies_on_linux(default, description):
            form, alts, maximum = "AGENT_NOT_LINUX", None, 0
        elif name in OVERRIDES:
            form, alts, maximum = OVERRIDES[name]
        else:
            form, alts, maximum = parsed_form(go, name) or form_from_example(example)
        setting, toml = None, "TOML_NONE"
        if name in br and form not in ("AGENT_OWNED", "AGENT_NOT_LINUX", "AGENT_CREDENTIALS"):
            setting, kind = br[name]
            toml = TOML.get(form, "TOML_NONE")
            if kind == "negated" and toml == "TOML_BOOL":
                toml = "TOML_BOOL_NEGATED"
            if toml == "TOML_NONE":
                setting = None
        out.write(f"AGENT_KEY({name}, {form}, {c_string(alts)}, {maximum}, {c_string(setting)}, "
                  f"{toml})\n")


main()
