#!/usr/bin/env python3
"""tests/taskdef-agree.py STATE_DIR...: a service state's aws_ecs_task_definition
and its task-definition.json describe the same task definition. Terraform reads
the containers from the JSON file (jsondecode(file(...))), so what must agree is
everything else: family, network mode, compatibilities, runtime platform,
volumes, ephemeral storage, the task and execution roles, the container the
image variable replaces, and the container and port the load balancer sends to.
Prints one line per disagreement; exit 1 if any."""
import json
import re
import sys


def volumes_of_tf(td):
    out = []
    for v in td.get("volume", []):
        entry = {"name": v["name"]}
        if v.get("host_path"):
            entry["host"] = {"sourcePath": v["host_path"]}
        if v.get("configure_at_launch") is not None:
            entry["configuredAtLaunch"] = v["configure_at_launch"]
        efs = (v.get("efs_volume_configuration") or [None])[0]
        if efs:
            e = {"fileSystemId": efs["file_system_id"]}
            if efs.get("root_directory"):
                e["rootDirectory"] = efs["root_directory"]
            if efs.get("transit_encryption"):
                e["transitEncryption"] = efs["transit_encryption"]
            if efs.get("transit_encryption_port") is not None:
                e["transitEncryptionPort"] = efs["transit_encryption_port"]
            auth = (efs.get("authorization_config") or [None])[0]
            if auth:
                a = {}
                if auth.get("access_point_id"):
                    a["accessPointId"] = auth["access_point_id"]
                if auth.get("iam"):
                    a["iam"] = auth["iam"]
                e["authorizationConfig"] = a
            entry["efsVolumeConfiguration"] = e
        docker = (v.get("docker_volume_configuration") or [None])[0]
        if docker:
            d = {}
            for tf, js in (("scope", "scope"), ("autoprovision", "autoprovision"),
                           ("driver", "driver"), ("driver_opts", "driverOpts"),
                           ("labels", "labels")):
                if docker.get(tf) is not None:
                    d[js] = docker[tf]
            entry["dockerVolumeConfiguration"] = d
        out.append(entry)
    return out


def check(state):
    problems = []
    tf = json.load(open(f"{state}/main.tf.json"))
    js = json.load(open(f"{state}/task-definition.json"))
    td = tf["resource"]["aws_ecs_task_definition"]["main"]
    say = lambda m: problems.append(f"{state}: {m}")
    if td["family"] != js["family"]:
        say(f"family {td['family']} != {js['family']}")
    if td["network_mode"] != js["networkMode"]:
        say(f"network mode {td['network_mode']} != {js['networkMode']}")
    if td["requires_compatibilities"] != js["requiresCompatibilities"]:
        say("requires_compatibilities differ")
    rp = (td.get("runtime_platform") or None)
    jrp = js.get("runtimePlatform")
    if (rp and {"cpuArchitecture": rp["cpu_architecture"],
                "operatingSystemFamily": rp["operating_system_family"]}) != (jrp or None):
        say("runtime platform differs")
    for key, jkey in (("cpu", "cpu"), ("memory", "memory"), ("pid_mode", "pidMode"),
                      ("ipc_mode", "ipcMode")):
        if str(td.get(key)) != str(js.get(jkey)) and (td.get(key) or js.get(jkey)):
            say(f"{key} {td.get(key)} != {js.get(jkey)}")
    size = (td.get("ephemeral_storage") or {}).get("size_in_gib")
    if size != (js.get("ephemeralStorage") or {}).get("sizeInGiB"):
        say(f"ephemeral storage {size} GiB != {js.get('ephemeralStorage')}")
    # The roles: Terraform's reference names the state's aws_iam_role, the
    # JSON file the role by its name or its ARN (ECS takes either).
    roles = tf["resource"].get("aws_iam_role", {})
    for key, jkey in (("task_role_arn", "taskRoleArn"), ("execution_role_arn", "executionRoleArn")):
        ref = re.fullmatch(r"\$\{aws_iam_role\.([\w-]+)\.arn\}", td.get(key) or "")
        name = roles.get(ref.group(1), {}).get("name") if ref else td.get(key)
        if name != re.sub(r"^arn:[^:]+:iam::\d{12}:role/(?:.*/)?", "", js.get(jkey) or ""):
            say(f"{key} is role {name}, the JSON file's {jkey} {js.get(jkey)}")
    if volumes_of_tf(td) != js.get("volumes", []):
        say(f"volumes differ: {volumes_of_tf(td)} != {js.get('volumes', [])}")
    names = [c["name"] for c in js["containerDefinitions"]]
    defs = td["container_definitions"]
    if "local.task_definition.containerDefinitions" not in defs:
        say("container_definitions does not read task-definition.json")
    # The image variable replaces the image of every container that runs the
    # service's own image (its default), and no other.
    variables = tf.get("variable", {})
    image = tf.get("locals", {}).get("image", "")
    for var in ("image_tag", "image"):
        if var in variables:
            image = image.replace("${var.%s}" % var, variables[var]["default"])
    # Byte for byte: ecsc writes an image without a tag as Docker's default,
    # ":latest", in both (image.c), so nothing is normalised here.
    expected = {c["name"] for c in js["containerDefinitions"] if c["image"] == image}
    one = re.search(r'c\.name == \\?"([^"\\]+)\\?"', defs)
    some = re.search(r'contains\(\[([^\]]*)\], c\.name\)', defs)
    if one:
        named = {one.group(1)}
    elif some:
        named = set(re.findall(r'"([^"\\]+)\\?"', some.group(1)))
    else:
        named = set(names)
    if not expected:
        say(f"no container runs the image variable's default {image}")
    if named != expected:
        say(f"the image variable replaces {sorted(named)}, and the containers of {image} "
            f"are {sorted(expected)}")
    svc = tf["resource"].get("aws_ecs_service", {}).get("main", {})
    for lb in svc.get("load_balancer", []):
        c = next((c for c in js["containerDefinitions"] if c["name"] == lb["container_name"]), None)
        if not c:
            say(f"the load balancer sends to container {lb['container_name']}, not in the JSON")
        elif lb["container_port"] not in [p["containerPort"] for p in c.get("portMappings", [])]:
            say(f"container {c['name']} does not map port {lb['container_port']}")
    return problems


problems = [p for state in sys.argv[1:] for p in check(state)]
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
