// diag_codes.h: the catalog of every diagnostic ecsc can report, one line each:
// code, severity, title, and the paragraph `ecsc explain CODE` prints.
// Included by base.h (to make the enum) and diag.c (to make the table).
//
// E00xx files and imports, E01xx tokens, E02xx syntax, E03xx schema.
// Wxxxx are warnings: `lint` exits 0 on them unless --strict.

DIAG_CODE(E0001, SEV_ERROR, "cannot read file",
  "The file named on the command line could not be opened or read: it does not "
  "exist, permissions forbid reading it, or it is a directory. Check the path; "
  "use - to read standard input.")
DIAG_CODE(E0002, SEV_ERROR, "file is not valid UTF-8",
  "ecsc sources are UTF-8 text. The file contains a byte sequence that is not "
  "UTF-8 at the place shown. Re-save the file as UTF-8 (most editors have an "
  "encoding menu; `iconv -f LATIN1 -t UTF-8` converts from Latin-1).")
DIAG_CODE(E0003, SEV_ERROR, "file contains a NUL byte",
  "A NUL byte (0x00) never belongs in a text file; it usually means a binary "
  "file was passed by mistake or the file was damaged. Remove the byte.")
DIAG_CODE(E0004, SEV_ERROR, "file is too large",
  "ecsc refuses source files over 64 MiB, far beyond any real configuration, "
  "so that a wrong path cannot make it read a disk image. Split the "
  "configuration with `import` if it really is that large.")
DIAG_CODE(E0005, SEV_ERROR, "imported file not found",
  "An `import` names a file that does not exist. Relative paths are resolved "
  "from the directory of the importing file, and .ecs may be left out. Paths "
  "starting with std/ are looked up in the standard library: the -I "
  "directories, then $ECSC_STDLIB, then stdlib/ beside the ecsc binary, then "
  "../share/ecsc/stdlib beside it, then the directory ecsc was installed with.")
DIAG_CODE(E0006, SEV_ERROR, "import cycle",
  "Files import each other in a circle. Imports must form a tree (or a graph "
  "without cycles): move the shared declarations into a third file that both "
  "import.")
DIAG_CODE(E0007, SEV_ERROR, "import outside the top level",
  "`import` is a declaration of the file, like `service` or `environment`, and "
  "may only appear at the top level, outside every block.")

DIAG_CODE(E0008, SEV_ERROR, "cannot write the output directory",
  "ecsc stages each state directory that changed in DIR/.ecsc-update/ (a new "
  "DIR in DIR.ecsc-new-XXXXXX beside it) and moves them into place only when "
  "everything succeeded. The message names the path and the system's reason "
  "(permissions, a full disk, a read-only file system). DIR was left exactly "
  "as it was: fix the cause and build again. Should the failure come while "
  "the states are moved into place, the message says so: each state "
  "directory is then whole, old or new, and the next build finishes the move "
  "before anything else (or, with --discard-journal, sets it aside).")
DIAG_CODE(E0009, SEV_ERROR, "a file ecsc did not write is in the way",
  "A file, directory or symbolic link in DIR that ecsc did not write (it is "
  "not in DIR/.ecsc-manifest) sits where the build must put a directory or a "
  "file. ecsc never deletes files it did not write, nor writes through a "
  "link: move it away and build again.")
DIAG_CODE(E0010, SEV_ERROR, "cannot read the output directory",
  "build --check, or a build reading the previous manifest, could not read a "
  "file in DIR. The message names it and the system's reason.")
DIAG_CODE(E0011, SEV_ERROR, "invalid output path",
  "An emitter produced a path that is absolute, contains .., or is written "
  "twice. This is a bug in ecsc; please report it.")
DIAG_CODE(E0012, SEV_ERROR, "invalid suppression comment",
  "A comment `# ecsc:ignore CODE REASON` on its own line suppresses warning "
  "CODE on the next line that is not such a comment. It must name a code that "
  "exists (several may be given as W0572,W0573) and say why after it: the "
  "reason is required, so that a reviewer can judge the decision. `ecsc "
  "explain --table` lists the codes.")
DIAG_CODE(E0013, SEV_ERROR, "an error cannot be suppressed",
  "A suppression comment or --disable names an error. Only warnings and notes "
  "can be suppressed: an error is a configuration AWS would reject or ecsc "
  "cannot turn into output, and no comment makes it valid. Fix what the error "
  "reports.")
DIAG_CODE(E0014, SEV_ERROR, "output out of date",
  "build --check found a file in the output directory that is missing, extra, "
  "or differs from what build would write. (The text format lists these on "
  "standard output as `differs: PATH`; json, sarif and github report each as "
  "this diagnostic, so that standard output is one document.) Run ecsc build "
  "and commit what it writes.")

DIAG_CODE(E0101, SEV_ERROR, "unexpected character",
  "The character cannot start any token of the language. Identifiers are "
  "letters, digits, `_` and `-` starting with a letter or `_`; strings are in "
  "double quotes; comments start with # or //.")
DIAG_CODE(E0102, SEV_ERROR, "unterminated string",
  "A string was opened with a double quote but not closed on the same line. "
  "Strings cannot span lines: write \\n for a line break inside a string.")
DIAG_CODE(E0103, SEV_ERROR, "invalid escape sequence",
  "Inside a string, a backslash starts an escape: \\\" \\\\ \\n \\r \\t, or "
  "\\uXXXX with four hex digits for a Unicode code point. Any other character "
  "after a backslash is an error; write \\\\ for a literal backslash.")
DIAG_CODE(E0104, SEV_ERROR, "invalid CIDR block",
  "A CIDR block is four decimal octets from 0 to 255 and a prefix length from "
  "0 to 32, such as 10.0.0.0/16. The address must be the network address of "
  "its prefix (10.0.1.0/24, not 10.0.1.7/24): ecsc refuses host bits because "
  "AWS silently rounds them away.")
DIAG_CODE(E0105, SEV_ERROR, "invalid duration",
  "A duration is a whole number followed, without a space, by a unit: ms "
  "(milliseconds), s (seconds), m (minutes), h (hours) or d (days), such as "
  "30s or 5m.")
DIAG_CODE(E0106, SEV_ERROR, "invalid size",
  "A size is a whole number and a binary unit, KiB, MiB, GiB or TiB, such as "
  "512 MiB or 1 GiB. Decimal units (MB, GB) are refused: ECS and EC2 count "
  "memory in MiB, and a silent factor of 1.048576 is how tasks stop fitting.")
DIAG_CODE(E0107, SEV_ERROR, "invalid number",
  "A number is a whole decimal number, optionally negative, that fits in 64 "
  "bits, optionally followed by a unit: a duration (30s), a size (512 MiB) "
  "or a percentage (50%). Fractions and other suffixes are not numbers, but "
  "for one decimal in a percentage (2.5%), which only the attributes AWS "
  "takes in tenths of a percent accept (deployment canary_percent and "
  "linear_step, scaling cpu and memory); the others take whole percentages.")

DIAG_CODE(E0201, SEV_ERROR, "syntax error",
  "The parser expected one thing and found another. Declarations are blocks "
  "(`service \"web\" { ... }`) and attributes (`count = 2`); values are strings, "
  "numbers, sizes, durations, percentages, CIDRs, booleans, lists [...], maps "
  "{ key = value } and references such as cluster.main.")
DIAG_CODE(E0202, SEV_ERROR, "unmatched closing brace",
  "A } or ] closes nothing: there is one too many, or an opening brace is "
  "missing above it.")
DIAG_CODE(E0203, SEV_ERROR, "unclosed block, list or map",
  "A { or [ is still open at the end of the file. The diagnostic points at the "
  "opening brace or bracket; add its closing partner where the block, list or "
  "map ends.")
DIAG_CODE(E0204, SEV_ERROR, "nesting too deep",
  "Blocks, lists and maps may nest 64 levels deep. Real configurations use "
  "five or six; deeper input is refused rather than risk exhausting the stack. "
  "In a values file or a compose file, the rest of the file is not read: YAML's "
  "parser takes time in proportion to the depth on every token.")
DIAG_CODE(E0205, SEV_ERROR, "block label must be a string",
  "Block labels name the block and are written as strings: "
  "environment \"staging\" { ... }.")

DIAG_CODE(E0206, SEV_ERROR, "configuration too large",
  "ecsc reads at most 1,048,576 values, attributes and blocks (in all the "
  "files of a configuration, and in its values file), so that a hostile or "
  "generated file cannot take unbounded memory: a platform of 10 "
  "environments and 1,000 services has about 100,000. The rest of the file "
  "is not read. Split the configuration, or generate less of it.")
DIAG_CODE(E0207, SEV_ERROR, "configuration too large once expanded",
  "Every service runs in every environment it names, merged with its "
  "templates and that environment's overrides, and each such pair is checked "
  "and built on its own, so a small file can multiply. ecsc takes at most "
  "50,000 services in environments (five times its largest benchmark), looks "
  "at most at 1,000,000 pairs of a service and an environment, and copies "
  "at most 4,000,000 settings in merges (a template's large map merged into "
  "every service). Split the platform into several configurations, such as "
  "one per group of environments.")
DIAG_CODE(E0208, SEV_ERROR, "list, map or block too long",
  "A list holds at most 4,096 elements, a map 4,096 entries and a block 4,096 "
  "attributes and blocks (the file's top level is not limited). The checks "
  "go through such a collection for every service in every environment, so "
  "its length is bounded to keep them linear; real ones hold a few dozen. "
  "The items past the limit are reported once and not read.")

DIAG_CODE(E0301, SEV_ERROR, "unknown attribute or block",
  "The name is not an attribute or block of the enclosing block. ecsc never "
  "ignores a key it does not know, because a misspelt setting silently falling "
  "back to its default is a production incident waiting to happen. The help "
  "line suggests the closest valid name; `ecsc schema` lists them all.")
DIAG_CODE(E0302, SEV_ERROR, "attribute or block in the wrong place",
  "The name is valid, but in another block. The help line says where it "
  "belongs; for example, `interval` belongs in a service's `health` block.")
DIAG_CODE(E0303, SEV_ERROR, "wrong type",
  "The value has a different type from the one the attribute takes. Typed "
  "literals are written without quotes: 512 MiB, 30s, 50%, 10.0.0.0/16, true. "
  "References are written without quotes too: cluster.main.")
DIAG_CODE(E0304, SEV_ERROR, "missing required attribute or block",
  "The block lacks an attribute or block that has no sensible default. Add it; "
  "`ecsc schema` describes every one.")
DIAG_CODE(E0305, SEV_ERROR, "duplicate attribute, block or key",
  "The same attribute, single block or map key is given twice in one block. "
  "ecsc refuses rather than let the later one win silently; the note shows "
  "the first definition. Remove one of them.")
DIAG_CODE(E0306, SEV_ERROR, "value out of range",
  "The value lies outside the range the attribute allows. The ranges come from "
  "AWS's documented limits or from what makes sense for the setting; the "
  "message states the range.")
DIAG_CODE(E0307, SEV_ERROR, "value does not match the required form",
  "The string does not have the form the attribute requires, for example an "
  "AWS region name such as us-east-1 or an AMI id such as ami-0abcdef1234567890. "
  "The help line describes the form.")
DIAG_CODE(E0308, SEV_ERROR, "wrong number of block labels",
  "Some blocks take a name (`service \"web\" { }`), others take none "
  "(`health { }`). The message says how many labels the block takes.")
DIAG_CODE(E0309, SEV_ERROR, "value is not one of the allowed choices",
  "The attribute takes one of a fixed set of strings, listed in the help line.")
DIAG_CODE(E0310, SEV_ERROR, "attribute written as a block, or block as an attribute",
  "Attributes are written `name = value`, blocks `name { ... }`. A map is an "
  "attribute: env = { KEY = \"value\" }.")
DIAG_CODE(E0311, SEV_ERROR, "reference to the wrong kind of declaration",
  "The attribute refers to declarations of one kind, written KIND.NAME: "
  "cluster = cluster.main, secrets = { DB_PASSWORD = parameter.db_password }. "
  "var.NAME, a declared variable, is accepted anywhere a value is.")

DIAG_CODE(E0401, SEV_ERROR, "duplicate declaration",
  "Two declarations of one kind share a name (two services \"web\", two "
  "environments \"staging\"), possibly in different files; or there is a second "
  "project. References would be ambiguous. The note shows the first one: "
  "rename or remove one of them.")
DIAG_CODE(E0402, SEV_ERROR, "unknown name",
  "A reference names nothing declared: cluster.NAME must be a cluster of every "
  "environment the service runs in, parameter.NAME a parameter, template.NAME a "
  "template, var.NAME a variable; an `in` block and `environments` must name "
  "declared environments. The help line suggests the closest declared name.")
DIAG_CODE(E0403, SEV_ERROR, "variable without a value",
  "A variable is used but neither --set, the values file (--values) nor its "
  "default gives it a value. Add a default to the variable's declaration, or set "
  "it, for every environment or for this one: --set NAME=VALUE or --set "
  "ENV.NAME=VALUE, or in the values file.")
DIAG_CODE(E0404, SEV_ERROR, "unknown instance type, region or AMI family",
  "The standard library (std/aws) does not know the EC2 instance type, region "
  "or AMI family, so ecsc cannot check what depends on it. Check the spelling; "
  "for a type or region too new for this stdlib, declare it yourself: "
  "instance_type \"x9.large\" { vcpu = 2 memory = 8 GiB arch = \"x86_64\" }, "
  "region \"ap-east-2\" { azs = [...] }. An environment's region needs the "
  "names of its availability zones, which AWS's partition data does not "
  "give: for a region it lists and std/aws/regions does not, write the "
  "names `aws ec2 describe-availability-zones` prints.")
DIAG_CODE(E0405, SEV_ERROR, "template cycle",
  "Templates extend each other in a circle, so no order of merging exists. "
  "The message prints the cycle; break it by removing one extends.")
DIAG_CODE(E0406, SEV_ERROR, "no project",
  "Environments belong to a project, which names the AWS region and the S3 "
  "bucket of the Terraform state. Declare one: project \"NAME\" { region = "
  "\"us-east-1\" state { bucket = \"...\" } }. A file of services or templates "
  "alone is a module, checked without one.")

DIAG_CODE(E0411, SEV_ERROR, "values file is not valid YAML",
  "The values file (--values) could not be parsed as YAML. The message is "
  "libyaml's, at the place it stopped. Tabs cannot indent YAML.")
DIAG_CODE(E0412, SEV_ERROR, "YAML feature not supported in values files",
  "Values files use plain YAML: one document, no anchors (&), aliases (*) or "
  "tags (!!). Each value must have one place a diagnostic can point at, and "
  "tags would override ecsc's typed literals. Repeat values instead; quote a "
  "value to make it a string.")
DIAG_CODE(E0413, SEV_ERROR, "unknown variable or environment in values file or --set",
  "The values file or a --set argument sets a variable no variable block "
  "declares, or names an environment the configuration lacks (under "
  "environments, or as ENV in --set ENV.NAME=VALUE). A misspelt name would "
  "otherwise be silently ignored; the help line suggests the closest name.")
DIAG_CODE(E0414, SEV_ERROR, "value of the wrong shape in values file",
  "Variables hold a string, number, size, duration, percentage, CIDR block, "
  "boolean or list, never a mapping. The top level and each environment are "
  "mappings of names to values, and environments maps environment names to those.")
DIAG_CODE(E0415, SEV_ERROR, "empty value in values file or --set",
  "A key with no value (key:, ~, null) or an empty list item, or --set NAME=~ "
  "or NAME=null. ecsc refuses rather than fall back to the default: write \"\" "
  "(in --set, NAME= ) for an empty string, --set-string NAME=null for the word, "
  "or remove the key to use the default.")
DIAG_CODE(E0416, SEV_ERROR, "duplicate key in values file",
  "A variable, an environment or environments itself is given twice in one "
  "mapping; the note shows the first. Remove one of them.")

DIAG_CODE(E0420, SEV_ERROR, "malformed --set argument",
  "--set and --set-string take NAME=VALUE, which sets variable NAME in every "
  "environment, or ENV.NAME=VALUE, which sets it in environment ENV alone (the "
  "key is split at its last dot). The argument has no =, or nothing before = "
  "or before the dot. Everything after the first = is the value; NAME= sets "
  "the empty string.")

DIAG_CODE(E0501, SEV_ERROR, "invalid load balancer or target group name",
  "Application load balancer and target group names are at most 32 "
  "characters of letters, digits and hyphens, neither starting nor ending "
  "with a hyphen, and a load balancer's may not start with internal- (ELB API "
  "Reference, CreateLoadBalancer and CreateTargetGroup). ecsc computes them as "
  "PREFIX-alb and PREFIX-SERVICE-HASH (cut to fit, the hash keeping them apart): "
  "use only those characters in the environment's prefix and the service's "
  "name, and shorten the prefix if the load balancer's name is too long.")
DIAG_CODE(E0502, SEV_ERROR, "invalid ECS name",
  "ECS cluster, service, task family and container names are at most 255 "
  "letters, digits, hyphens and underscores (ECS API Reference, CreateCluster, "
  "CreateService, RegisterTaskDefinition).")
DIAG_CODE(E0503, SEV_ERROR, "IAM role name too long",
  "IAM role names are at most 64 characters of letters, digits and +=,.@_- "
  "(IAM API Reference, CreateRole). ecsc names roles PREFIX-SERVICE-exec, "
  "PREFIX-SERVICE-task and PREFIX-CLUSTER-instance: shorten the prefix or the name.")
DIAG_CODE(E0504, SEV_ERROR, "invalid log group name",
  "CloudWatch log group names are 1 to 512 characters of letters, digits and "
  "_ - / . # (CloudWatch Logs API Reference, CreateLogGroup). ecsc names a "
  "service's group /ecs/PREFIX/SERVICE.")
DIAG_CODE(E0505, SEV_ERROR, "invalid SSM parameter name",
  "Parameter names use letters, digits and _ . - /, have at most 15 levels of "
  "hierarchy, may not start with aws or ssm in any case, and, as an ARN, are at "
  "most 1011 characters (Systems Manager User Guide, \"Requirements and "
  "constraints for parameter names\"). The full name is /PREFIX/PATH.")
DIAG_CODE(E0506, SEV_ERROR, "invalid security group name",
  "Security group names are at most 255 characters and may not start with sg- "
  "(EC2 API Reference, CreateSecurityGroup).")
DIAG_CODE(E0507, SEV_ERROR, "reserved service name",
  "A service's Terraform state key is PREFIX/terraform/NAME/terraform.tfstate, "
  "the seed's layout, and the environment's own is PREFIX/terraform/vpc/...: a "
  "service named vpc would share it, and applying the service would plan to "
  "destroy the environment. Choose another name.")
DIAG_CODE(E0508, SEV_ERROR, "environments share a prefix",
  "An environment's prefix starts every AWS name it creates and every key of "
  "its Terraform states. Two environments with one prefix would fight over the "
  "same resources and states. Give each its own prefix.")
DIAG_CODE(E0510, SEV_ERROR, "subnet outside the VPC",
  "Every subnet's CIDR block must lie inside the VPC's (Amazon VPC User Guide, "
  "\"Subnet CIDR blocks\"): AWS refuses to create it otherwise.")
DIAG_CODE(E0511, SEV_ERROR, "overlapping subnets",
  "Two subnets of a VPC share addresses. AWS refuses overlapping subnet CIDR "
  "blocks in one VPC; give each its own range.")
DIAG_CODE(E0512, SEV_ERROR, "subnets do not match the availability zones",
  "Each tier (public, private, database) has one subnet per availability zone, "
  "in the order of azs, so there must be exactly as many subnets in a tier as "
  "zones, and no zone twice.")
DIAG_CODE(E0513, SEV_ERROR, "availability zone outside the region",
  "An availability zone belongs to one region, named by its prefix "
  "(us-east-1a is in us-east-1). The zone must be one of the region's, as the "
  "standard library lists them.")
DIAG_CODE(E0514, SEV_ERROR, "load balancer in fewer than two zones",
  "An application load balancer needs subnets in at least two availability "
  "zones (ELB User Guide, \"Availability Zones and subnets\"). Give the VPC two "
  "or more zones and public subnets.")
DIAG_CODE(E0515, SEV_ERROR, "subnet size outside /16 to /28",
  "AWS creates IPv4 subnets from a /16 netmask (65,536 addresses) down to a "
  "/28 (16 addresses) and refuses any other size (Amazon EC2 API Reference, "
  "CreateSubnet; Amazon VPC User Guide, \"Subnet CIDR blocks\"). A /29 or "
  "smaller cannot be created: widen the block to at most /28, which also "
  "leaves room beside the five addresses AWS reserves in every subnet.")
DIAG_CODE(E0516, SEV_ERROR, "reserved tag prefix",
  "AWS reserves the prefix aws: (in any mix of cases) for its own tags: a tag "
  "key or value starting with it is refused (Amazon ECS API Reference, data "
  "type Tag; Tagging AWS Resources, \"Tag naming limits and requirements\"). "
  "Rename the tag.")
DIAG_CODE(E0517, SEV_ERROR, "tags beyond AWS's limits",
  "A tag key is at most 128 Unicode characters and a value at most 256, and a "
  "resource has at most 50 tags (Amazon ECS API Reference, data type Tag; "
  "Tagging AWS Resources, \"Tag naming limits and requirements\"). Every "
  "resource of an environment carries the project's tags, the environment's "
  "and ecsc's own (project, environment, managed-by, Name): shorten the tag, "
  "or keep fewer.")
DIAG_CODE(E0518, SEV_ERROR, "environment name is not a directory name",
  "build writes each environment's states under DIR/ENV/, so the name must be "
  "one safe directory name on every system: 1 to 255 characters (NAME_MAX) "
  "from POSIX's portable filename character set (letters, digits, . _ -), "
  "not starting with . or - and so never . or .. nor read as an option. "
  "Rename the environment, and its in \"ENV\" blocks and values-file keys.")
DIAG_CODE(E0519, SEV_ERROR, "nothing to build",
  "The project declares no environment, so build would write no state at "
  "all. Declare one: environment \"staging\" { vpc { ... } cluster \"a\" { ... } }. "
  "lint of the same file only warns (W0510): a project may be written before "
  "its environments.")

DIAG_CODE(E0520, SEV_ERROR, "port out of range",
  "Container and host ports are 1 to 65535, a host port 0 meaning a dynamic "
  "one (ECS API Reference, PortMapping): port, host_port, each of ports and "
  "connect's port.")
DIAG_CODE(E0521, SEV_ERROR, "container memory out of range",
  "A container needs at least 6 MiB of memory (ECS API Reference, "
  "ContainerDefinition: memory and memoryReservation).")
DIAG_CODE(E0522, SEV_ERROR, "memory reservation not below the limit",
  "memory_reservation (the soft limit the scheduler reserves) must be below "
  "memory (the hard limit at which the container is killed); ECS refuses a "
  "reservation above it, and one equal to it makes the soft limit pointless.")
DIAG_CODE(E0523, SEV_ERROR, "task larger than its instances",
  "One task needs more memory, CPU or network interfaces than an instance of "
  "its cluster has, so ECS can never place it, and cluster auto scaling "
  "ignores it: the service sits at zero running tasks. Memory is what ECS "
  "registers: the memory the kernel reports, always below what EC2 "
  "advertises, less ECS_RESERVED_MEMORY (an m4.large's 8192 MiB registers as "
  "7985 MiB); a task reserving all of it never fits. Use a larger instance "
  "type or a smaller task. Sizes come from std/aws/instance_types.")
DIAG_CODE(E0524, SEV_ERROR, "container health check out of range",
  "A container health check's interval is 5 to 300 seconds, its timeout 2 to "
  "60 seconds, its retries 1 to 10 and its start period 0 to 300 seconds (ECS "
  "API Reference, HealthCheck).")
DIAG_CODE(E0525, SEV_ERROR, "target group health check out of range",
  "A target group's health check interval is 5 to 300 seconds, its timeout 2 "
  "to 120 seconds, its thresholds 2 to 10 (Application Load Balancers User "
  "Guide, \"Health checks for Application Load Balancer target groups\": "
  "HealthCheckIntervalSeconds \"The range is 5-300 seconds\", "
  "HealthCheckTimeoutSeconds \"The range is 2-120 seconds\", the thresholds "
  "\"The range is 2-10\"). The timeout must also be shorter than the "
  "interval: CreateTargetGroup and ModifyTargetGroup refuse it otherwise, "
  "with \"ValidationError: Health check interval must be greater than the "
  "timeout\" (the guide does not say so; the refusal is ELB's own).")
DIAG_CODE(E0526, SEV_ERROR, "deregistration delay out of range",
  "A target group's deregistration delay is 0 to 3600 seconds (ELB User Guide, "
  "\"Target group attributes\").")
DIAG_CODE(E0527, SEV_ERROR, "log retention not allowed",
  "CloudWatch Logs keeps events for one of a fixed set of periods: 1, 3, 5, 7, "
  "14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, "
  "2922, 3288 or 3653 days (CloudWatch Logs API Reference, PutRetentionPolicy).")
DIAG_CODE(E0528, SEV_ERROR, "invalid health check command",
  "A health check command is a non-empty shell string (run as CMD-SHELL) or a "
  "list whose first word is the program (run as CMD). A list may also start "
  "with CMD or CMD-SHELL itself, followed by at least one word (ECS API "
  "Reference, HealthCheck).")
DIAG_CODE(E0530, SEV_ERROR, "deployment percentage out of range",
  "A rolling deployment keeps min_healthy 0% to 100% of the tasks running and "
  "runs at most max_percent, from 100%, of them. The ECS API Reference "
  "(DeploymentConfiguration) gives the defaults, 100% and 200%, and types "
  "both as Integer; it sets no upper bound on maximumPercent for a replica "
  "service (only the daemon strategy refuses one above 100), so max_percent "
  "may be above 200%, though ECS then starts no more than the count beside "
  "the old tasks. min_healthy's 0% to 100% and max_percent's 100% are "
  "ecsc's bounds.")
DIAG_CODE(E0531, SEV_ERROR, "deployment cannot make progress",
  "During a deployment ECS keeps count x min_healthy running, rounded up, and "
  "runs at most count x max_percent, rounded down (ECS API Reference, "
  "DeploymentConfiguration). Unless the second is above the first, ECS may "
  "neither stop an old task nor start a new one, and the deployment never "
  "proceeds: always when max_percent is not above min_healthy, and for small "
  "counts when the rounding meets (count 1 with 50% and 100%). Checked per "
  "environment, after overrides, for rolling deployments only: both bounds "
  "are worded for the rolling update, and a blue-green, canary or linear "
  "deployment starts the whole new revision beside the old one (\"SCALE_UP: "
  "The stage when the green service revision scales up to 100% and launches "
  "new tasks\", ECS API Reference, ServiceDeployment), so the pair cannot "
  "stall it.")
DIAG_CODE(E0532, SEV_ERROR, "desired count out of range",
  "A service's desired count is 0 or more (ECS API Reference, CreateService, "
  "desiredCount), and at most 1,000,000, ecsc's own bound, for a count and "
  "for scaling's min and max alike. Above 5,000, ECS's adjustable quota "
  "\"Tasks per service\" by default, W1123 warns.")
DIAG_CODE(E0533, SEV_ERROR, "cluster can never hold the service",
  "Even at its max_size, the cluster's instances cannot hold the service's "
  "tasks, or the room a deployment needs: one new task beside those "
  "min_healthy keeps running. Tasks per instance is the least of what the "
  "instance's registered memory, its CPU and, for awsvpc tasks, its network "
  "interfaces (one per task; the primary interface is the instance's own) "
  "allow; the message names the one that decides. Managed scaling launches "
  "instances up to max_size and no further, so the tasks would wait forever "
  "and terraform apply would time out. Raise max_size, use a larger instance "
  "type, or lower the count.")
DIAG_CODE(E0534, SEV_ERROR, "reserved memory leaves nothing for tasks",
  "ECS_RESERVED_MEMORY is at least the instance's memory: the agent refuses "
  "to register the instance (amazon-ecs-agent, RegisterContainerInstance), "
  "or registers none for tasks. Reserve less.")
DIAG_CODE(E0540, SEV_ERROR, "duplicate listener rule priority",
  "Two routes on one load balancer declare the same priority; each listener "
  "rule needs its own (ELB API Reference, CreateRule). Leave priority out and "
  "ecsc assigns them, most specific pattern first.")
DIAG_CODE(E0541, SEV_ERROR, "overlapping routes",
  "Every request one route matches is matched first by another route of the "
  "same load balancer, so it can never receive traffic. Make the patterns "
  "distinct, or give the narrower route the lower priority.")
DIAG_CODE(E0542, SEV_ERROR, "too many route conditions",
  "A route is one listener rule: its paths are one path-pattern condition, "
  "its hosts one host-header condition, and ELB takes at most 5 values in "
  "the rule, paths and hosts together (Application Load Balancers User "
  "Guide, \"Quotas for your Application Load Balancers\": Condition Values "
  "per Rule, 5, not adjustable). CreateRule refuses a sixth: \"A rule can "
  "only have '5' condition values\" (ELB's message, quoted in "
  "aws/aws-cdk#10065 and aws-cloudformation/cfn-lint#3833). How the five "
  "split between paths and hosts does not matter: the user guide's \"up to "
  "three match evaluations per condition\" is not what ELB enforces, and "
  "AWS's own tools write four or five values in one condition. Split the "
  "paths and hosts between services, a route each, or cover them with "
  "fewer patterns (\"/api/*\" covers \"/api/v1/*\" and \"/api/v2/*\").")
DIAG_CODE(E0543, SEV_ERROR, "route without a load balancer or port",
  "A route sends the load balancer's traffic to the service's port: the "
  "environment needs an alb block, whose load balancer holds the route's "
  "listener rule, and the routed container a port, since ECS sends the "
  "target group's traffic to a containerPort of the task definition (ECS API "
  "Reference, LoadBalancer: containerPort \"must correspond to a containerPort "
  "in the task definition\"). Add alb {} to the environment, or port = ... to "
  "the container the route goes to.")
DIAG_CODE(E0550, SEV_ERROR, "more tasks on a host port than instances",
  "A fixed host port (host_port in bridge mode, or in host mode every port "
  "the task maps, ports too) lets an instance run one task that takes it, "
  "of one service or of several with the same port. ECS places the others "
  "on other instances, and managed scaling launches them up to max_size; "
  "beyond that the tasks can never run. Leave host_port out (dynamic host "
  "ports let tasks share an instance), give the services distinct ports, or "
  "raise max_size.")
DIAG_CODE(E0551, SEV_ERROR, "autoscaling group sizes out of order",
  "A cluster's autoscaling group runs between min_size and max_size instances, "
  "and its desired size lies between them (Auto Scaling API Reference, "
  "CreateAutoScalingGroup); AWS refuses the group otherwise. min_size and "
  "max_size default to size.")
DIAG_CODE(E0552, SEV_ERROR, "certificate of another region or account",
  "An HTTPS listener uses an ACM certificate of the load balancer's own region "
  "(ACM certificates are regional) and partition, and, when the environment "
  "pins its account, of that account. Request or import the certificate in "
  "ACM where the load balancer is.")
DIAG_CODE(E0553, SEV_ERROR, "host port under awsvpc or host networking",
  "Under awsvpc and host networking a container's host port is its container "
  "port: ECS takes hostPort only blank or equal to containerPort (ECS API "
  "Reference, PortMapping). Remove host_port, or use bridge networking to map "
  "the container's port to another one on the instance.")
DIAG_CODE(E0554, SEV_ERROR, "one name for two things",
  "Two things ecsc generates would have the same name where AWS (or "
  "Terraform) wants it unique: security groups in one VPC, IAM roles in one "
  "account, clusters, log groups, task families, target groups and the like "
  "in one account and region, resources in one Terraform state. AWS refuses "
  "the second (a service named \"alb\" on awsvpc takes its environment's "
  "load balancer's security group name); Terraform would merge them. "
  "Environments that do not pin their account are taken to share one. "
  "Rename one of them. The same code marks a label that gives no Terraform "
  "name at all: a parameter's, a cluster's and a schedule's label names a "
  "resource, and Terraform takes a name that starts with a letter or _ and "
  "holds only letters, digits, _ and - (ecsc turns - and . into _): "
  "\"10pm\" or \"night/1\" names none, and Terraform stops at parsing the "
  "state. Start the label with a letter (\"at-10pm\").")
DIAG_CODE(E0555, SEV_ERROR, "image out of reach",
  "With nat = \"none\" the private subnets reach AWS only through the VPC "
  "endpoints ecsc creates (ECS, ECR with S3, CloudWatch Logs, SSM): an image "
  "from Docker Hub or any registry but a private ECR repository cannot be "
  "pulled, and every task would fail to start. Copy the image to ECR (or add "
  "an ECR pull through cache rule for its registry), or use a NAT gateway.")
DIAG_CODE(E0556, SEV_ERROR, "reserved host port",
  "A fixed host port (host_port in bridge mode, in host mode the port and "
  "each of ports) must be free on the instance: ECS reserves 22, 2375, 2376 "
  "and 51678-51680 and gives the range 32768-61000 to dynamic host ports "
  "(ECS API Reference, PortMapping). A task asking for one of them is never placed.")
DIAG_CODE(E0560, SEV_ERROR, "environment variable set twice",
  "A variable is set both in env (plainly) and in secrets; ECS refuses a task "
  "definition that does so. Keep one of them.")
DIAG_CODE(E0561, SEV_ERROR, "secret value in source",
  "A secure parameter has a value in the configuration: the secret would sit "
  "in the repository and in the Terraform state. Secure values are set outside "
  "ecsc (aws ssm put-parameter --type SecureString); declare only the path. A "
  "kms_key on a plain parameter is refused too: it encrypts nothing.")

DIAG_CODE(E0563, SEV_ERROR, "control character in an agent setting",
  "The ECS agent reads /etc/ecs/ecs.config as KEY=VALUE lines. A line break "
  "(or another control character) in a value, possible through escapes, would "
  "end the setting early or smuggle in another; ecsc refuses it.")

DIAG_CODE(E0564, SEV_ERROR, "awslogs missing from the logging drivers",
  "Every task ecsc defines logs through the awslogs driver. A cluster whose "
  "agent setting ECS_AVAILABLE_LOGGING_DRIVERS leaves it out has no instance "
  "with that capability, so ECS can place none of its tasks.")

DIAG_CODE(E0565, SEV_ERROR, "agent setting in a form the agent cannot parse",
  "Each ECS agent setting has a form, the one the agent's code parses: true "
  "or false, a whole number, a Go duration (30s, 1h30m), one of a few words, "
  "a JSON list or object (aws/amazon-ecs-agent, README.md \"Environment "
  "Variables\" and agent/config). The agent ignores a value it cannot parse "
  "and keeps its default, so the setting would silently do nothing: write it "
  "in its form.")
DIAG_CODE(E0566, SEV_ERROR, "agent setting ecsc writes",
  "ecsc writes ECS_CLUSTER (the cluster's name), ECS_ENABLE_TASK_IAM_ROLE and "
  "ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST (every service has a task role) and "
  "ECS_DYNAMIC_HOST_PORT_RANGE (the ports the instances' security group "
  "opens) itself; a second value would contradict it. Remove the setting.")

DIAG_CODE(E0601, SEV_ERROR, "unknown AWS service prefix in a grant",
  "The part of a grant's action before the colon must be the prefix of an AWS "
  "service in the Service Authorization Reference, which ecsc carries whole "
  "(every service; compiler/gen/iam_table says which edition). A misspelt prefix "
  "gives a policy that allows nothing; the help line suggests the closest "
  "prefix.")
DIAG_CODE(E0602, SEV_ERROR, "unknown IAM action in a grant",
  "Every action in a grant must be one of the service's actions in the "
  "Service Authorization Reference, in any case, or a pattern with * or ? "
  "that matches at least one. IAM accepts unknown actions silently, so a typo "
  "is a permission you think you gave but did not. The help line suggests the "
  "closest action, or a pattern when the name only begins several.")
DIAG_CODE(E0603, SEV_ERROR, "IAM action does not act on the grant's resources",
  "IAM authorizes an action on the resources of the types the Service "
  "Authorization Reference lists for it, each with an ARN pattern: "
  "logs:CreateLogStream acts on a log stream, "
  "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}, "
  "not on its log group. A grant whose resources fit none of the action's "
  "patterns is accepted by IAM and allows nothing. The help line gives the "
  "patterns: write an ARN that fits one (each ${...} a name; * and ? are "
  "wildcards), or move the action to a grant with such resources.")
DIAG_CODE(E0604, SEV_ERROR, "resource no action of the grant acts on",
  "IAM allows each action of a statement on the resources of its own types. "
  "A resource that none of the grant's actions acts on (an object ARN beside "
  "bucket actions only) allows nothing: it is a mistake, or it belongs in "
  "another grant with the actions that act on it. The help line gives the "
  "ARN patterns the grant's actions take.")
DIAG_CODE(E0605, SEV_ERROR, "IAM action without resource-level permissions given an ARN",
  "Some actions (ecr:GetAuthorizationToken, sts:GetCallerIdentity, most List "
  "actions) have no resource types in the Service Authorization Reference: "
  "IAM authorizes them only through a statement whose resource is \"*\", so "
  "a grant of one on an ARN allows nothing. Write resources = [\"*\"] in a "
  "grant of its own, so that the other actions keep their ARNs.")
DIAG_CODE(E0606, SEV_ERROR, "resource is not an ARN",
  "A grant's resource is \"*\" or an ARN: "
  "arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, six fields separated by "
  "colons, of which the region and the account may be empty (arn:aws:s3:::orders/*) "
  "and the resource may hold colons of its own (IAM User Guide, \"IAM "
  "identifiers\"). Anything else names no resource.")
DIAG_CODE(E0607, SEV_ERROR, "ecsc derived a wrong IAM statement",
  "ecsc checks each statement it derives (the task execution role's, the "
  "instance role's) against the Service Authorization Reference as it checks "
  "grants: each action exists, each resource fits an ARN pattern of a "
  "resource type the action takes (or is * for an action without one), and "
  "each condition key is one the action, its resource types or the global "
  "aws: set defines. A finding means a role AWS would deny at run time. It "
  "points at the line that made ecsc derive the statement: if that line is "
  "wrong (a kms_key ARN that names no key), fix it; otherwise it is a bug in "
  "ecsc: please report it.")
DIAG_CODE(W0601, SEV_WARNING, "grant of every action",
  "prefix:* or * allows every present and future action of the service. Name "
  "the actions the application calls.")
DIAG_CODE(W0602, SEV_WARNING, "grant on every resource",
  "* applies the actions to every resource in the account. Name the ARNs; * is "
  "needed only for actions without resource-level permissions (the Service "
  "Authorization Reference lists them).")
DIAG_CODE(N0601, SEV_NOTE, "grant repeats the task execution role",
  "ECS already has this permission through the task execution role (to inject "
  "secrets, pull the image, write logs). The application needs it too only if "
  "it calls the action itself; otherwise remove the grant.")
DIAG_CODE(E0702, SEV_ERROR, "the journal of an interrupted build is damaged",
  "A build that was killed while it updated DIR leaves DIR/.ecsc-update/journal, "
  "which the next build finishes first. This one has a line no ecsc writes (a "
  "disk fault, or an edit by hand), so no build can finish it, and none is "
  "tried: DIR is as the interrupted build left it. Build again with "
  "--discard-journal: the update is moved aside, whole, to "
  "DIR/.ecsc-discarded-N (nothing is deleted: it may hold files of yours the "
  "killed build was moving), and the build then writes every file that differs "
  "from what it should be. Delete DIR/.ecsc-discarded-N once you have looked.")
DIAG_CODE(E0703, SEV_ERROR, "an interrupted build of a later ecsc",
  "DIR/.ecsc-update/journal was written by a later version of ecsc, in a format "
  "this one does not know, by a build that was killed before it finished. Build "
  "with that version, which finishes the update first; or build again with "
  "--discard-journal, which moves the update aside to DIR/.ecsc-discarded-N "
  "(deleting nothing) and writes every file that differs.")
DIAG_CODE(N0704, SEV_NOTE, "an unfinished update was set aside",
  "--discard-journal moved the update a killed build left unfinished to "
  "DIR/.ecsc-discarded-N instead of finishing it, and this build then wrote "
  "every file that differed. What the killed build had staged is in that "
  "directory, and so may be files of yours it was moving between a state "
  "directory and its replacement: look, take back what is yours, and delete it.")
DIAG_CODE(E0705, SEV_ERROR, "a mount point in a state directory",
  "ecsc replaces a state directory whose files change whole, with one rename, "
  "so that no reader ever sees half of an update; your files in it (a README, "
  ".terraform/) are carried over to the new one as hard links. A mount point "
  "cannot move with it. Mount it elsewhere: Terraform's TF_DATA_DIR puts "
  ".terraform outside the state directory.")

DIAG_CODE(E0801, SEV_ERROR, "compose file is not YAML",
  "ecsc import compose reads a Docker Compose file, which is YAML, and the "
  "YAML parser stopped here. The message is the parser's (libyaml's); fix "
  "the file so that docker compose config reads it.")
DIAG_CODE(E0802, SEV_ERROR, "not a compose file",
  "A compose file is a mapping with a services key that maps each service's "
  "name to its settings. This file is YAML but has no services mapping, or no "
  "service in it.")
DIAG_CODE(E0803, SEV_ERROR, "compose value of the wrong shape",
  "A compose key has a value of another shape than the Compose Specification "
  "gives it: a mapping where a list goes, a list where a string goes. Write it "
  "as the specification says; docker compose config rejects it too.")
DIAG_CODE(E0804, SEV_ERROR, "compose service without an image",
  "A compose service has neither image nor build. ECS runs images: add image: "
  "with the image ECS should pull (a registry URL with a tag).")
DIAG_CODE(E0805, SEV_ERROR, "compose value ecsc cannot read",
  "A compose value is not in the form the Compose Specification gives it: a "
  "size such as 512m, a duration such as 1m30s, a health check test starting "
  "with CMD, CMD-SHELL or NONE, a command with balanced quotes.")
DIAG_CODE(E0880, SEV_ERROR, "capacity provider deleted while services run on it",
  "build compares the source with the previous build in DIR. A capacity "
  "provider that build made (a group's, or a cluster's own instances') is "
  "gone from this one (the group removed or renamed, or its cluster or "
  "environment renamed, which renames its autoscaling group), while a "
  "service that ran on it moves elsewhere, or is removed, in the same build "
  "(a removed service's state is destroyed after the VPC state). The VPC state "
  "is applied first, and ECS lets a provider leave its cluster \"if it's not "
  "being used by any existing tasks\" only (ECS API Reference, "
  "PutClusterCapacityProviders): the apply fails with "
  "ResourceInUseException, \"The specified capacity provider is in use and "
  "cannot be removed\", once the AWS provider's retries run out. The old "
  "group, its instances and tasks run on; the new provider stays outside "
  "the cluster, so the service states cannot move to it either (UpdateService: "
  "\"A capacity provider must be associated with the cluster to be used in a "
  "capacity provider strategy\"), and a provider is deleted only once no "
  "service's strategy names it (DeleteCapacityProvider). Rename in two "
  "builds: keep the old group beside the new one, build, apply the VPC "
  "state, then the service states with -var force_new_deployment=true, "
  "which move the tasks; then remove the old group, build and apply the VPC "
  "state again (README.md, \"Renaming a capacity group\"). To remove a "
  "group with its services, remove the services first, build, apply the "
  "VPC state and destroy their states; then remove the group.")
DIAG_CODE(E0881, SEV_ERROR, "capacity provider deleted before its cluster lets it go",
  "The previous build in DIR made a capacity provider without "
  "lifecycle { create_before_destroy = true }, which ecsc now writes, and "
  "this build deletes it from a cluster that stays. Terraform deletes a "
  "resource before updating what referred to it unless the resource is "
  "create_before_destroy (Terraform's docs/destroying.md; hashicorp/terraform "
  "issue 17614), and for a resource gone from the configuration it reads "
  "that setting from its state: it would delete the provider while the "
  "cluster still holds it, which ECS refuses (DeleteCapacityProvider: \"Only "
  "capacity providers that aren't associated with a cluster can be "
  "deleted\"; the apply fails, or waits 20 minutes, "
  "hashicorp/terraform-provider-aws issues 29152 and 14393). Keep the group "
  "in this build and apply the VPC state once: Terraform records the "
  "setting in its state. Then remove the group.")
DIAG_CODE(E0890, SEV_ERROR, "tag with a character AWS refuses",
  "Tags reach every resource of the environment, and the API models of ECS, "
  "Elastic Load Balancing, IAM, CloudWatch Logs and Systems Manager take in "
  "tag keys and values only letters, digits and spaces (of any script) and "
  "_ . : / = + - @ (their TagKey and TagValue patterns, "
  "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]). Any other character, such as a comma, "
  "parentheses or a quote, fails the apply. Remove or replace it: a list of "
  "values can be joined with spaces or /, \"ops/platform\".")
DIAG_CODE(E0891, SEV_ERROR, "empty tag key",
  "A tag key is 1 to 128 characters in every AWS service's API model: an "
  "empty key (\"\" = ...) is refused. Name the tag.")
DIAG_CODE(E0900, SEV_ERROR, "container named like the service",
  "A service's own attributes (image, port, memory, ...) describe its main "
  "container, which ECS knows by the service's name. A `container` block adds "
  "another container, and names in a task are unique (ECS API Reference, "
  "\"ContainerDefinition\": name). Give the block another name.")
DIAG_CODE(E0901, SEV_ERROR, "containers that wait for each other",
  "depends_on makes a container start only once another has reached a "
  "condition. Containers that wait for each other, directly or around a "
  "circle, never start, and ECS refuses the task definition. Remove one of "
  "the dependencies of the circle shown.")
DIAG_CODE(E0902, SEV_ERROR, "HEALTHY on a container without a health check",
  "depends_on = { NAME = \"HEALTHY\" } waits for NAME's Docker health check "
  "to pass, which \"requires that the dependent container has health checks "
  "configured\" (ECS API Reference, \"ContainerDependency\"). A health "
  "block whose command is [\"NONE\"] configures none: Docker disables the "
  "check (Docker Engine API, HealthConfig.Test: [\"NONE\"] \"disable "
  "healthcheck\"), the container never reports HEALTHY, and the ECS agent "
  "never starts the one waiting for it. Give that container a health block "
  "with a command that checks it, or wait for START instead.")
DIAG_CODE(E0903, SEV_ERROR, "COMPLETE or SUCCESS on an essential container",
  "COMPLETE and SUCCESS wait for a container to exit, and an essential "
  "container's exit stops the whole task: ECS \"can't\" set these conditions "
  "on an essential container (ECS API Reference, \"ContainerDependency\"). "
  "Set essential = false on the container that runs to completion (a "
  "migration, an init step), or wait for START or HEALTHY.")
DIAG_CODE(E0904, SEV_ERROR, "no essential container",
  "A task stops when one of its essential containers stops, and ECS requires "
  "at least one (ECS API Reference, \"ContainerDefinition\": essential, \"All "
  "tasks must have at least one essential container\"). Leave the service's "
  "own container essential (the default).")
DIAG_CODE(E0905, SEV_ERROR, "a port taken twice in one task",
  "Under awsvpc and host networking every container of a task shares one "
  "network namespace, so two containers cannot listen on one port; under "
  "bridge networking two containers cannot take the same fixed host port "
  "(ECS API Reference, \"PortMapping\"; ECS Developer Guide, \"Amazon ECS task "
  "networking\"). Give one of them another port. The message says where each "
  "is written, port or ports. In any network mode a container lists a port "
  "once, in port or in ports: a second mapping of one TCP port adds nothing "
  "(ECS's PortMapping: \"You can't expose the same container port for "
  "multiple protocols\"; the refusal of a repeated TCP mapping is ecsc's own "
  "rule, not one AWS documents).")
DIAG_CODE(E0906, SEV_ERROR, "container without memory",
  "Without a task-level memory, ECS needs each container's memory (the hard "
  "limit) or memory_reservation (the soft one) on the EC2 launch type (ECS "
  "API Reference, \"ContainerDefinition\": memory). Give the container one.")
DIAG_CODE(E0907, SEV_ERROR, "which container does the route go to",
  "A route sends the load balancer's traffic to one container of the task: "
  "the service's own when it has a port, else the one container with a port. "
  "When several sidecars listen and the service's own does not, say which: "
  "container = \"NAME\" in the route block.")
DIAG_CODE(E0908, SEV_ERROR, "ulimit soft limit above its hard limit",
  "A process may raise its soft limit up to the hard limit, never beyond: a "
  "soft limit above the hard one is refused by Docker when the container "
  "starts (setrlimit(2): EINVAL when rlim_cur exceeds rlim_max). Lower soft or "
  "raise hard.")
DIAG_CODE(E0909, SEV_ERROR, "unknown ulimit",
  "ECS passes the ulimits it knows to Docker (ECS API Reference, \"Ulimit\": "
  "core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, "
  "rtprio, rttime, sigpending, stack). Use one of those names.")
DIAG_CODE(E0910, SEV_ERROR, "exactly one of two attributes",
  "A parameter is either ecsc's, named by path below the environment's "
  "prefix, or managed elsewhere and named as is by external; a secret is "
  "named by its ARN or by its name. Give exactly one of the two.")
DIAG_CODE(E0911, SEV_ERROR, "a secret by name needs the account",
  "A container's secret from Secrets Manager is read by its ARN (ECS API "
  "Reference, \"Secret\": valueFrom is \"the full ARN of the Secrets Manager "
  "secret\"), and the task definition names it: with only the secret's name, "
  "ecsc needs the environment's account to write it. Pin the account "
  "(account = \"123456789012\" in the environment), or give the secret's arn.")
DIAG_CODE(E0912, SEV_ERROR, "an external parameter with a value",
  "A parameter named by external is managed elsewhere: ecsc creates nothing "
  "for it, so a value (or a description) would be lost. Remove it, or make "
  "the parameter ecsc's with path.")
DIAG_CODE(E0913, SEV_ERROR, "mount of a volume the task does not declare",
  "A container's mount \"NAME\" { path = ... } mounts the task's volume NAME "
  "(ECS API Reference, \"MountPoint\": sourceVolume \"must match the name of "
  "a volume\" of the task definition). Declare it in the service, volume "
  "\"NAME\" {} (or with efs { } or docker { }), or mount a volume it has.")
DIAG_CODE(E0914, SEV_ERROR, "volume name ECS does not accept",
  "A volume's name is what mountPoints name it by: \"Up to 255 letters "
  "(uppercase and lowercase), numbers, underscores, and hyphens are "
  "allowed\" (ECS API Reference, \"Volume\": name). Rename the volume and its "
  "mounts.")
DIAG_CODE(E0915, SEV_ERROR, "EFS access point or IAM without transit encryption",
  "ECS mounts an EFS file system through an access point, or with the task "
  "role (iam = true), only over TLS: \"If an access point is used, transit "
  "encryption must be on\", and with IAM authorization \"transit encryption "
  "must be turned on\" (ECS API Reference, \"EFSAuthorizationConfig\"). "
  "Remove transit_encryption = false (ecsc's default is true).")
DIAG_CODE(E0916, SEV_ERROR, "EFS root directory with an access point",
  "An access point fixes the directory a client sees: \"If an access point "
  "is specified, the root directory value specified in the "
  "EFSVolumeConfiguration must either be omitted or set to /\" (ECS API "
  "Reference, \"EFSAuthorizationConfig\"). Set the directory on the access "
  "point and remove root_directory.")
DIAG_CODE(E0917, SEV_ERROR, "Docker volume on Fargate",
  "\"Docker volumes aren't supported by tasks run on Fargate\" (ECS API "
  "Reference, \"Volume\": dockerVolumeConfiguration). On Fargate, use a "
  "volume of the task's own storage (volume \"NAME\" {}, sized by "
  "task.ephemeral_storage) or an EFS file system; or run the service on "
  "its cluster's instances.")
DIAG_CODE(E0918, SEV_ERROR, "volume of two kinds",
  "A task's volume is one of a bind mount (of the task's storage, or of the "
  "instance's host_path), an EFS file system, a Docker volume or an EBS "
  "volume configured at launch: it \"may only specify a name and one of\" "
  "their configurations (ECS API Reference, \"Volume\"). Keep one of its "
  "host_path, efs, docker and ebs.")
DIAG_CODE(E0919, SEV_ERROR, "EFS root access without IAM authorization",
  "root_access = true grants the task role elasticfilesystem:ClientRootAccess, "
  "which EFS consults only when the client mounts with IAM authorization "
  "(iam = true: ECS then mounts \"using the Amazon ECS task role\", ECS API "
  "Reference, \"EFSAuthorizationConfig\"). Without it the grant is never "
  "used: add iam = true, or remove root_access.")
DIAG_CODE(E0920, SEV_ERROR, "two mounts at one path",
  "Two mounts of one container at the same path: Docker refuses to create "
  "the container (\"Duplicate mount point\"), so the task never starts. "
  "Mount each volume at a path of its own.")
DIAG_CODE(E0921, SEV_ERROR, "instance path volume on Fargate",
  "volume \"NAME\" { host_path = \"/...\" } binds a directory of the "
  "container instance (ECS API Reference, \"HostVolumeProperties\": "
  "sourcePath), which Fargate does not have: \"If you're using the Fargate "
  "launch type, the sourcePath parameter is not supported\". On Fargate, a "
  "bind mount is the task's own storage: remove host_path (volume \"NAME\" "
  "{}, sized by task.ephemeral_storage), use an EFS file system for data "
  "that outlives the task, or run the service on its cluster's instances.")
DIAG_CODE(E0930, SEV_ERROR, "log option the driver does not take",
  "Docker refuses a log option its driver does not read, and the container "
  "does not start. Every driver takes mode and max-buffer-size (moby, "
  "daemon/logger/factory.go). awslogs takes awslogs-create-stream, "
  "awslogs-datetime-format, awslogs-endpoint, "
  "awslogs-force-flush-interval-seconds, awslogs-format, "
  "awslogs-max-buffered-events, awslogs-multiline-pattern and tag; json-file "
  "compress, max-file, max-size; syslog syslog-address, syslog-facility, "
  "syslog-format, syslog-tls-ca-cert, syslog-tls-cert, syslog-tls-key, "
  "syslog-tls-skip-verify; gelf gelf-address, gelf-compression-level, "
  "gelf-compression-type, gelf-tcp-max-reconnect, gelf-tcp-reconnect-delay; "
  "fluentd fluentd-address, fluentd-async, fluentd-async-reconnect-interval, "
  "fluentd-buffer-limit, fluentd-max-retries, fluentd-read-timeout, "
  "fluentd-request-ack, fluentd-retry-wait, fluentd-sub-second-precision, "
  "fluentd-write-timeout; splunk splunk-caname, splunk-capath, splunk-format, "
  "splunk-gzip, splunk-gzip-level, splunk-index, splunk-index-acknowledgment, "
  "splunk-insecureskipverify, splunk-source, splunk-sourcetype, splunk-token, "
  "splunk-url, splunk-verify-connection; and every driver but awslogs env, "
  "env-regex, labels, labels-regex and tag (each driver's ValidateLogOpt in "
  "moby/moby daemon/logger). awsfirelens options go to the router's output "
  "plugin and are not checked here.")
DIAG_CODE(E0931, SEV_ERROR, "awslogs option ecsc writes itself",
  "With awslogs, a container logs to its service's log group, in the "
  "environment's region, under the service's stream prefix: ecsc writes "
  "awslogs-group, awslogs-region and awslogs-stream-prefix, Terraform creates "
  "the group (so no awslogs-create-group), the execution role may write its "
  "streams and nothing else, and the agent sets awslogs-credentials-endpoint. "
  "A fixed awslogs-stream would be shared by every task, which CloudWatch "
  "Logs serializes. Remove the option; set the retention and the prefix in "
  "the service's logs block.")
DIAG_CODE(E0932, SEV_ERROR, "log option value Docker refuses",
  "Docker checks some log options' values before the driver starts (moby, "
  "daemon/logger/factory.go and awslogs' ValidateLogOpt): mode is blocking "
  "or non-blocking; max-buffer-size needs mode = \"non-blocking\", whose "
  "buffer it sizes; awslogs-datetime-format and awslogs-multiline-pattern "
  "cannot both be set. Fix the value shown.")
DIAG_CODE(E0933, SEV_ERROR, "awsfirelens without a router to send to",
  "The awsfirelens log driver sends a container's output to its task's "
  "FireLens router: a container with a firelens block (ECS Developer Guide, "
  "\"Send Amazon ECS logs to an AWS service or AWS Partner\"). Add one, such "
  "as container \"log_router\" { image = "
  "\"public.ecr.aws/aws-observability/aws-for-fluent-bit:stable\" firelens { "
  "type = \"fluentbit\" } }. The router itself cannot log through "
  "awsfirelens: it would send to itself; leave its log block out (awslogs).")
DIAG_CODE(E0934, SEV_ERROR, "two FireLens routers in one task",
  "awsfirelens names no router: it sends to the one container of the task "
  "with a FireLens configuration. The ECS agent builds one FireLens "
  "configuration per task, for the first container with a firelens block "
  "(amazon-ecs-agent, GetFirelensContainer), and mounts that file and its "
  "socket into every such container: a second router would read the first's "
  "configuration and contend for its socket. "
  "Keep one firelens block per service and send every container's logs "
  "through it.")
DIAG_CODE(E0935, SEV_ERROR, "port 24224 in a task with a FireLens router",
  "FireLens takes the task's logs on port 24224, which must not be reachable "
  "from outside the task: \"for tasks that use the bridge network mode, don't "
  "create any port mappings that use port 24224\", and under awsvpc or host "
  "no security group may let traffic in on it (ECS Developer Guide, \"Send "
  "Amazon ECS logs to an AWS service or AWS Partner\"). Listen on another "
  "port.")
DIAG_CODE(E0936, SEV_ERROR, "container waiting for its log router to exit",
  "A container that logs through awsfirelens needs its router running: "
  "\"ensure that each container has a START or HEALTHY condition "
  "requirement\" on the router (ECS Developer Guide, \"Send Amazon ECS logs "
  "to an AWS service or AWS Partner\"). Without depends_on ECS adds START "
  "itself. Wait for START or HEALTHY.")
DIAG_CODE(E0937, SEV_ERROR, "log driver the cluster's agent does not offer",
  "On EC2, \"the Amazon ECS container agent must register the available "
  "logging drivers with the ECS_AVAILABLE_LOGGING_DRIVERS environment "
  "variable before containers placed on that instance can use\" them (ECS API "
  "Reference, \"LogConfiguration\"): ECS places the task on no instance of "
  "the cluster. Add the driver to the cluster's agent setting. (awsfirelens "
  "is registered whatever the setting says; a cluster without the setting "
  "has its AMI's list, which ecsc does not check.)")
DIAG_CODE(E0938, SEV_ERROR, "log driver Fargate does not run",
  "\"For tasks on AWS Fargate, the supported log drivers are awslogs, "
  "splunk, and awsfirelens\" (ECS API Reference, \"LogConfiguration\"). Use "
  "one of those; a FireLens router (awsfirelens) reaches the other "
  "destinations.")
DIAG_CODE(E0939, SEV_ERROR, "FireLens configuration file Fargate or ECS cannot read",
  "A FireLens router may read its own configuration: config-file-type, s3 or "
  "file, and config-file-value, the object's ARN or the file's path, together "
  "(ECS API Reference, \"FirelensConfiguration\"). \"Tasks hosted on AWS "
  "Fargate only support the file configuration file type\": build the file "
  "into the router's image.")
DIAG_CODE(E0940, SEV_ERROR, "fluent-bit output without its destination",
  "A container that logs through a fluentbit router names the router's "
  "output in its log options: Name, and the destination fluent-bit requires "
  "(fluent-bit documentation, outputs): cloudwatch_logs (and AWS's Go "
  "plugin, cloudwatch) needs log_group_name and log_stream_name or "
  "log_stream_prefix; kinesis_firehose (or firehose) delivery_stream; "
  "kinesis_streams (or kinesis) stream; s3 bucket. Fluent Bit matches the "
  "Name in any case. ecsc grants the task role exactly that destination. "
  "With role_arn, the router writes as that role, and ecsc grants "
  "sts:AssumeRole on it only; the output still needs its destination.")
DIAG_CODE(E0950, SEV_ERROR, "scaling minimum above its maximum",
  "A service's scaling, or one of its schedules, gives a min above its max. "
  "Application Auto Scaling keeps the desired count between the two "
  "(RegisterScalableTarget, PutScheduledAction's ScalableTargetAction): lower "
  "min or raise max.")
DIAG_CODE(E0951, SEV_ERROR, "count outside the scaling's bounds",
  "With a scaling block, count is only the count the service starts with, and "
  "registering the scalable target moves a count outside min..max into it at "
  "once (Application Auto Scaling API Reference, RegisterScalableTarget): the "
  "count written never runs. Leave count out (it is then the scaling's min), "
  "or give one between min and max.")
DIAG_CODE(E0952, SEV_ERROR, "requests_per_target without a route",
  "requests_per_target tracks ALBRequestCountPerTarget, the requests of the "
  "service's target group per task; a service without a route has no target "
  "group. Add a route, or scale on cpu or memory.")
DIAG_CODE(E0953, SEV_ERROR, "cron expression AWS does not accept",
  "A schedule's cron is six fields separated by blanks: minutes (0-59), hours "
  "(0-23), day-of-month (1-31), month (1-12 or JAN-DEC), day-of-week (1-7 or "
  "SUN-SAT) and year (1970-2199), with the wildcards , - * / everywhere but "
  "day-of-week (no /), ? L W in day-of-month and ? L # in day-of-week. L, W "
  "and # take the forms AWS shows: L alone (the last day), 3W (the weekday "
  "nearest the 3rd), 6L (the last Friday of the month), 3#2 (the second "
  "Tuesday); Quartz's LW, L-2 and FRIL are on no AWS page, so ecsc refuses "
  "them. Exactly "
  "one of day-of-month and day-of-week is ?. This is EventBridge's syntax, "
  "which Application Auto Scaling uses, not Unix cron's five fields: \"0 22 ? "
  "* MON-FRI *\" is 22:00 on weekdays (EventBridge User Guide, \"Cron "
  "expressions reference\"). Write the fields alone; ecsc adds cron( ).")
DIAG_CODE(E0954, SEV_ERROR, "container that links to itself",
  "links name the other containers of the task a container reaches by name "
  "under bridge networking (ECS API Reference, \"ContainerDefinition\": "
  "links). A container reaches itself on localhost, and Docker links only to "
  "another container that is already running (\"Cannot link to a non running "
  "container\"). Remove the container's own name from its links.")
DIAG_CODE(E0955, SEV_ERROR, "links outside bridge networking",
  "links are \"only supported if the network mode of a task definition is "
  "set to bridge\" (ECS API Reference, \"ContainerDefinition\"), and "
  "RegisterTaskDefinition refuses them otherwise (\"Links are not supported "
  "when networkMode=awsvpc\"). Under awsvpc the task's containers share one "
  "network namespace and reach each other on localhost; under host they share "
  "the instance's. Remove links, or set network_mode = \"bridge\" on the "
  "instances (Fargate runs tasks under awsvpc only).")
DIAG_CODE(E0956, SEV_ERROR, "links that go round in a circle",
  "The ECS agent starts a link's target before the container that links to "
  "it, as if by depends_on START (amazon-ecs-agent, "
  "initializeContainerOrderingForLinks), and Docker links only to a running "
  "container. Containers that link to each other, directly or around a circle "
  "of links and depends_on, never start. Remove one of the links or "
  "dependencies of the circle shown; a container that only answers another "
  "needs no link back to it (the caller opens the connection).")
DIAG_CODE(E0960, SEV_ERROR, "Fargate service without awsvpc networking",
  "Tasks on Fargate have a network interface of their own: \"For Amazon ECS "
  "tasks on Fargate, the awsvpc network mode is required\" (ECS API "
  "Reference, RegisterTaskDefinition). Remove network_mode (a Fargate "
  "service's default is awsvpc), or run the service on the cluster's "
  "instances.")
DIAG_CODE(E0961, SEV_ERROR, "Fargate service without a task size",
  "Fargate sizes, places and bills a task by its task-level cpu and memory, "
  "which it requires (ECS API Reference, RegisterTaskDefinition). Add task { "
  "cpu = ... memory = ... } with one of the combinations E0962 lists.")
DIAG_CODE(E0962, SEV_ERROR, "task size Fargate does not offer",
  "Fargate runs tasks of these sizes only (ECS API Reference, "
  "RegisterTaskDefinition, memory; ecsc's table, compiler/fargate_sizes.h, is "
  "generated from the API model): 256 CPU units with 512, 1024 or 2048 MiB; "
  "512 with 1024 to 4096 MiB; 1024 with 2048 to 8192 MiB; 2048 with 4096 to "
  "16384 MiB; 4096 with 8192 to 30720 MiB, each in steps of 1024 MiB; 8192 "
  "with 16384 to 61440 MiB in steps of 4096, and 16384 with 32768 to 122880 "
  "MiB in steps of 8192, both on platform 1.4.0 or later. The message lists "
  "the memory values for the CPU given.")
DIAG_CODE(E0963, SEV_ERROR, "Fargate platform version retired",
  "platform_version pins a Linux platform version AWS no longer runs: "
  "1.0.0, 1.1.0 and 1.2.0 reached their deprecation date on December 14, "
  "2020, and 1.3.0 was retired on March 16, 2026 (June 15, 2026 in the "
  "China regions). ECS Developer Guide, \"AWS Fargate Linux platform "
  "version deprecation\": a deprecated version \"will no longer be "
  "available for new tasks or services\", and after the retirement \"you "
  "will not be able to launch new tasks or create new services configured "
  "with platform version 1.3.0\", and \"On March 31, 2026, we will "
  "terminate all the remaining running tasks configured with platform "
  "version 1.3.0\" (June 30, 2026 in the China regions), so the service "
  "state's apply fails at CreateService or "
  "UpdateService, after its task definition. Which error ECS then answers "
  "AWS does not document. The Linux version Fargate "
  "runs is 1.4.0 (\"Fargate Linux platform versions\": \"The LATEST Linux "
  "platform version is 1.4.0\"), which also has every feature ecsc uses "
  "that once needed it (the largest task sizes, ephemeral storage, EFS and "
  "EBS volumes, Service Connect, restart policies, "
  "ECS Exec, a secret's JSON key). Set platform_version to \"1.4.0\", or "
  "remove it: \"LATEST\", the default, follows AWS's current version.")
DIAG_CODE(E0964, SEV_ERROR, "Fargate setting on a service of the instances",
  "platform_version and task.ephemeral_storage are Fargate's (ECS API "
  "Reference, CreateService: \"A platform version is specified only for tasks "
  "using the Fargate launch type\"; EphemeralStorage). On the cluster's "
  "instances they mean nothing: remove them, or set capacity = \"fargate\".")
DIAG_CODE(E0965, SEV_ERROR, "cluster without Fargate capacity",
  "A service with capacity = \"fargate\" or \"fargate_spot\" names the "
  "FARGATE or FARGATE_SPOT capacity provider, which must be associated with "
  "its cluster (ECS API Reference, CapacityProviderStrategyItem). Add fargate "
  "= true to the cluster: ecsc then associates both.")
DIAG_CODE(E0966, SEV_ERROR, "container larger than its task",
  "A task's containers reserve less than the task's own memory and CPU: "
  "\"The total amount of memory reserved for all containers within a task "
  "must be lower than the task memory value\", and likewise for CPU (ECS API "
  "Reference, ContainerDefinition). A container's share is its "
  "memory_reservation when it has one, else its memory. With one container "
  "the caret is on its value; with several it is on the task's, and a note "
  "gives each container's share. Raise the task's size to the sum or more "
  "(equal is accepted), or lower what the containers reserve.")
DIAG_CODE(E0970, SEV_ERROR, "instance types of two architectures in one cluster",
  "A cluster's autoscaling group launches every instance type of its spot "
  "block with one launch template, and so one AMI, built for one "
  "architecture: instance_type's (ecsc reads the ECS-optimized AMI for it). "
  "An arm64 type (Graviton: t4g, m7g, c7g, ...) cannot boot an x86_64 AMI, nor "
  "the reverse (Amazon EC2 Auto Scaling User Guide, \"Use multiple launch "
  "templates\"). List types of instance_type's architecture only, or give the "
  "others a cluster of their own. A cluster's groups each have a launch "
  "template of their own, but its services' task definitions name one "
  "architecture (RuntimePlatform) and a strategy may place their tasks in "
  "any group: every group of a cluster is of its first instances' "
  "architecture (and of the cluster's architecture setting, when it has one: "
  "E1243).")
DIAG_CODE(E0980, SEV_ERROR, "termination protection without managed scaling",
  "A cluster sets termination_protection = true and turns managed scaling off "
  "(managed_scaling { enabled = false }). Managed termination protection keeps "
  "scale-in from terminating instances that run tasks, and works only with "
  "managed scaling (ECS API Reference, AutoScalingGroupProvider: \"When using "
  "managed termination protection, managed scaling must also be used\"). "
  "Turn managed scaling on, or remove termination_protection.")
DIAG_CODE(E0982, SEV_ERROR, "strategy names a capacity provider the cluster lacks",
  "A strategy \"PROVIDER\" block names a capacity provider the cluster does not "
  "have. A cluster has \"ec2\", its own instances' provider, when it names an "
  "instance_type; one provider per group \"NAME\" block, by its name; and with "
  "fargate = true also \"fargate\" and \"fargate_spot\" (FARGATE and "
  "FARGATE_SPOT). Only providers associated with the cluster can be used in a "
  "strategy (ECS API Reference, CapacityProviderStrategyItem). Name one of "
  "those, or set fargate = true in the cluster.")
DIAG_CODE(E0983, SEV_ERROR, "two providers with a base in one strategy",
  "Two strategy blocks of one cluster or service both have a base above 0. "
  "\"Only one capacity provider in a capacity provider strategy can have a base "
  "defined\" (ECS API Reference, CapacityProviderStrategyItem): ECS first "
  "places that many tasks on it, then shares the rest by weight. Keep one "
  "base.")
DIAG_CODE(E0984, SEV_ERROR, "strategy whose weights are all 0",
  "Every provider of a strategy has weight 0 (the default, as in AWS). At "
  "least one provider must have a weight above 0, and a provider of weight 0 "
  "takes no task beyond its base (ECS API Reference, "
  "CapacityProviderStrategyItem, weight). Give one provider weight = 1 or "
  "more.")
DIAG_CODE(E0985, SEV_ERROR, "strategy mixing instances and Fargate",
  "A strategy names both \"ec2\", the cluster's instances, and \"fargate\" or "
  "\"fargate_spot\". A cluster may have both kinds of capacity provider, but "
  "\"a capacity provider strategy can only contain Auto Scaling group capacity "
  "providers or Fargate capacity providers\" (ECS Developer Guide, \"Amazon ECS "
  "capacity providers\"). Keep one kind, or split the service in two.")
DIAG_CODE(E0986, SEV_ERROR, "service strategy of another capacity than its own",
  "A service's strategy places its tasks on Fargate while its capacity is "
  "\"ec2\", or on the cluster's instances while its capacity is Fargate. ecsc "
  "builds the task definition for the service's capacity (requiresCompatibilities, "
  "network mode, task size; ECS API Reference, RegisterTaskDefinition), and a "
  "strategy may not mix the two kinds (E0985). Set capacity to the strategy's "
  "kind, or name providers of the service's.")
DIAG_CODE(E0990, SEV_ERROR, "VPC forms mixed",
  "A vpc block is written one of two ways: a VPC ecsc builds (cidr, azs, "
  "public_subnets, private_subnets, database_subnets, nat), or an existing one "
  "it does not manage (id, public_subnet_ids, private_subnet_ids), which the "
  "VPC state reads with data sources and whose subnets, gateways, NAT, routes "
  "and endpoints stay its owner's. The block mixes the two. Remove the "
  "attributes of the form you did not mean.")
DIAG_CODE(E0991, SEV_ERROR, "subnet id listed twice",
  "Each subnet of an existing VPC is one data source of the VPC state and one "
  "place in the load balancer's and the autoscaling group's subnet lists. A "
  "subnet id is listed twice in one list: remove the repetition.")
DIAG_CODE(E0992, SEV_ERROR, "load balancer with fewer than two existing public subnets",
  "An Application Load Balancer needs subnets in at least two availability "
  "zones (ELB User Guide, \"Availability Zones and subnets for your Application "
  "Load Balancer\"). Of an existing VPC ecsc knows the subnets' ids, not their "
  "zones: it requires two public_subnet_ids here, and the VPC state's plan "
  "proves that they lie in two zones (a precondition of the load balancer) "
  "before anything is created. List a public subnet in each of two zones or "
  "more.")
DIAG_CODE(E0993, SEV_ERROR, "bastion without an existing public subnet",
  "The bastion is an instance with an Elastic IP in the first public subnet. "
  "An existing VPC given without public_subnet_ids has none for it: list the "
  "VPC's public subnets (with a route to its internet gateway), or remove the "
  "bastion.")
DIAG_CODE(E0994, SEV_ERROR, "cluster without capacity",
  "A cluster runs tasks on its own instances (instance_type and size), on "
  "further autoscaling groups (group \"NAME\" { instance_type, size }), on "
  "Fargate (fargate = true), or on several of these. One with none of them "
  "has no capacity provider for a strategy to name (ECS API Reference, "
  "CapacityProviderStrategyItem), so nothing could ever run on it. Add one.")
DIAG_CODE(E0995, SEV_ERROR, "setting of instances on a cluster without them",
  "Without instance_type a cluster has no autoscaling group of its own: size, "
  "min_size, max_size, termination_protection, spot and managed_scaling "
  "describe that group, and belong in a group block (or beside an "
  "instance_type). A cluster with neither instance_type nor groups runs on "
  "Fargate only, which runs containers without instances of yours (ECS "
  "Developer Guide, \"Architect for AWS Fargate for Amazon ECS\"): ecsc "
  "emits no launch template, instance role or user data for it, so ami, "
  "ami_id, key_name, root_volume, detailed_monitoring and agent mean nothing "
  "there. Remove the setting, or give the cluster instances.")
DIAG_CODE(E0996, SEV_ERROR, "group named as a capacity provider",
  "Strategies name a cluster's capacity providers: \"ec2\" for its own "
  "instances, \"fargate\" and \"fargate_spot\" for Fargate's, and each "
  "group by its label. A group called \"ec2\", \"fargate\" or "
  "\"fargate_spot\" would make the name mean two providers. Rename the group.")
DIAG_CODE(E0997, SEV_ERROR, "service of the instances on a cluster without its own",
  "A service with capacity = \"ec2\" (the default) and no strategy of its "
  "own is placed on its cluster's own capacity provider, the instances of "
  "its instance_type. A cluster without instance_type has none: on a "
  "Fargate-only cluster set capacity = \"fargate\" or \"fargate_spot\" "
  "(with a task size), and on a cluster of groups give the service a "
  "strategy that names them (strategy \"spot\" { weight = 1 }).")
DIAG_CODE(E1020, SEV_ERROR, "Service Connect port_name without a port to serve",
  "A connect block's port_name names the port mapping of the container the "
  "service serves in the namespace (ECS API Reference, ServiceConnectService: "
  "\"The portName must match the name of one of the portMappings from all "
  "the containers in the task definition\"). That container is the one "
  "`container` names, else the one that listens on connect's port when it is "
  "given, else the service's own when it has a port, else the one container "
  "with a port. It has no port (with only further ports, connect's port must "
  "say which it serves), or several containers have one and none is named. "
  "Give the container a port, say which with container = \"NAME\", or remove "
  "port_name to make the service a client only.")
DIAG_CODE(E1021, SEV_ERROR, "Service Connect discovery name used twice",
  "Two services of the environment serve under the same discovery name in "
  "its Cloud Map namespace (discovery_name, else the service's name). ECS API "
  "Reference, ServiceConnectService: the discoveryName \"must be unique within "
  "the Cloud Map namespace\"; the second service's deployment would fail. "
  "Give one of them another discovery_name.")
DIAG_CODE(E1022, SEV_ERROR, "Service Connect client alias used twice",
  "Two services of the environment give the same client alias, a DNS name "
  "and a port, in its namespace (client_alias's dns_name, else the discovery "
  "name, and its port, else the container's). ECS API Reference, "
  "ServiceConnectClientAlias: \"Each name and port mapping must be unique "
  "within the namespace\". Change the dns_name or the port of one of them.")
DIAG_CODE(E1023, SEV_ERROR, "Service Connect port served without awsvpc networking",
  "A service that serves a port in the namespace must be reachable there from "
  "the other services' tasks. ecsc opens the port on the tasks' own security "
  "group, to the VPC's addresses; only awsvpc tasks have a group of their own "
  "(ECS Developer Guide, \"Allocate a network interface for an Amazon ECS "
  "task\"). Under bridge or host networking the tasks share the instances' "
  "group, and opening it would open every task of the cluster: ecsc refuses "
  "rather than do that. Set network_mode = \"awsvpc\" (the default on "
  "Fargate).")
DIAG_CODE(E1024, SEV_ERROR, "Service Connect setting of a client only",
  "A connect block without port_name makes the service a client of the "
  "namespace: its tasks reach the others' aliases through ECS's proxy and "
  "serve nothing. container, discovery_name, app_protocol and client_alias "
  "describe what a service serves, and would be ignored. Add port_name = "
  "\"...\" to serve the container's port, or remove the setting.")
DIAG_CODE(E1026, SEV_ERROR, "Service Connect without a task memory",
  "ECS adds a proxy container to every task of a service with Service Connect, "
  "and sizes it from the task's own memory: \"Task definitions must set the "
  "task memory limit to use Service Connect\" (ECS Developer Guide, \"Amazon "
  "ECS Service Connect components\", Considerations); \"On Amazon EC2, task "
  "definition memory is required\" (same page, Proxy resources). Add task { "
  "memory = ... } to the service: its containers' memory, plus at least the "
  "64 MiB AWS recommends for the proxy.")
DIAG_CODE(E1027, SEV_ERROR, "Service Connect proxy left no memory",
  "ECS adds a proxy container to every task of a service with Service Connect; "
  "it has no memory of its own but what the task's containers leave: \"you "
  "must set the task memory limit to a number greater than the sum of the "
  "container memory limits. The additional CPU and memory in the task limits "
  "that aren't allocated in the container limits are used by the Service "
  "Connect proxy container\" (ECS Developer Guide, \"Amazon ECS Service "
  "Connect components\", Considerations). The containers' memory limits (memory, not "
  "memory_reservation) add up to the task's memory or more. Raise the task's "
  "memory (AWS recommends 64 MiB for the proxy) or lower a container's "
  "memory; on Fargate, the task's memory is one of the sizes of E0962.")
DIAG_CODE(E1030, SEV_ERROR, "assign_public_ip without awsvpc networking",
  "A public address is given to a task's own network interface, which only "
  "awsvpc tasks have (ECS API Reference, AwsVpcConfiguration: assignPublicIp, "
  "part of the awsvpc network configuration). Under bridge or host networking "
  "the tasks use the instance's interface. Set network_mode = \"awsvpc\" or "
  "remove assign_public_ip.")
DIAG_CODE(E1031, SEV_ERROR, "assign_public_ip on the cluster's instances",
  "ECS gives a public address to a task's interface on Fargate only: \"The "
  "awsvpc network mode does not provide task ENIs with public IP addresses "
  "for tasks that use the EC2 launch type\" (ECS Developer Guide, \"Allocate "
  "a network interface for an Amazon ECS task\"). Such tasks reach out "
  "through NAT or VPC endpoints from the private subnets, where ecsc places "
  "them. Set capacity = \"fargate\" (or \"fargate_spot\"), or remove "
  "assign_public_ip.")
DIAG_CODE(E1032, SEV_ERROR, "assign_public_ip without public subnets",
  "With assign_public_ip ecsc places the tasks in the environment's public "
  "subnets: a public address is of use only in a subnet routed to an internet "
  "gateway, and in a private subnet the task still has no way out but NAT. "
  "The environment uses an existing VPC and names no public_subnet_ids. Add "
  "them to its vpc block, or remove assign_public_ip.")
DIAG_CODE(E1040, SEV_ERROR, "FireLens router not running as UID 0",
  "ECS runs a FireLens router as root: RegisterTaskDefinition refuses a "
  "router whose user names another UID (\"If 'user' field is specified on "
  "firelens container, then 'UID' has to be '0'\"), a user name such as "
  "\"root\" included. Leave user out of the router (ECS stores \"0\", and "
  "ecsc writes it, so that Terraform sees no change at every plan), or write "
  "\"0\" or \"0:GID\".")
DIAG_CODE(E1041, SEV_ERROR, "FireLens router no container logs to",
  "RegisterTaskDefinition refuses a task with a FireLens configuration and "
  "no container logging through it: \"When a firelensConfiguration object is "
  "specified, at least one container has to be configured with the "
  "awsfirelens log driver.\" Send a container's logs to the router with "
  "log { driver = \"awsfirelens\" options = { ... } }, or remove the "
  "firelens block: a Fluent Bit or Fluentd sidecar needs none.")
DIAG_CODE(E1050, SEV_ERROR, "Service Connect on Bottlerocket instances",
  "Service Connect needs, on the container instance, the Service Connect "
  "agent beside the ECS agent: \"Container instances must run the Amazon "
  "ECS-optimized Amazon Linux 2023 AMI version 20230428 or later, or Amazon "
  "ECS-optimized Amazon Linux 2 AMI version 2.0.20221115 to use Service "
  "Connect. These versions have the Service Connect agent in addition to the "
  "Amazon ECS container agent\" (ECS Developer Guide, \"Amazon ECS Service "
  "Connect components\", Considerations). The Bottlerocket ECS variants "
  "(ami = \"bottlerocket\", aws-ecs-2) have none: such a task stays in "
  "PROVISIONING and the agent logs \"No service connect capabilities were "
  "found\" (bottlerocket-os/bottlerocket issue 2801, open). The service's "
  "tasks may land on the cluster's instances, its own or a group's, which "
  "share the cluster's AMI family. Use ami = \"al2023\" (or \"al2\") in the "
  "cluster, or run the service on Fargate (capacity = \"fargate\").")
DIAG_CODE(E1051, SEV_ERROR, "Service Connect namespace removed while services join it",
  "ecsc build read the output directory: the environment's VPC state there "
  "makes the Service Connect namespace and service states there still join it, "
  "but this build's VPC state no longer makes it (no service has a connect "
  "block). The VPC state is applied first, and AWS Cloud Map refuses to "
  "delete a namespace that holds services (DeleteNamespace: \"If the "
  "namespace still contains one or more services, the request fails\", "
  "ResourceInUse); ECS's Cloud Map services of the endpoints leave only when "
  "the service states, applied after it, turn Service Connect off. So the "
  "apply would fail at its first state. Remove Service Connect in two "
  "builds: first with connect_namespace = true in the environment (the "
  "namespace stays, the services leave it: apply every state of that build), "
  "then without it (the VPC state deletes the empty namespace). Only build "
  "reports this. A service removed from the source counts too: its state is "
  "destroyed among the service states, after the VPC state (build "
  "--changed=json lists it there), so it is still in the namespace.")
DIAG_CODE(E1052, SEV_ERROR, "Service Connect namespace replaced while services join it",
  "ecsc build read the output directory: the environment's VPC state there "
  "makes the Service Connect namespace under another name (or description) "
  "than this build's, and service states there still join it. The namespace "
  "is named after the environment's prefix, by default PROJECT-ENVIRONMENT, "
  "so renaming the project or setting a prefix renames it; its name is "
  "ForceNew in the AWS provider, so Terraform replaces it, deleting the old "
  "one first. AWS Cloud Map refuses to delete a namespace that holds "
  "services (DeleteNamespace, ResourceInUse), and the services leave it only "
  "when their states, applied after the VPC state, are: the apply would fail "
  "at its first state. Keep the name with prefix = \"OLD-NAME\" in the "
  "environment; or move in steps: remove Service Connect in two builds "
  "(E1051), change the prefix, then add Service Connect again. An empty "
  "namespace is replaced without harm, and nothing is reported.")
DIAG_CODE(E1141, SEV_ERROR, "EFS mount options Bottlerocket instances cannot mount",
  "An EFS volume with IAM authorization (iam = true), an access point "
  "(access_point_id) or transit encryption (on unless transit_encryption = "
  "false) needs, on a container instance, the ECS volume plugin and "
  "amazon-efs-utils; ECS places such a task only on instances that advertise "
  "ecs.capability.efsAuth. The ECS agent advertises it only from "
  "ECS_VOLUME_PLUGIN_CAPABILITIES, which ecs-init sets on the ECS-optimized "
  "AMIs (aws/amazon-ecs-agent, ecs-init/docker/docker.go). The Bottlerocket "
  "ECS variants (ami = \"bottlerocket\") have no ecs-init, their agent patch "
  "turns the capability off (bottlerocket-os/bottlerocket-core-kit, "
  "packages/ecs-agent/0002-bottlerocket-remove-unsupported-capabilities.patch), "
  "and amazon-efs-utils is Python, which Bottlerocket does not ship "
  "(bottlerocket-os/bottlerocket issue 1080, open): the tasks are never "
  "placed. Run the service on Fargate (capacity = \"fargate\"), or use ami = "
  "\"al2023\" (or \"al2\") in the cluster. If plain NFS is acceptable, "
  "remove iam and access_point_id and set transit_encryption = false: "
  "Bottlerocket mounts that, but the data crosses the network unencrypted, "
  "EFS no longer checks the task role's grants, and the access point's user "
  "and directory no longer apply.")
DIAG_CODE(E1142, SEV_ERROR, "EBS volume on Bottlerocket instances",
  "ECS attaches an EBS volume configured at launch only to a task on an "
  "instance whose agent advertises "
  "ecs.capability.storage.ebs-task-volume-attach, and the agent advertises "
  "it only when the EBS CSI driver's image is on the instance "
  "(/var/lib/ecs/deps/daemons/ebs-csi-driver/ebs-csi-driver.tar; "
  "aws/amazon-ecs-agent, agent/app/agent_capability.go and "
  "ecs-agent/manageddaemon): the agent formats and mounts the volume through "
  "that driver (CSI NodeStageVolume). The Bottlerocket ECS variants (ami = "
  "\"bottlerocket\") build no such image: the core kit's package list "
  "(bottlerocket-os/bottlerocket-core-kit, kits/bottlerocket-core-kit/"
  "Cargo.toml, v16.1.0 of 2026-09) has no EBS CSI driver, its ecs-agent "
  "package (agent 1.105) installs nothing under /var/lib/ecs/deps, and the "
  "aws-ecs-3 and aws-ecs-4 variants add none. The tasks would never start. "
  "Run the service on Fargate (capacity = \"fargate\"), where EBS volumes "
  "work on platform 1.4.0, or use ami = \"al2023\" in the cluster.")
DIAG_CODE(E1143, SEV_ERROR, "scaling target out of range",
  "scaling { cpu, memory } are the targets of the target tracking policies "
  "on ECSServiceAverageCPUUtilization and ECSServiceAverageMemoryUtilization: "
  "the service's average use against what its task definition reserves, in "
  "percent (ECS Developer Guide, \"Amazon ECS service utilization metrics\"). "
  "AWS takes the target as a Double (Application Auto Scaling API "
  "Reference, TargetTrackingScalingPolicyConfiguration: TargetValue, \"a "
  "valid number based on the choice of metric\"); ecsc takes it to the tenth "
  "of a percent, such as 70.5%, from 0.1%: a policy scales out when the "
  "metric is above its target (ECS Developer Guide, \"Target tracking "
  "scaling policies\"), and at 0% it would scale out on any use at all. "
  "Above 100% the metric goes only while tasks use more than they reserve, "
  "which the utilization page documents for CPU reserved by containers "
  "alone on EC2 instances (\"the CPU utilization will only go above 100% "
  "when the CPU units are defined at the container level\"; with a task "
  "cpu, always on Fargate, \"the utilization will not go above the defined "
  "task-level limit\") and for memory under a soft limit (memory_reservation, "
  "\"the service's memory utilization could exceed 100%\"; under a hard "
  "limit it \"can't exceed 100%\"). Elsewhere, or where the page does not "
  "say (a task-level memory, Service Connect's proxy), a target above 100% "
  "is refused: it would never be reached, and the policy would only scale "
  "in. Where it is taken, mind that the metric passes 100% on what the "
  "instance has idle, and the more tasks share an instance, as scaling out "
  "places them, the less is idle: such a policy can stop scaling out under "
  "load, short of its target. Reserving more and targeting 100% or less "
  "scales on what is reserved.")
DIAG_CODE(E1217, SEV_ERROR, "scaling target the tasks never pass",
  "A cpu or memory target above 100% is reached only while the tasks use "
  "more than they reserve, and they use at most what one instance has: a "
  "task of 512 CPU units \"is the only running task on a container instance "
  "with 2,048 CPU units, it can use up to four times the specified amount "
  "(2,048 / 512)\", reported as 400% (ECS Developer Guide, \"Amazon ECS "
  "service utilization metrics\"; 1,024 units per vCPU, ECS API Reference, "
  "ContainerDefinition: cpu). ecsc takes the largest instance type the "
  "service's cluster launches (its groups' too): all its CPU units against "
  "the containers' cpu, or its memory as EC2 gives it (ECS registers less), "
  "within each container's hard memory limit, against what the containers "
  "reserve. The target is that or above: the metric never passes it, so "
  "the policy never scales out and scales in whenever the tasks use less. "
  "Give a lower target, or reserve less.")
DIAG_CODE(E1160, SEV_ERROR, "Service Connect discovery name moved between services in one build",
  "ecsc build read the output directory: a service there served this "
  "discovery name, and in this build another service takes it while the "
  "first is removed or serves another name. ECS makes a Cloud Map service of "
  "each discovery name and takes no second ECS service of it while the first "
  "holds it (ServiceConnectService: discoveryName \"must be unique within the "
  "Cloud Map namespace\"; CreateService fails with \"SC service is already "
  "used by\" the namespace). build --changed=json destroys a removed "
  "service's state after the states the build adds, and orders the other "
  "service states by path, so the state that takes the name may be applied "
  "before the one that gives it up, and a deleted service drains before it "
  "is gone. Move "
  "the name in two builds: first apply the states that give it up (destroy "
  "the removed service's state, or serve another discovery_name), then give "
  "it to the other service. Only build reports this.")
DIAG_CODE(E1060, SEV_ERROR, "existing VPC without the private subnets something runs in",
  "An existing VPC (vpc { id }) needs private_subnet_ids when something of the "
  "environment runs in its private subnets: a cluster's container instances "
  "(the autoscaling group launches them there: CreateAutoScalingGroup takes "
  "the subnets of its VPCZoneIdentifier), or the tasks of an awsvpc service "
  "without assign_public_ip (their interfaces go there: AwsVpcConfiguration "
  "requires its subnets). An environment whose tasks all run on Fargate with "
  "public addresses needs none. List the VPC's private subnets, each in its "
  "own zone, which reach ECS, ECR and CloudWatch Logs by the VPC's NAT or "
  "endpoints; or, for a Fargate service, give it assign_public_ip = true to "
  "run its tasks in the public subnets.")

// ECS managed EBS volumes (volume "NAME" { ebs { } }): check_volumes.c.
DIAG_CODE(E1080, SEV_ERROR, "two EBS volumes in one task",
  "ECS attaches at most one EBS volume to a task: \"The volume configuration "
  "may contain multiple volumes but only one volume configured at launch is "
  "supported\" (ECS API Reference, \"Volume\"), and a service's "
  "volumeConfigurations holds one (ECS Developer Guide, \"Use Amazon EBS "
  "volumes with Amazon ECS\": \"You can attach at most one Amazon EBS volume "
  "to each Amazon ECS task\"). Keep one ebs block in the service; the others "
  "can be EFS file systems or the task's own storage.")
DIAG_CODE(E1081, SEV_ERROR, "EBS volume mounted by no container",
  "ECS attaches a task's EBS volume only at a container's mount point: \"You "
  "must specify mount points to attach an Amazon EBS volume directly to an "
  "Amazon ECS task\" (ECS Developer Guide, \"Defer volume configuration to "
  "launch time in an Amazon ECS task definition\"). Mount it in a container, "
  "mount \"NAME\" { path = \"/...\" }, or remove it: each task would pay for a "
  "volume nothing uses.")
DIAG_CODE(E1082, SEV_ERROR, "EBS volume size outside its type's range",
  "Each EBS volume type has its sizes: \"gp2 and gp3: 1-16,384; io1 and io2: "
  "4-16,384; st1 and sc1: 125-16,384; standard: 1-1,024\" GiB (ECS API "
  "Reference, \"ServiceManagedEBSVolumeConfiguration\": sizeInGiB). Choose a "
  "size the type takes, or another type.")
DIAG_CODE(E1083, SEV_ERROR, "EBS volume without a size or a snapshot",
  "ECS creates each task's volume from its size or from a snapshot: \"You "
  "must specify either a volume size or a snapshot ID\" (ECS API Reference, "
  "\"ServiceManagedEBSVolumeConfiguration\": sizeInGiB). Add size = N GiB, or "
  "snapshot_id = \"snap-...\" (whose size the volume then has).")
DIAG_CODE(E1084, SEV_ERROR, "iops the EBS volume type does not take",
  "Provisioned IOPS are the gp3, io1 and io2 types': \"gp3: 3,000 - 16,000 "
  "IOPS; io1: 100 - 64,000 IOPS; io2: 100 - 256,000 IOPS. This parameter is "
  "required for io1 and io2 volume types\" (ECS API Reference, "
  "\"ServiceManagedEBSVolumeConfiguration\": iops), and \"not supported for "
  "gp2, st1, sc1, or standard volumes\" (EC2 API Reference, CreateVolume: "
  "Iops). Give iops within the type's range, or remove it.")
DIAG_CODE(E1085, SEV_ERROR, "throughput on an EBS volume that is not gp3",
  "Provisioned throughput \"is only supported for the gp3 volume type\" (ECS "
  "API Reference, \"ServiceManagedEBSVolumeConfiguration\": throughput). "
  "Remove throughput, or make the volume gp3.")
DIAG_CODE(E1086, SEV_ERROR, "magnetic EBS volume on Fargate",
  "\"The magnetic (standard) Amazon EBS volume type is not supported for "
  "tasks hosted on Fargate\" (ECS Developer Guide, \"Use Amazon EBS volumes "
  "with Amazon ECS\", Considerations). Use another type (gp3, ecsc's "
  "default), or run the service on its cluster's instances.")
DIAG_CODE(E1087, SEV_ERROR, "KMS key on an unencrypted EBS volume",
  "A key encrypts the volume, so EC2 takes one only for an encrypted volume: "
  "\"If KmsKeyId is specified, the encrypted state must be true\" (EC2 API "
  "Reference, CreateVolume, which ECS's kmsKeyId maps to 1:1). Remove "
  "encrypted = false (ecsc encrypts by default), or remove kms_key.")
DIAG_CODE(E1088, SEV_ERROR, "EBS volume on instances that are not Nitro-based",
  "On EC2, \"Amazon EBS volumes are supported for tasks hosted on Nitro-based "
  "instances\" (ECS Developer Guide, \"Use Amazon EBS volumes with Amazon "
  "ECS\", \"Supported operating systems and capacity\"): a task placed on a "
  "Xen instance (EC2 reports the Hypervisor xen for the c1, c3, c4, d2, h1, "
  "i2, i3, m1 to m4, r3, r4, t1, t2, x1 and x1e families; the standard "
  "library's instance types say which) never gets its volume. "
  "Use Nitro-based instance types in the groups the service runs on, or name "
  "only such groups in its strategy.")
DIAG_CODE(E1089, SEV_ERROR, "gp3 volume's IOPS or throughput beyond its ratios",
  "A gp3 volume's performance is bounded by its size and IOPS: \"The maximum "
  "ratio of provisioned IOPS to provisioned volume size is 500 IOPS per GiB. "
  "The maximum ratio of provisioned throughput to provisioned IOPS is .25 "
  "MiB/s per IOPS\" (Amazon EBS User Guide, \"Amazon EBS volume types\"), and "
  "without iops it has the baseline 3,000 IOPS. EC2 refuses the volume when "
  "ECS creates it for a task, so no task starts. Raise the size or the iops, "
  "or lower the iops or the throughput.")
DIAG_CODE(E1070, SEV_ERROR, "ECR-like registry not in ECR's form",
  "The image's registry looks like Amazon ECR's (a dkr.ecr label under "
  "amazonaws.com, or dkr-ecr under on.aws) but is not in the form ECR "
  "documents: ACCOUNT.dkr.ecr.REGION.amazonaws.com (amazonaws.com.cn in "
  "China, dkr.ecr-fips for a FIPS endpoint) or, dual-stack, "
  "ACCOUNT.dkr-ecr.REGION.on.aws (dkr-ecr-fips), with no port, followed by a repository "
  "whose name ECR allows (lowercase letters and digits, separated by . _ - "
  "or /). No such registry answers, so every task would fail to pull, and "
  "ecsc derives no ECR pull grant for it. Copy the repository's URI from ECR "
  "(aws ecr describe-repositories) and add the tag.")
DIAG_CODE(E1071, SEV_ERROR, "ECR registry account not 12 digits",
  "An ECR registry begins with the AWS account ID that owns it, which is "
  "exactly 12 digits (leading zeros included). A shorter or longer number, or "
  "a placeholder, names no registry: the pull fails, and ecsc derives no ECR "
  "pull grant for it. Copy the repository's URI from ECR (aws ecr "
  "describe-repositories).")
DIAG_CODE(E1072, SEV_ERROR, "ECR registry in an unknown region",
  "The ECR registry names a region ecsc does not know, or none. ecsc knows "
  "the regions of std/aws/regions (the commercial ones, the aws partition), "
  "the aws partition's others that AWS's partition data lists (a new region "
  "whose zone names std/aws/regions lacks), and those the configuration "
  "declares with region blocks. A misspelt "
  "region names no registry: write the region the repository is in.")
DIAG_CODE(E1073, SEV_ERROR, "ECR image in another partition",
  "The image is in ECR in another AWS partition (aws, aws-cn, aws-us-gov) "
  "than the environment's. A partition's accounts and credentials are its "
  "own: the task execution role cannot be granted a pull from another "
  "partition, so every task would fail to pull. Push the image to a "
  "repository in the environment's partition and name that one.")
DIAG_CODE(E1074, SEV_ERROR, "ECR image in another region without NAT",
  "Without NAT the private subnets reach ECR only through the VPC endpoints "
  "ecsc makes in the environment's region (ecr.api, ecr.dkr, and the S3 "
  "gateway endpoint for the image layers, which reaches that region's S3 "
  "alone). An image in ECR in another region cannot be pulled from there, "
  "and every task would fail to start. Replicate the repository to the "
  "environment's region (ECR's replication does it on every push) and name "
  "that copy, set nat = \"single\", or run the service with "
  "assign_public_ip.")
DIAG_CODE(E1075, SEV_ERROR, "image reference Docker refuses",
  "Docker, and with it the ECS agent and Fargate, parses every image "
  "reference with the grammar of github.com/distribution/reference: "
  "[REGISTRY/]REPOSITORY[:TAG][@DIGEST]. The repository's path components "
  "are lowercase letters and digits separated by one \".\", one or two "
  "\"_\" or \"-\"s, the path at most 255 characters; a tag is at most 128 "
  "letters, digits, \"_\", \".\" and \"-\", not beginning with \".\" or "
  "\"-\"; a digest is sha256, sha384 or sha512, a \":\" and that many "
  "lowercase hex digits (64, 96, 128). A reference the grammar refuses is "
  "never pulled: every task stops with CannotPullContainerError. The caret "
  "points at the part at fault.")
DIAG_CODE(E1076, SEV_ERROR, "ECR dual-stack image without NAT",
  "The image names ECR's dual-stack registry, ACCOUNT.dkr-ecr.REGION.on.aws. "
  "Without NAT the private subnets reach ECR only through the interface VPC "
  "endpoints ecsc makes, and ECR serves no PrivateLink traffic over its "
  "dual-stack endpoints (Amazon ECR User Guide, \"Making requests to Amazon "
  "ECR registries\"): the dual-stack name is not reached from there, and "
  "every task would fail to pull. Name the same repository by its IPv4 "
  "registry, ACCOUNT.dkr.ecr.REGION.amazonaws.com, set nat = \"single\", or "
  "run the service with assign_public_ip.")
DIAG_CODE(E1100, SEV_ERROR, "Fluent Bit template that runs record keys together",
  "In a Fluent Bit record accessor template (cloudwatch_logs' "
  "log_group_template and log_stream_template) a $key runs to the next \".\", "
  "\",\", space or double quote (src/flb_record_accessor.c; Fluent Bit's "
  "documentation, \"Limitations of record_accessor templating\"), so in "
  "\"$container_name/$ecs_task_id\" the first key runs into the second. "
  "fluent-bit cannot parse that accessor (src/record_accessor/ra.y), refuses "
  "the output (\"Could not parse `log_stream_template`\") and does not start: "
  "the task's logs sent through the router are lost. End each key with a "
  "\".\", which stays in the name (\"$container_name.$ecs_task_id\").")
DIAG_CODE(E1090, SEV_ERROR, "security_groups without awsvpc networking",
  "security_groups adds existing security groups to the tasks' own network "
  "interfaces, which only awsvpc tasks have (ECS API Reference, "
  "AwsVpcConfiguration: securityGroups, part of the awsvpc network "
  "configuration). Under bridge or host networking the tasks use the "
  "instance's interface and its groups. Set network_mode = \"awsvpc\" (the "
  "tasks then also get a group of their own, which ecsc makes), or remove "
  "security_groups.")
DIAG_CODE(E1091, SEV_ERROR, "more security groups than an awsvpc task may have",
  "ECS API Reference, AwsVpcConfiguration: securityGroups, \"There's a limit "
  "of 5 security groups that can be specified\". ecsc always gives the "
  "tasks' interfaces the group it makes for them (the port from the load "
  "balancer, Service Connect, the way out), so security_groups may add 4 "
  "more. Merge the rules of some of the existing groups into one, or name "
  "fewer. All of them must be of the environment's VPC, which ecsc cannot "
  "see offline.")
DIAG_CODE(E1092, SEV_ERROR, "security group named twice",
  "security_groups names the same group twice. The provider keeps its "
  "security_groups as a set, so the second would vanish without a word, and "
  "two entries that should have been different groups is the likelier "
  "mistake. Remove one, or correct its id.")
DIAG_CODE(E1093, SEV_ERROR, "Availability Zone rebalancing with max_percent 100%",
  "ECS Developer Guide, \"Balancing an Amazon ECS service across Availability "
  "Zones\", Considerations: \"You can't use Availability Zone rebalancing with "
  "services that meet any of the following criteria: ... Uses 100% for the "
  "maximumPercent value\": rebalancing starts a task in the emptier zone "
  "before it stops one in the fuller, which needs room above the count. (The "
  "other criteria, the daemon strategy, the EXTERNAL launch type, a Classic "
  "Load Balancer, a placement constraint or first strategy other than a "
  "spread over zones, never hold for ecsc's services: their placement "
  "spreads over zones first.) Raise the deployment's max_percent, or set "
  "availability_zone_rebalancing = false.")
DIAG_CODE(E1094, SEV_ERROR, "deployment alarm named twice",
  "A deployment's alarms name the same CloudWatch alarm twice. The provider "
  "keeps alarm_names as a set, so the second would vanish without a word, and "
  "two names that should have been different alarms is the likelier mistake. "
  "Remove one, or correct its name.")
DIAG_CODE(E1095, SEV_ERROR, "alarm_rollback without alarms",
  "alarm_rollback says whether a deployment that a CloudWatch alarm failed is "
  "rolled back (ECS API Reference, DeploymentAlarms: rollback), and the "
  "deployment names no alarms in this environment (an `in` block's "
  "deployment may add them, or an empty list may have taken them away). "
  "Add alarms = [\"NAME\", ...], naming existing alarms, or remove "
  "alarm_rollback. The circuit breaker's rollback is circuit_breaker's.")
DIAG_CODE(E1120, SEV_ERROR, "stop timeout above Fargate's 120 seconds",
  "A container's stop_timeout is the time between SIGTERM and SIGKILL when its "
  "task stops. ECS API Reference, ContainerDefinition, stopTimeout: \"For tasks "
  "that use the Fargate launch type, the max stop timeout value is 120 "
  "seconds\". On the cluster's instances there is no such cap (the agent's "
  "ECS_CONTAINER_STOP_TIMEOUT is only the default). Lower stop_timeout to "
  "120s, or run the service on the cluster's instances.")
DIAG_CODE(E1121, SEV_ERROR, "more capacity providers than a cluster may have",
  "ecsc associates with a cluster one capacity provider per set of instances "
  "(the cluster's own and each group's) and, with fargate = true, FARGATE and "
  "FARGATE_SPOT. Amazon ECS service quotas: \"Capacity providers per "
  "cluster\", \"The maximum number of capacity providers that can be "
  "associated with a cluster\", is 20 and not adjustable (Amazon ECS "
  "Developer Guide, \"Amazon ECS service quotas\"), so "
  "PutClusterCapacityProviders would refuse the rest. A strategy, at most 20 "
  "providers too (ECS API Reference, CreateService), names only the "
  "cluster's. Merge groups (a group's spot block takes several instance "
  "types), or split the cluster in two.")
DIAG_CODE(E1122, SEV_ERROR, "more wildcards than a listener rule takes",
  "A route's paths and hosts are the conditions of one listener rule, and a "
  "rule takes at most 6 wildcard characters (* and ?) in all: Application "
  "Load Balancers User Guide, \"Quotas for your Application Load "
  "Balancers\", Condition Wildcards per Rule, 6, not adjustable (and \"There "
  "is a limit of five wildcard characters per rule\", \"Condition types for "
  "listener rules\"). Use fewer wildcards (\"/api/*\" covers \"/api/v1/*\" "
  "and \"/api/v2/*\"), or split the patterns between services.")
DIAG_CODE(E1162, SEV_ERROR, "cluster deleted while services run in it",
  "ecsc build read the output directory: its VPC state made a cluster this "
  "build does not (removed, renamed, or renamed with the environment's "
  "prefix: a cluster's name is PREFIX-cluster-NAME), and service states "
  "there still run in it. The VPC state is applied before the service "
  "states, and Terraform deletes a replaced cluster before it makes the new "
  "one; ECS refuses to delete a cluster that contains services "
  "(ClusterContainsServicesException), the AWS provider retries and then "
  "fails the apply, and the service states cannot move to a cluster that "
  "does not exist yet. Keep the prefix, or move in two builds: keep the old "
  "cluster beside the new one and move the services out of it (each ECS "
  "service is replaced, W1161), build and apply the VPC state, then the "
  "services' states; then remove the old cluster and build again. Only "
  "build reports this.")
DIAG_CODE(E1190, SEV_ERROR, "Service Connect app protocol changed on an existing endpoint",
  "ecsc build read the output directory: the service's state there serves "
  "the same Service Connect endpoint (the same ECS service and discovery "
  "name) with another app_protocol, or none. ECS refuses the change on "
  "UpdateService (\"The following config cannot be changed for a SC "
  "service. Previous config: ScServiceStableConfig(applicationProtocol=...\", "
  "aws/containers-roadmap issue 2378): the endpoint keeps the protocol it "
  "was made with, adding one later included, and the service state's apply "
  "would fail. Keep app_protocol as the previous build had it (or leave it "
  "out, when it had none). Only build reports this.")
DIAG_CODE(E1172, SEV_ERROR, "bake time out of range",
  "A deployment's bake times are whole numbers of minutes from 0 to 1440: "
  "bake (ECS API Reference, DeploymentConfiguration: bakeTimeInMinutes, an "
  "Integer; the AWS provider validates it \"between 0 and 1440\"), "
  "canary_bake (CanaryConfiguration: canaryBakeTimeInMinutes, \"Valid values "
  "are 0 to 1440 minutes\") and linear_bake (LinearConfiguration: "
  "stepBakeTimeInMinutes, likewise): 90s would have to be cut to a minute "
  "without a word. Write whole minutes, at most 24h.")
DIAG_CODE(E1173, SEV_ERROR, "blue-green deployment without a bake time",
  "The bake time is how long ECS keeps the old (blue) tasks running beside the "
  "new (green) ones once the deployment is otherwise done, for an alarm to "
  "roll it back in; ECS requires it: \"You must provide this parameter when "
  "you use the BLUE_GREEN deployment strategy\" (ECS API Reference, "
  "DeploymentConfiguration: bakeTimeInMinutes). Canary and linear "
  "deployments have the same bake time once all the traffic has moved "
  "(ECS Developer Guide, \"Amazon ECS canary deployments\": \"Deployment "
  "bake time\"), and the API Reference gives it no default there either: "
  "ecsc asks for it with them too. Add bake = 10m (or however long the "
  "alarms need; 0m stops the old tasks at once).")
DIAG_CODE(E1174, SEV_ERROR, "bake time without a blue-green deployment",
  "bake is the bake time of a blue/green deployment (ECS API Reference, "
  "DeploymentConfiguration: bakeTimeInMinutes, \"The time period when both "
  "blue and green service revisions are running simultaneously\"); a rolling "
  "update has none, and the deployment in this environment is rolling (an "
  "`in` block may have set strategy back). Set strategy = \"blue-green\", or "
  "remove bake. (Deployment alarms have a bake time of their own, which ECS "
  "decides.)")
DIAG_CODE(E1175, SEV_ERROR, "canary percent out of range",
  "canary_percent is the share of the production traffic a canary "
  "deployment moves to the new tasks first: \"Valid values are multiples of "
  "0.1 from 0.1 to 100.0\" (ECS API Reference, CanaryConfiguration: "
  "canaryPercent, a Double; the AWS provider's canary_percent is a float, "
  "validated 0.1 to 100.0). Write it to the tenth at most: 0.1% to 100%, "
  "such as 2.5%.")
DIAG_CODE(E1176, SEV_ERROR, "linear step out of range",
  "linear_step is the share of the production traffic a linear deployment "
  "moves at each step: \"Valid values are multiples of 0.1 from 3.0 to "
  "100.0\" (ECS API Reference, LinearConfiguration: stepPercent, a Double; "
  "the AWS provider's step_percent is a float, validated 3.0 to 100.0). "
  "Write it to the tenth at most: 3% to 100%, such as 7.5%.")
DIAG_CODE(E1177, SEV_ERROR, "canary or linear setting for another strategy",
  "canary_percent and canary_bake configure a canary deployment, "
  "linear_step and linear_bake a linear one (ECS API Reference, "
  "CanaryConfiguration: \"only valid when you run CreateService or "
  "UpdateService with ... a deploymentConfiguration with a strategy set to "
  "CANARY\"; LinearConfiguration likewise with LINEAR), and the "
  "deployment's strategy in this environment is another (an `in` block may "
  "have set it). Set the strategy they belong to, or remove them.")
DIAG_CODE(E1178, SEV_ERROR, "canary or linear deployment without a route or Service Connect",
  "Canary and linear deployments move a share of the production traffic at "
  "a time, and ECS moves it only through a load balancer or Service Connect: "
  "\"To use a canary deployment with managed traffic shifting, your service "
  "must use one of the following features: Elastic Load Balancing, Service "
  "Connect\" (ECS Developer Guide, \"Required resources for Amazon ECS "
  "canary deployments\", and likewise for linear); \"You can use linear and "
  "canary deployment strategies for new and existing Amazon ECS services "
  "that use Application Load Balancer (ALB) or ECS Service Connect\" (AWS "
  "What's New, \"Amazon ECS now supports built-in Linear and Canary "
  "deployments\"). The service has no route and is not in Service Connect. "
  "Add a route, or use strategy = \"blue-green\" (which ECS runs without "
  "either) or \"rolling\".")
DIAG_CODE(E1179, SEV_ERROR, "request-count scaling of a service with two target groups",
  "A blue-green, canary or linear deployment behind the load balancer moves "
  "the service's traffic between two target groups: \"During a blue/green "
  "deployment, Amazon ECS automatically registers tasks with the "
  "appropriate target group based on the deployment stage\" (ECS Developer "
  "Guide, \"Application Load Balancer resources for blue/green, linear, and "
  "canary deployments\"), and after the deployment the listener rule "
  "forwards to the group the new tasks are in. requests_per_target scales on "
  "ALBRequestCountPerTarget, which counts the one target group its "
  "ResourceLabel names (Application Auto Scaling API Reference, "
  "PredefinedMetricSpecification): after every other deployment it would "
  "count a group without traffic, and scale the service in under load. "
  "Scale on cpu or memory, or deploy with strategy = \"rolling\".")
DIAG_CODE(E1180, SEV_ERROR, "target groups replaced under a traffic-shifting deployment",
  "ecsc build read the output directory: the service's state there deploys "
  "it blue-green, canary or linear behind the load balancer, and this build "
  "replaces its target groups (a new port or target type renames them, as "
  "W1192 says). The listener rule's action is ECS's (Terraform ignores its "
  "changes, since ECS moves its weights), so the apply leaves it forwarding "
  "to the old groups, and deleting them fails: \"You can delete a target "
  "group if it is not referenced by any actions\" (ELB API Reference, "
  "DeleteTargetGroup: ResourceInUse). Make the change with strategy = "
  "\"rolling\", whose rule is Terraform's and moves to the new group in the "
  "same apply, and apply it; set the strategy back in the next build, and "
  "apply that one by W1170's steps (its rule's new action would not reach "
  "AWS in a plain apply).")
DIAG_CODE(E1181, SEV_ERROR, "more tasks than Service Connect is limited to",
  "ECS Developer Guide, \"Amazon ECS service quotas\": \"Services configured "
  "to use Amazon ECS Service Connect have a limit of 1,000 tasks per service. "
  "This is due to the AWS Cloud Map service quota for the number of "
  "instances per service.\" That quota is not adjustable: \"Instances per "
  "service | Each supported Region: 1,000 | No\" (AWS Cloud Map Developer "
  "Guide, \"AWS Cloud Map service quotas\"), so no request raises it, unlike "
  "ECS's own 5,000 tasks per service (W1123). ECS accepts the larger count; "
  "the tasks past 1,000 are what fails. The service's count, or its "
  "scaling's highest max (a schedule's included), is above 1,000. Keep it at "
  "1,000 or below, or split the service in two (each its own discovery "
  "name).")
DIAG_CODE(E1182, SEV_ERROR, "Service Connect port the container does not map",
  "connect { port = N } serves one of the container's ports, its port or "
  "one of its ports, and ecsc gives that port mapping the port_name (ECS "
  "API Reference, ServiceConnectService: \"The portName must match the name "
  "of one of the portMappings from all the containers in the task "
  "definition\"; PortMapping: name). The container named (else the one that "
  "listens on the port) maps no such port, so no mapping would carry the "
  "name and ECS would refuse the service. Serve a port the container "
  "listens on, or add the port to its ports.")
DIAG_CODE(E1210, SEV_ERROR, "secret name that reads as a complete ARN",
  "A secret given by name is read by its partial ARN (the ARN without the "
  "hyphen and six random characters Secrets Manager adds to the name), and "
  "Secrets Manager takes a partial ARN whose name ends in a hyphen followed "
  "by six characters for a complete one (Secrets Manager API Reference, "
  "GetSecretValue: SecretId). So shop/stripe-secret is looked up as the "
  "secret shop/stripe with the suffix -secret, which does not exist: the "
  "task cannot read it and never starts. ECS takes a Secrets Manager secret "
  "by its ARN only (ECS API Reference, \"Secret\": valueFrom), so give the "
  "secret's full ARN, arn = \"arn:aws:secretsmanager:...:secret:NAME-XXXXXX\" "
  "(aws secretsmanager describe-secret --secret-id NAME prints it), in place "
  "of name; or rename the secret.")
DIAG_CODE(E1211, SEV_ERROR, "unknown region in an ARN or a FireLens output",
  "The ARN of a secret, a parameter or a KMS key, or the region option of a "
  "FireLens output to AWS, names a region ecsc does not know. ecsc knows the "
  "regions of std/aws/regions (the commercial ones, the aws partition), the "
  "aws partition's others that AWS's partition data lists (a new region "
  "whose zone names std/aws/regions lacks), and those the configuration "
  "declares with region blocks. ECS reads a secret "
  "or a parameter in the region of its ARN, so a task that names a region "
  "that does not exist cannot start; a Fluent Bit output sends to its "
  "region's endpoint, so its logs are lost while the task runs. IAM accepts "
  "any region in an ARN, so the grants do not catch it. Write the region "
  "the secret, parameter, key or log destination is in (E1072 says the same "
  "of an ECR registry).")
DIAG_CODE(E1212, SEV_ERROR, "ARN in another partition than its environment",
  "An environment reads a secret, a parameter, a KMS key, an S3 environment "
  "file or a grant's resource by an ARN of another AWS partition (aws, "
  "aws-cn, aws-us-gov, ...) than its region's, or a FireLens output sends to "
  "a region of another partition or assumes a role_arn there. Each AWS "
  "account belongs to one partition, and its roles can be granted nothing in "
  "another, so the task cannot read the resource and never starts, or its "
  "logs are lost. Name a copy of the resource in the environment's partition "
  "(E1073 says the same of an ECR image).")
DIAG_CODE(E1213, SEV_ERROR, "ARN with an unknown partition or another partition's region",
  "The partition of an ARN (arn:PARTITION:...) is none AWS has, or its region "
  "belongs to another partition (arn:aws:ssm:cn-north-1:... names a China "
  "region under the commercial partition). Such an ARN names nothing. Write "
  "the partition of the region: aws, aws-cn (cn-*), aws-us-gov (us-gov-*), as "
  "AWS's partition data lists them.")
DIAG_CODE(E1214, SEV_ERROR, "environment in a partition ecsc cannot build for",
  "The environment's region is in an AWS partition whose names ecsc cannot "
  "yet write correctly: the isolated (aws-iso, aws-iso-b, aws-iso-e, "
  "aws-iso-f) and sovereign (aws-eusc) partitions, whose ECR registry names, "
  "S3 prefix list names and ECS-optimized AMI parameters are not known. "
  "ecsc refuses it rather than emit ARNs and host names AWS would not "
  "answer to. aws, aws-cn and aws-us-gov are supported.")
DIAG_CODE(E1215, SEV_ERROR, "secret's KMS key in another region than the secret",
  "A Secrets Manager secret is encrypted with a KMS key of its own region, "
  "and the key given for it is in another (the secret's region is that of "
  "its ARN, or, for a secret given by name, that of each environment that "
  "reads it). So it is not the secret's key, and the grant ecsc writes on it "
  "does not let the task decrypt the secret. Name the key of the secret's "
  "region: a multi-Region key's replica there has an ARN of its own.")
DIAG_CODE(W0001, SEV_WARNING, "empty file",
  "The file declares nothing. An empty configuration deploys nothing; if the "
  "file is meant to be empty, delete it.")
DIAG_CODE(W0002, SEV_WARNING, "suppression that suppresses nothing",
  "A comment `# ecsc:ignore CODE REASON` suppresses warning CODE on the next "
  "line that is not a suppression comment, and there is no such warning "
  "there: it was fixed, or the comment is on the wrong line. Remove the "
  "comment, or move it to the line before the warning (the line the warning's "
  "position names), so that suppressions do not outlive their reason.")
DIAG_CODE(W0510, SEV_WARNING, "project without an environment",
  "The project declares no environment: lint has nothing to check beyond the "
  "project itself, and build would write nothing (E0519). Declare an "
  "environment, or lint the file that imports this one.")
DIAG_CODE(W0533, SEV_WARNING, "deployment cannot run at full surge",
  "During a rolling deployment ECS runs up to max_percent of the count (at "
  "most twice the count: the new tasks beside the old), but the cluster's "
  "instances, even at max_size, cannot hold that many. The "
  "deployment still progresses: ECS stops old tasks, down to min_healthy, "
  "before it starts new ones, so fewer tasks serve meanwhile. The message "
  "gives the numbers and what decides; raise max_size or lower max_percent.")
DIAG_CODE(W0534, SEV_WARNING, "task memory close to the instance's",
  "A task reserves nearly all the memory its instance type advertises. ECS "
  "registers less: the memory the kernel reports, less ECS_RESERVED_MEMORY. "
  "AWS publishes one figure of how much less, an m4.large's 8192 MiB "
  "registered as 7985 MiB (ECS Developer Guide, \"Container instance memory "
  "management\"); a task above that share may never be placed. Check the "
  "registered memory with aws ecs describe-container-instances, or reserve "
  "less.")
DIAG_CODE(W0535, SEV_WARNING, "awsvpc tasks fit only with ENI trunking",
  "An awsvpc task takes a network interface of its own, and without ENI "
  "trunking the cluster's instances, even at max_size, have too few for the "
  "service. The instance type supports trunking, which gives each instance "
  "more (ECS Developer Guide, \"Elastic network interface trunking\"), but "
  "it is an account setting ecsc cannot see: opt the account in with aws ecs "
  "put-account-setting-default --name awsvpcTrunking --value enabled before "
  "the instances launch, or raise max_size.")
DIAG_CODE(W0561, SEV_WARNING, "parameter nobody reads",
  "A parameter is declared but no service's secrets name it. Remove it, or "
  "add it to the secrets of the service that needs it.")
DIAG_CODE(W0562, SEV_WARNING, "agent setting that does nothing here",
  "The ECS agent documents this setting as Windows-only, or as one ecs-init "
  "sets itself at boot (ECS_EBSTA_SUPPORTED, ECS_DETAILED_OS_FAMILY). ecsc's "
  "instances run Linux and ecs-init: the setting has no effect. Remove it.")
DIAG_CODE(W0563, SEV_WARNING, "registry credentials in user data",
  "ECS_ENGINE_AUTH_DATA holds private registry credentials. Written into the "
  "launch template's user data, they are readable by anyone allowed to "
  "describe the instances, and sit in the Terraform state. Pull from ECR, "
  "which the task execution role is allowed to read, instead.")
DIAG_CODE(W0570, SEV_WARNING, "literal that looks like a secret",
  "An environment variable holds what looks like a credential: an AWS access "
  "key id, a private key, or a literal value for a name like *_PASSWORD, "
  "*_TOKEN or *_SECRET. Literals end up in the repository, the Terraform "
  "state and the task definition. Store it as a secure parameter and read it "
  "through secrets.")
DIAG_CODE(W0571, SEV_WARNING, "SSH open to the world",
  "SSH (or another instance port) is open to 0.0.0.0/0. Bots scan the whole "
  "internet for port 22 within minutes; allow only the addresses that need it.")
DIAG_CODE(W0572, SEV_WARNING, "image without a fixed tag",
  "The image has no tag or is tagged latest, so what runs depends on when a "
  "task starts, and a rollback restarts the same broken image. Tag images with "
  "a version or a commit, or pin a digest (@sha256:...). An image without a "
  "tag is Docker's default, NAME:latest, and ecsc registers it so, in "
  "task-definition.json and in Terraform alike.")
DIAG_CODE(W0573, SEV_WARNING, "service without a health check",
  "Without a health check ECS only knows whether the process runs, not whether "
  "it serves; a hung container stays in service. Add a health block.")
DIAG_CODE(W0574, SEV_WARNING, "pinned AMI",
  "ami_id pins one AMI, which stops receiving the ECS agent's and the "
  "kernel's security fixes. Prefer the family's latest (ami = \"al2023\"), "
  "which the instance refresh rolls out.")
DIAG_CODE(W0575, SEV_WARNING, "agent setting Bottlerocket ignores",
  "Bottlerocket reads its ECS agent's settings from TOML settings, not "
  "ecs.config, and has no equivalent for this one: ecsc writes it as a comment "
  "in user_data_CLUSTER.toml, and it has no effect.")
DIAG_CODE(W0576, SEV_WARNING, "override that never applies",
  "An `in \"ENV\"` block applies only in environments the service runs in; "
  "with `environments` set (by the service or a template it extends), an "
  "override for any other environment is dead. Add the environment to "
  "`environments`, or remove the block.")
DIAG_CODE(W0577, SEV_WARNING, "deprecated state locking",
  "Terraform 1.11 deprecates the S3 backend's DynamoDB locking; S3's own lock "
  "file (use_lockfile) replaces it. ecsc always writes use_lockfile, and a "
  "declared lock_table beside it, which is the documented way to migrate: "
  "remove lock_table once every state has been applied with both.")
DIAG_CODE(W0578, SEV_WARNING, "key pair nobody can use",
  "A cluster's instances run in private subnets: without a bastion in the "
  "environment, no SSH client can reach them, and the key pair only widens "
  "what a leaked key opens. Add a bastion, or remove key_name.")
DIAG_CODE(W0579, SEV_WARNING, "unused variable",
  "No var.NAME refers to this variable in any file of the configuration: it "
  "is dead weight, or a misspelt reference meant it (that reference is then an "
  "error with a did-you-mean).")
DIAG_CODE(W0580, SEV_WARNING, "host networking",
  "A task on host networking shares the instance's network: it reaches the "
  "instance metadata service, and so the instance role, which no agent "
  "setting blocks for host mode, and with the ECS agent's role it can act "
  "for every task of the instance. AWS recommends against the mode (Amazon "
  "ECS Developer Guide, host network mode). Use bridge or awsvpc networking, "
  "or give such a service a cluster of its own.")
DIAG_CODE(W0581, SEV_WARNING, "AMI family past its end of life",
  "AWS announced the end of life of this ECS-optimized AMI family "
  "(std/aws/amis gives the day and its source): \"The Amazon ECS-Optimized "
  "Amazon Linux 2 AMI reaches end-of-life on June 30, 2026\" (Amazon ECS "
  "Developer Guide, \"Amazon ECS-optimized Linux AMIs\"). AWS may go on "
  "publishing its AMIs for a while, as it did into October 2026, with no "
  "commitment to security fixes or agent updates. Move to al2023, the "
  "default, after testing the services on it.")
DIAG_CODE(W0801, SEV_WARNING, "compose service renamed",
  "ECS names take letters, digits, hyphens and underscores, and ecsc keeps the "
  "name vpc for each environment's own state, so a compose service named "
  "otherwise gets the name shown. References to it by its compose name (in "
  "URLs, in environment variables) need the same change.")
DIAG_CODE(W0802, SEV_WARNING, "compose value outside what ECS takes",
  "A compose value is outside the range ECS accepts for it (a health check "
  "interval of 5 to 300 seconds, a timeout of 2 to 60, 1 to 10 retries, a start "
  "period up to 300 seconds, a stop timeout up to 2,147,483,647 seconds, an "
  "Integer's): the nearest value ECS takes is written instead. Check that it "
  "suits the service. A stop timeout above 120 seconds is carried over with "
  "a comment: Fargate takes at most 120 (ContainerDefinition stopTimeout), "
  "the cluster's instances take it, and lint's E1120 judges it once the "
  "service's capacity is known.")
DIAG_CODE(W0803, SEV_WARNING, "compose service built, not pulled",
  "A compose service has build: and no image:. ECS pulls images, it does not "
  "build them: the service's image is SERVICE:latest until you push the "
  "image to a registry (ECR) and name it, with a fixed tag, in image.")
DIAG_CODE(W0900, SEV_WARNING, "secret read by no service",
  "A secret block that no container's secrets name grants nothing and is "
  "read by nobody: a leftover, or a misspelt reference's intended target. "
  "Name it in secrets = { VAR = secret.NAME }, or remove it.")
DIAG_CODE(W0903, SEV_WARNING, "ECS Exec without a word on init",
  "AWS recommends an init process in the containers of a task with ECS "
  "Exec: a session's commands are the SSM agent's children, and a session "
  "that ends uncleanly leaves orphaned and zombie processes, which the init "
  "reaps (Amazon ECS Developer Guide, \"Monitor Amazon ECS containers with "
  "ECS Exec\": \"we recommend adding the initProcessEnabled flag\"). ecsc "
  "does not turn it on by itself, since an image with its own init, such as "
  "s6-overlay's, refuses to start under Docker's. Set init = true in each "
  "container, or init = false in those whose image brings its own.")
DIAG_CODE(W0901, SEV_WARNING, "ECS Exec in production",
  "exec = true lets whoever may call ecs:ExecuteCommand open a shell in the "
  "service's running containers, past every review of images and "
  "deployments; AWS advises limiting who may use it and logging the "
  "sessions (Amazon ECS Developer Guide, \"Monitor Amazon ECS containers with "
  "ECS Exec\"). An environment is production when it says production = true, "
  "or, unless it says production = false, when it is named production, prod "
  "or prd. Turn ECS Exec on where you debug, in an `in \"staging\"` block, or "
  "suppress the warning with the reason.")
DIAG_CODE(W0902, SEV_WARNING, "ECS Exec into a read-only root file system",
  "ECS Exec runs the SSM agent ECS mounts into each container of the task, "
  "and the agent writes its state and logs in the container. AWS's ECS "
  "Developer Guide (\"Considerations for using ECS Exec\"): making the root "
  "file system read-only with readonlyRootFilesystem \"isn't supported\". "
  "The agent stops soon after starting, and execute-command into that "
  "container fails; the task's other containers, each with its own agent, "
  "still open a shell. Mount writable volumes at /managed-agents, "
  "/var/lib/amazon/ssm and /var/log/amazon/ssm in it "
  "(aws/containers-roadmap#1359), leave exec off, or, when no one opens a "
  "shell in that container, suppress the warning on its read_only_root line "
  "with the reason.")
DIAG_CODE(W0910, SEV_WARNING, "volume mounted by no container",
  "A task's volume that no container mounts is never used: ECS mounts a "
  "volume only at a container's mount point (ECS API Reference, "
  "\"MountPoint\"), and ecsc grants an EFS volume's task role nothing until a "
  "container mounts it. Mount it, mount \"NAME\" { path = \"/...\" } in a "
  "container, or remove it.")
DIAG_CODE(W0911, SEV_WARNING, "autoprovision of a task-scoped Docker volume",
  "autoprovision creates a Docker volume that does not exist yet, and \"this "
  "field is only used if the scope is shared\" (ECS API Reference, "
  "\"DockerVolumeConfiguration\"): a task-scoped volume is created with "
  "each task anyway. Set scope = \"shared\", or remove autoprovision.")
DIAG_CODE(W0930, SEV_WARNING, "FireLens router not essential",
  "AWS's FireLens task definitions mark the log router essential: if it "
  "stops while the task runs, every log line sent to it after is lost, and "
  "nothing restarts it. Leave the router essential (the default), or "
  "suppress the warning with the reason.")
DIAG_CODE(W0950, SEV_WARNING, "scaling that never scales",
  "A scaling block without cpu, memory, requests_per_target or a schedule "
  "registers a scalable target and nothing moves it: the count stays where it "
  "started. Add a policy or a schedule, or remove the block. Without a policy "
  "a schedule only sets the bounds, and Application Auto Scaling moves the "
  "count only when it is outside them (Application Auto Scaling User Guide, "
  "\"How scheduled scaling for Application Auto Scaling works\"): a schedule "
  "whose min is above no count the service can run and whose max is below "
  "none (one that only raises max, say) never moves it, and is warned about "
  "by name. Give it a min (to scale out then) or a max (to scale "
  "in), or add a policy the bounds are for.")
DIAG_CODE(W0951, SEV_WARNING, "scaling minimum beyond the cluster's guaranteed size",
  "The tasks a service's scaling always keeps (its min) need more instances "
  "than the cluster always keeps (its min_size). "
  "Those tasks then wait, after a quiet time, for managed scaling to launch "
  "instances: minutes in which the service runs below its minimum. The "
  "message gives the tasks per instance and what decides it. Raise the "
  "cluster's min_size, or lower the scaling's min.")
DIAG_CODE(W0952, SEV_WARNING, "sidecar out of its task's reach under bridge networking",
  "Under bridge networking, ecsc's default on the instances, each container of "
  "a task has a network namespace of its own on Docker's bridge (ECS Developer "
  "Guide, \"Task networking for tasks on Amazon EC2 instances\"): a sidecar "
  "that listens on localhost (a trace collector, a metrics agent) is out of "
  "the application's reach, which sends to it in vain, and the application out "
  "of the sidecar's. Only awsvpc gives a task's containers one localhost "
  "(\"containers that belong to the same task can communicate over the "
  "localhost interface\"). Set network_mode = \"awsvpc\": each task then takes "
  "a network interface of its instance, which ecsc's capacity proof counts "
  "(without trunking, an instance holds one awsvpc task fewer than its "
  "interfaces). Or, staying on "
  "bridge, give the container that calls the sidecar links = [\"NAME\"] and "
  "call it by that name. Not counted: a FireLens router (the log driver "
  "reaches it through a socket the agent mounts, not the network) and a "
  "container others wait for to COMPLETE or SUCCESS. Suppress the warning with "
  "its reason when the sidecar talks to no one in its task.")
DIAG_CODE(W0953, SEV_WARNING, "route into a proxy that cannot reach its application",
  "The route sends the load balancer's traffic to a sidecar (a proxy such as "
  "Envoy) rather than to the service's own container, and the task runs under "
  "bridge networking with no link from the proxy: the proxy has a network "
  "namespace of its own, and localhost there is not the application's. Every "
  "request through the load balancer then fails while ECS reports the task "
  "healthy (its health check runs inside the application's own container). "
  "Set network_mode = \"awsvpc\" (one localhost per task, one network "
  "interface per task on the instance), or give the proxy links = "
  "[\"SERVICE\"] and forward to SERVICE:PORT.")
DIAG_CODE(W0970, SEV_WARNING, "Spot cluster without Spot draining",
  "The cluster runs Spot instances and its agent settings turn Spot draining "
  "off (ECS_ENABLE_SPOT_INSTANCE_DRAINING=false). With draining on, ECS sets "
  "an instance DRAINING on its two-minute interruption notice and starts its "
  "service tasks elsewhere; without it they stop with the instance (ECS "
  "Developer Guide, \"Configuring Amazon ECS Linux container instances to "
  "receive Spot Instance notices\"). Remove the setting: ecsc turns draining "
  "on for every cluster with a spot block, and gives the instance role "
  "ecs:UpdateContainerInstancesState for it.")
DIAG_CODE(W0971, SEV_WARNING, "spot block that launches no Spot instance",
  "The group launches on_demand_base instances on demand first, then "
  "on_demand_percent of the rest on demand (Amazon EC2 Auto Scaling API "
  "Reference, InstancesDistribution). At 100%, or with a base of max_size or "
  "more, every instance is on demand. Lower on_demand_percent or "
  "on_demand_base, or remove the spot block.")
DIAG_CODE(W0980, SEV_WARNING, "managed scaling off on a group that may scale",
  "The cluster turns its capacity provider's managed scaling off "
  "(managed_scaling { enabled = false }) while min_size and max_size differ. "
  "Without managed scaling, whoever owns the group must scale it (ECS API "
  "Reference, ManagedScaling: \"If managed scaling is off, the user must "
  "manage the scaling of the Auto Scaling group\"); ecsc attaches no other "
  "policy, so the group stays at size and tasks that need more instances wait. "
  "Turn managed scaling on, or set min_size and max_size to size.")
DIAG_CODE(W0981, SEV_WARNING, "managed scaling's min_step above its max_step",
  "min_step and max_step are the fewest and the most instances ECS adds to "
  "the group in one scale-out (ECS API Reference, ManagedScaling: "
  "minimumScalingStepSize, maximumScalingStepSize, each 1-10000, defaults 1 "
  "and 10000). AWS does not say whether it accepts a minimum above the "
  "maximum, and says that with more than one instance type or Availability "
  "Zone ECS \"will scale up by the exact minimum scaling step size value and "
  "will ignore both the maximum scaling step size as well as the capacity "
  "demand\": max_step then means nothing. Make min_step at most max_step.")
DIAG_CODE(W0982, SEV_WARNING, "CPU scaling of a task that reserves no CPU",
  "ECSServiceAverageCPUUtilization divides the CPU units a service's tasks "
  "use by those their task definition specifies (ECS Developer Guide, "
  "\"Amazon ECS service utilization metrics\"). A task with no task-level "
  "cpu and no container cpu (both optional on EC2) specifies none, and the "
  "policy tracks a number that does not measure load. Give the service, a "
  "container or the task a cpu.")
DIAG_CODE(W0990, SEV_WARNING, "existing VPC: its way to AWS is not proved",
  "On an existing VPC ecsc makes no NAT gateway and no VPC endpoint: the "
  "private subnets' routes are the VPC owner's, and ecsc cannot see them "
  "offline. Container instances and awsvpc tasks there must reach ECS, ECR "
  "(and S3, for image layers), CloudWatch Logs and, for secrets, Systems "
  "Manager, through NAT or interface endpoints (Amazon ECS Developer Guide, "
  "\"Amazon ECS interface VPC endpoints\"), or tasks never start. Check the "
  "routes once; a comment `# ecsc:ignore W0990 REASON` on the line above the id then silences this.")
DIAG_CODE(W0991, SEV_WARNING, "group no strategy names",
  "ECS places a task only on the capacity providers of its strategy (ECS "
  "API Reference, CapacityProviderStrategyItem), and ecsc gives every "
  "service one. A group that neither the cluster's default strategy nor any "
  "service's names takes no task: its min_size instances run for nothing. "
  "Name it in a strategy, or remove it.")
DIAG_CODE(W1020, SEV_WARNING, "Fargate services above the default vCPU quota",
  "Fargate limits the vCPUs an account runs at once in each region: \"The "
  "default for the Fargate On-Demand vCPU resource count quota is 6 vCPUs\" "
  "(AWS Batch API Reference, ResourceRequirement, citing the General "
  "Reference's Fargate quotas), and new accounts may start lower. The "
  "environment's services that may run on Fargate (not Fargate Spot, whose "
  "quota is separate) need more at their peak: each at its count, or its "
  "scaling's highest max, times max_percent during a deployment, times its "
  "task cpu. Above the quota ECS cannot place the tasks (\"You've reached the "
  "limit on the number of vCPUs you can run concurrently\"). The quota is "
  "adjustable and is the account's: check \"Fargate On-Demand vCPU resource "
  "count\" in Service Quotas, request more if needed, then silence this with "
  "`# ecsc:ignore W1020 REASON` on the line above the environment.")
DIAG_CODE(W1021, SEV_WARNING, "Service Connect proxy left less than AWS recommends",
  "ECS adds a proxy container to every task of a service with Service Connect; "
  "it runs on what the task's containers leave of the task's cpu and memory. "
  "ECS Developer Guide, \"Amazon ECS Service Connect components\", Proxy "
  "resources: \"We recommend adding an additional 256 CPU units and at least "
  "64 MiB of memory to your task CPU and memory for the Service Connect proxy "
  "container\" (512 CPU units "
  "above 500 requests per second a task, 128 MiB more above 100 services or "
  "2000 tasks in the namespace). The containers take their memory limit, else "
  "their reservation, and their cpu; what is left is less. ECS still runs the "
  "task, but the proxy that carries its traffic competes with the "
  "application. Raise the task's cpu or memory, or lower the containers'; "
  "or, when the load is known to be light, silence this with "
  "`# ecsc:ignore W1021 REASON` on the line above the one it points at.")
DIAG_CODE(W1070, SEV_WARNING, "Name tag replaced by ecsc's own",
  "The project's and the environments' tags are the AWS provider's "
  "default_tags, and a resource's own tags take precedence over them. ecsc "
  "names each resource it can with a Name tag of its own (the environment's "
  "prefix and what the resource is), so a Name among these tags is on only "
  "the resources ecsc names none (the ECS clusters, task definitions, IAM "
  "roles, log groups, launch templates, ...). ecsc applies the same rule where default_tags do not "
  "reach: an autoscaling group's tags, propagated to its instances, and a "
  "launch template's tag_specifications carry ecsc's Name too. To tag every "
  "resource with the application's name, give the tag another key, such as "
  "Application.")
DIAG_CODE(W1050, SEV_WARNING, "Service Connect namespace kept for no service",
  "connect_namespace = true keeps the environment's Service Connect namespace "
  "in its VPC state though no service has a connect block: the first of the "
  "two builds that remove Service Connect (E1051), in which the services "
  "leave the namespace before it is deleted. Once that build's service "
  "states are applied, remove connect_namespace and build again: the VPC "
  "state then deletes the empty namespace.")
DIAG_CODE(W1060, SEV_WARNING, "bastion with no container instances to reach",
  "The bastion's security group reaches the container instances' group on "
  "port 22, and no cluster of the environment has instances: its tasks all run "
  "on Fargate, each in a security group that takes SSH from no one (a Fargate "
  "task has no SSH server of ecsc's making; ECS Exec, exec = true, is the way "
  "into a Fargate container). The bastion is an instance and an Elastic IP "
  "billed by the hour that reaches nothing. Remove the bastion block, or give "
  "a cluster instances.")
DIAG_CODE(W1061, SEV_WARNING, "FireLens output to another region from a VPC without NAT",
  "Without NAT (nat = \"none\") the private subnets reach AWS only through the "
  "VPC's interface endpoints, and an interface endpoint serves its own "
  "region. A FireLens output whose region option names another region "
  "(CloudWatch Logs, Firehose, Kinesis or S3 there) has no way out of the "
  "VPC: Fluent Bit retries, then drops the logs, and the task runs on "
  "without them. Send to the environment's region, run the tasks with "
  "public addresses (assign_public_ip = true, Fargate), or give the "
  "environment NAT.")
DIAG_CODE(W1080, SEV_WARNING, "EBS volume on instances of a pinned AMI",
  "ECS attaches EBS volumes to tasks on instances of the ECS-optimized AMI "
  "\"20231219 or later\" (ECS Developer Guide, \"Use Amazon EBS volumes with "
  "Amazon ECS\", \"Supported operating systems and capacity\"). With ami_id "
  "pinned, ecsc cannot tell the AMI's date; the family's recommended AMI "
  "(no ami_id) is always recent enough. Check the pinned AMI's name, then "
  "`# ecsc:ignore W1080 REASON` on the line above the volume.")
DIAG_CODE(W1100, SEV_WARNING, "Fluent Bit record key that swallows a \"/\"",
  "In a Fluent Bit record accessor template (cloudwatch_logs' "
  "log_group_template and log_stream_template) a $key runs to the next \".\", "
  "\",\", space or double quote (src/flb_record_accessor.c; Fluent Bit's "
  "documentation, \"Limitations of record_accessor templating\": \"Only dots "
  "and commas (. and ,) can come after a template variable\"), so "
  "\"/firelens/$ecs_cluster/web\" reads the key \"ecs_cluster/web\". No record "
  "has it: every record goes to the fixed log_group_name (or log_stream_name "
  "or prefix) instead, and the task role is granted every name the template "
  "matches with the key as *. Fluent Bit has no ${key} form (it reads ${X} "
  "in an output's options as an environment variable): end the key with a "
  "\".\", which stays in the name (\"/firelens/$ecs_cluster.web\"), or put "
  "the key last "
  "(\"/firelens/web/$ecs_cluster\").")
DIAG_CODE(W1120, SEV_WARNING, "EFS transit encryption port without transit encryption",
  "transit_encryption_port is the port of the TLS tunnel between the host "
  "and EFS (ECS API Reference, \"EFSVolumeConfiguration\": "
  "transitEncryptionPort, \"The port to use when sending encrypted data "
  "between the Amazon ECS host and the Amazon EFS server\"). With "
  "transit_encryption = false there is no tunnel, so the port does nothing. "
  "AWS documents no refusal of the pair (hence a warning, not an error), but "
  "a port without TLS most likely means TLS was meant: remove the port, or "
  "turn transit encryption back on.")
DIAG_CODE(W1121, SEV_WARNING, "Service Connect clients without a server",
  "Services with a connect block join their environment's Cloud Map namespace; "
  "without port_name a service is a client only, and no service of the "
  "environment serves a port in it. A client discovers only the namespace's "
  "servers: \"This namespace must contain all of the server services that "
  "this service needs to discover\" (ECS Developer Guide, \"Amazon ECS "
  "Service Connect configuration overview\"), and AWS advises \"When you "
  "prepare to start using Service Connect, start with a client-server "
  "service\" (\"Amazon ECS Service Connect components\"). So the clients "
  "reach nothing through Service Connect, and each task runs its proxy for "
  "nothing. AWS documents no refusal of such a deployment (an earlier ecsc "
  "refused it as E1028 on a quotation that AWS's pages do not hold). Give a "
  "service a port_name to serve, which ecsc then applies before the "
  "clients, or remove the connect blocks.")
DIAG_CODE(W1122, SEV_WARNING, "listener rule with six wildcards",
  "A route's paths and hosts hold 6 wildcard characters (* and ?), and AWS's "
  "pages disagree on whether a listener rule takes them: \"Quotas for your "
  "Application Load Balancers\" gives Condition Wildcards per Rule as 6, "
  "\"Condition types for listener rules\" says \"There is a limit of five "
  "wildcard characters per rule\". ELB may refuse the rule. Use five or "
  "fewer, or `# ecsc:ignore W1122 REASON` once the rule was created.")
DIAG_CODE(W1140, SEV_WARNING, "ECR dual-stack image where its pull is not known to work",
  "The image names ECR's dual-stack registry, ACCOUNT.dkr-ecr.REGION.on.aws, "
  "where a pull has been seen to fail: on Fargate, which is reported not to "
  "authenticate to it (aws/containers-roadmap issue 2611: \"no basic auth "
  "credentials\"); on instances whose ECS agent is older than 1.95.0, which "
  "refuses ECR's credentials for it (\"ecr auth: AuthorizationData is "
  "malformed\", aws/amazon-ecs-agent pull request 4612): a pinned AMI's may "
  "be, and Bottlerocket has shipped such agents (aws/amazon-ecs-agent issue "
  "4829). The latest ECS-optimized AL2023 or AL2 AMI, ecsc's default, pulls "
  "it. ecsc's VPCs are IPv4, where the dual-stack name gains nothing: name "
  "the same repository by its IPv4 registry, "
  "ACCOUNT.dkr.ecr.REGION.amazonaws.com, which every ECS pull path takes "
  "and the execution role's grant already covers.")
DIAG_CODE(W1123, SEV_WARNING, "more tasks than ECS's default tasks per service quota",
  "The service's count, or its scaling's highest max (a schedule's "
  "included), is above 5,000: the Amazon ECS service quota \"Tasks per "
  "service\", \"The maximum number of tasks per service (the desired "
  "count)\", is 5,000 by default and adjustable (Amazon ECS Developer Guide, "
  "\"Amazon ECS service quotas\"); a request beyond an account's quota "
  "fails. ecsc cannot see the account's quota offline. Raise it before "
  "applying: in the Service Quotas console, choose Amazon Elastic Container "
  "Service, then \"Tasks per service\" and Request quota increase (AWS CLI: "
  "aws service-quotas request-service-quota-increase --service-code ecs "
  "with the quota's code, which aws service-quotas "
  "list-aws-default-service-quotas --service-code ecs lists). Or split the "
  "service in two; once the quota is raised, `# ecsc:ignore W1123 REASON`.")
DIAG_CODE(W1142, SEV_WARNING, "container port open to nothing",
  "A container has a port that nothing outside its task can reach. ecsc "
  "opens a port only where it knows the clients: a routed port to the load "
  "balancer, a port served with Service Connect (connect { port_name }) to "
  "the VPC. Under awsvpc the tasks' own security group has no other inbound "
  "rule; under bridge and host networking the instances' group admits only "
  "the load balancer and SSH from the bastion. A security group admits "
  "nothing that no rule allows, so a client elsewhere in the VPC (another "
  "service, a bastion, a Lambda) times out connecting to, say, a database's "
  "5432. Give awsvpc tasks an existing group that admits the clients "
  "(security_groups = [\"sg-...\"]), serve the port with Service Connect, or "
  "route it through the load balancer. A port another container of the task "
  "reaches (it depends_on or links to this one, or it is the proxy a route "
  "or Service Connect enters by, under awsvpc or host networking) or a "
  "FireLens router's is used inside the task over localhost and is not "
  "reported; if the port is there for nothing else, remove it. Each port of "
  "a container is judged alone: a route reaches its main port (port) only, "
  "Service Connect the port it serves, so a metrics port in ports is open to "
  "nothing unless a group of yours admits its clients or connect { port } "
  "serves it.")
DIAG_CODE(W1143, SEV_WARNING, "Spot draining on Bottlerocket instances may stay off",
  "ecsc turns Spot draining on for a Spot cluster; on Bottlerocket (ami = "
  "\"bottlerocket\") it writes the API setting "
  "settings.ecs.enable-spot-instance-draining, the key of the ECS settings "
  "model (bottlerocket-os/bottlerocket pull request 1100; its "
  "add-enable-spot-instance-draining migration). But the ECS agent's "
  "systemd drop-in template of the Bottlerocket core kit "
  "(packages/ecs-agent/ecs-base-conf, from commit 2b4d77ae of 2024-03 to "
  "a10182f, v3.1.1 of 2024-10, the newest copy ecsc's authors could read) "
  "renders ECS_ENABLE_SPOT_INSTANCE_DRAINING from "
  "settings.enable-spot-instance-draining, a key outside the ecs "
  "extension, so the agent starts with draining off whatever the user data "
  "says, and no user data can mend it (a key the model lacks stops the "
  "boot). No later core kit changelog entry, to v16.1.0 of 2026-09, "
  "mentions a fix. Without draining, a Spot interruption stops the "
  "instance's tasks with it instead of starting their replacements first. "
  "Use ami = \"al2023\" for the Spot cluster, or check on one of its "
  "instances that the agent's environment has "
  "ECS_ENABLE_SPOT_INSTANCE_DRAINING=true and then `# ecsc:ignore W1143 "
  "REASON`.")
DIAG_CODE(W1144, SEV_WARNING, "scaling target the metric cannot pass",
  "A target tracking policy scales out when its metric is above the target "
  "(ECS Developer Guide, \"Target tracking scaling policies\"). A service's "
  "CPU utilisation does not go above 100% when its task definition sets a "
  "task-level cpu (task { cpu }, always on Fargate), and its memory "
  "utilisation does not go above 100% when every container has a hard "
  "memory limit and none a memory_reservation (ECS Developer Guide, "
  "\"Amazon ECS service utilization metrics\"). A target of 100% there is "
  "never passed: the policy never scales out, and it scales in whenever the "
  "tasks use less than all they reserve. Lower the target, so that the "
  "service scales out while its tasks still have room.")
DIAG_CODE(W1145, SEV_WARNING, "more listener rules than the load balancer's default quota",
  "Each route is a listener rule on each of its environment's listeners: "
  "one on HTTP, and one on HTTPS as well when the alb block has a "
  "certificate_arn. Application Load Balancers User Guide, \"Quotas for "
  "your Application Load Balancers\": \"Rules per Application Load Balancer "
  "(excluding default rules)\" is 100 by default and adjustable (the "
  "listeners' own redirect and 404 are default rules, not counted). The "
  "environment's routes need more: past the account's quota, ELB refuses "
  "the rules of the service states applied last (CreateRule: "
  "TooManyRules). Request an increase of \"Rules per Application Load "
  "Balancer\" (Elastic Load Balancing) in the Service Quotas console before "
  "applying and then `# ecsc:ignore W1145 REASON`, or move routes to "
  "another environment, which has a load balancer of its own.")
DIAG_CODE(W1146, SEV_WARNING, "more targets than the load balancer's default quota",
  "ECS registers each task of a routed service in the service's target "
  "group. Application Load Balancers User Guide, \"Quotas for your "
  "Application Load Balancers\": \"Targets per Application Load Balancer\" "
  "is 1,000 by default and adjustable. The routed services' counts, or "
  "their scalings' highest maxes, each times its deployment's max_percent "
  "(a deployment's new tasks are registered beside the old ones), or twice "
  "for a blue-green, canary or linear deployment (the whole new revision "
  "runs beside the old whatever max_percent is), add up "
  "to more: past the account's quota, "
  "ECS cannot register the tasks (RegisterTargets: TooManyTargets, ELB API "
  "model), which then take no traffic. Request an "
  "increase in the Service Quotas console (Elastic Load Balancing) before "
  "applying and then `# ecsc:ignore W1146 REASON`, or lower the counts "
  "or a rolling deployment's max_percent.")
DIAG_CODE(W1170, SEV_WARNING, "rolling deployment becomes traffic-shifting on an existing rule",
  "ecsc build read the output directory: the service's state there deploys "
  "it rolling behind the load balancer, and this build deploys it blue-green, "
  "canary or linear, with a second target group, the listener rule forwarding "
  "to both (weighted 100 and 0), the role ECS moves the weights with, and "
  "the load balancer's advanced_configuration on the service. The rule "
  "exists, and the same build puts its action under ignore_changes, since "
  "ECS moves the weights from then on; Terraform plans an ignored argument "
  "when it creates a resource, never when it updates one (Terraform "
  "language documentation, lifecycle meta-argument). So a plain apply "
  "leaves the rule forwarding to the first group alone, and ECS's "
  "deployment fails: \"Both targetGroup and alternateTargetGroup must be "
  "associated with the productionListenerRule or testListenerRule\" (ECS "
  "Developer Guide, \"Migrating from a CodeDeploy blue/green to an Amazon "
  "ECS blue/green service deployment\"). Before the state's apply, make "
  "the rule's new action reach AWS: in the state's directory write "
  "override.tf.json holding {\"resource\": {\"aws_lb_listener_rule\": "
  "{\"http\": {\"lifecycle\": {\"ignore_changes\": [\"tags\"]}}}}} "
  "(https with a certificate; an empty list would override nothing), run "
  "terraform apply -target=aws_lb_listener_rule.http (the second group is "
  "made, the rule's action changed in place), delete the file, and apply "
  "the state. Not -replace: the rule on HTTPS is made before the old one "
  "goes, at the priority the old one holds (PriorityInUse), and the one on "
  "HTTP is deleted first, its requests going to another rule meanwhile. "
  "The state's apply then sends the advanced_configuration and the new "
  "strategy in one UpdateService, where AWS's procedure gives the service "
  "the advancedConfiguration in a rolling deployment first (\"Update the "
  "deployment strategy from Amazon ECS rolling update to blue/green\", "
  "Prerequisites); if ECS refuses that: aws ecs update-service "
  "--load-balancers with the advancedConfiguration (alternateTargetGroupArn, "
  "productionListenerRule, roleArn) while the service is still rolling, aws "
  "ecs wait services-stable, then apply the state again. A warning, as the "
  "steps apply the output this build writes.")
DIAG_CODE(W1171, SEV_WARNING, "traffic-shifting deployment becomes rolling behind the load balancer",
  "ecsc build read the output directory: the service's state there deploys "
  "it blue-green, canary or linear behind the load balancer, with two target "
  "groups and a listener rule whose weights ECS moves, and this build "
  "deploys it rolling, with the first group alone. ECS registers each "
  "deployment's new tasks in the group the traffic is not on and leaves "
  "the rule forwarding to them (go-to-k/cdk-real-drift issue 1730: "
  "\"green=100/blue=0 after the initial deployment\"), so after an odd "
  "number of deployments the production traffic is on the second group; "
  "and ECS, moving to rolling, finds the revision serving the traffic and "
  "keeps the load balancer configuration as it is (ECS Developer Guide, "
  "\"Update the deployment strategy from Amazon ECS blue/green to rolling "
  "update\"). The apply points the rule "
  "at the first group, then updates the service, then deletes the second "
  "group: if the tasks are in the second, the route has none until ECS "
  "registers new ones. Before the apply, see where the tasks are (aws elbv2 "
  "describe-target-health on the second group); if there, deploy once more "
  "(aws ecs update-service --force-new-deployment) and wait for it, which "
  "moves the traffic back to the first.")
DIAG_CODE(W1173, SEV_WARNING, "Service Connect tasks above Cloud Map's instances per namespace",
  "Each service that serves a port in Service Connect has a Cloud Map "
  "service in the environment's namespace, its tasks that service's "
  "instances (E1181). AWS Cloud Map Developer Guide, \"AWS Cloud Map "
  "service quotas\": \"Instances per namespace\", \"The maximum number of "
  "service instances that you can register using the same namespace\", is "
  "2,000 by default and adjustable. The serving services' counts, or their "
  "scalings' highest maxes, add up to more: past the account's quota, the "
  "tasks that cannot register are not reachable. Request an increase of "
  "\"Instances per namespace\" (AWS Cloud Map) in the Service Quotas console "
  "before applying, or lower the counts. Clients' tasks are not counted: AWS "
  "does not say that they register.")
DIAG_CODE(W1190, SEV_WARNING, "EBS volume removed from a service: the apply needs a step",
  "ecsc build read the output directory: the service's state there gives "
  "its tasks an EBS volume configured at launch, and this build has none. "
  "The AWS provider sends ECS no volume configuration when the block goes "
  "(it turns an empty list into none: hashicorp/terraform-provider-aws pull "
  "request 49185, open), ECS keeps the old one, and refuses the new task "
  "definition: \"Volume configuration provided but no matching "
  "configuredAtLaunch volume found in task definition\". ECS drops the "
  "volume when an update sends an empty volumeConfigurations with a task "
  "definition that configures none at launch. So: apply the task definition "
  "alone (terraform apply -target=aws_ecs_task_definition.main in the "
  "service's state), run aws ecs update-service with --task-definition "
  "FAMILY (its latest revision) and --volume-configurations '[]', wait for "
  "the service to be stable (aws ecs wait services-stable: the old tasks' "
  "volumes go before the infrastructure role's policy does), then apply "
  "the state. The build is written: the previous build keeps the volume "
  "until one without it is, so a refusal would never lift.")
DIAG_CODE(W1191, SEV_WARNING, "deployment alarms removed: ECS keeps watching them",
  "ecsc build read the output directory: the service's state there turns on "
  "deployment alarms, and this build lists none. The AWS provider's alarms "
  "block ignores its own removal (its DiffSuppressFunc hides a block going "
  "from one to none), so the plan shows nothing and ECS keeps the alarms: "
  "a later deployment still fails, or rolls back, when one goes into ALARM. "
  "Writing alarms { alarm_names = [], enable = false } does not help: the "
  "provider drops an empty name list and the AWS SDK refuses the request "
  "without it (AlarmNames is required). Turn them off once with aws ecs "
  "update-service --deployment-configuration "
  "'{\"alarms\":{\"alarmNames\":[],\"enable\":false,\"rollback\":false}}', "
  "before or after applying.")
DIAG_CODE(W1192, SEV_WARNING, "target group replaced: route down until a new task is healthy",
  "ecsc build read the output directory: the service's target group there "
  "has another port or target type (a new container port, or a network "
  "mode in or out of awsvpc). Both are ForceNew, so Terraform makes a new "
  "group, points the listener rule at it, and only then updates the "
  "service, whose new tasks register in it. Until the first of them passes "
  "the load balancer's health check (healthy_threshold checks, interval "
  "apart, after it starts) the group has no healthy target and the route "
  "answers 503 (a group with no registered targets). No order of the "
  "state's apply avoids this: apply it when the route may be down that "
  "long. A lower interval or healthy_threshold in the route's health_check "
  "shortens it.")
DIAG_CODE(W1161, SEV_WARNING, "ECS service replaced: no task between the old and the new",
  "ecsc build read the output directory: the service's state there made "
  "its ECS service in another cluster of the environment, and this build "
  "moves it. The cluster is ForceNew in the AWS provider, so Terraform "
  "replaces the service, and without create_before_destroy it deletes the "
  "old one first: the provider sets its desired count to 0, deletes it and "
  "waits for it to be INACTIVE before it creates the new one. From the "
  "deletion until the new service's first task runs the service has no "
  "task: its route answers 503 until a new task passes the load balancer's "
  "health check, and its Service Connect endpoint has no task to reach. "
  "Making the new one first would not work: ECS takes no second service of "
  "a name in a cluster while the first is ACTIVE or DRAINING, nor a second "
  "service of a Service Connect discovery name (\"SC service is already "
  "used by\"). Keep the cluster, or apply the state when the service may be "
  "down that long. A change of capacity, load balancer, Service Connect or "
  "network configuration is made in place; a new cluster name or prefix "
  "is refused while services run in the cluster (E1162).")
DIAG_CODE(E1216, SEV_ERROR, "more target groups than a load balancer takes",
  "Each route has a target group, and a service that shifts its traffic "
  "(strategy \"blue-green\", \"canary\" or \"linear\") a second one, both "
  "in its listener rule's action, on its environment's load balancer. "
  "Application Load Balancers User Guide, \"Quotas for your Application "
  "Load Balancers\": \"Target Groups per Application Load Balancer\" is "
  "100, not adjustable. The environment's routes need more, and ELB would "
  "refuse the rules of the service states applied last (CreateRule: "
  "TooManyUniqueTargetGroupsPerLoadBalancer, \"the limit on the number of "
  "unique target groups per load balancer across all listeners\", ELB API "
  "model). Move routes to "
  "another environment, which has a load balancer of its own, or deploy "
  "some of the shifting services rolling, with one group each.")
DIAG_CODE(E1220, SEV_ERROR, "unknown Fargate platform version",
  "platform_version names a version Fargate's Linux platform never had, "
  "such as 1.5.0 or 1.4.1 (ECS Developer Guide, \"Fargate Linux platform "
  "versions\": 1.4.0 is the latest; \"AWS Fargate Linux platform version "
  "deprecation\": 1.0.0 to 1.3.0, retired, E0963). The schema checks only "
  "the form N.N.N, and neither the AWS provider nor the plan checks the "
  "value: CreateService refuses it when the service state is applied (the "
  "ECS API model's error for it is PlatformUnknownException, \"The specified "
  "platform version doesn't exist\", listed for CreateService, UpdateService "
  "and RunTask). "
  "Windows's versions are numbered apart (\"Fargate Windows platform "
  "versions\": 1.0.0), but ecsc builds Linux tasks only. Set "
  "platform_version to \"1.4.0\", or remove it for \"LATEST\".")
DIAG_CODE(E1221, SEV_ERROR, "certificate changed while a service shifts its traffic",
  "ecsc build read the output directory: this build adds or removes the "
  "certificate of an environment's load balancer, and a service behind it "
  "deploys blue-green, canary or linear. Each routed service has a rule on "
  "each listener: without a certificate its rule on HTTP forwards, with one "
  "its rule on HTTPS forwards and the one on HTTP redirects to HTTPS. The "
  "forwarding rule's action is ECS's in a traffic-shifting deployment "
  "(Terraform ignores it): a new rule on HTTPS would forward to the first "
  "target group, whichever of the two ECS left the tasks in, and on removal "
  "the rule on HTTP would keep redirecting to the HTTPS listener the build "
  "deletes. Make the change in three builds: set strategy = \"rolling\" in "
  "the service, build and apply; change the certificate, build and apply; "
  "then set the strategy back, build, and apply by W1170's steps (its rule's "
  "new action would not reach AWS in a plain apply). Only build reports "
  "this.")
DIAG_CODE(E1222, SEV_ERROR, "certificate changed over a build with one listener rule per service",
  "ecsc build read the output directory: this build adds or removes the "
  "certificate of an environment's load balancer, and the previous build "
  "gave each routed service one listener rule (aws_lb_listener_rule.main) "
  "on the one listener its VPC state exported (alb_listener_arn). ecsc now "
  "gives each service a rule on each listener, read from an output per "
  "listener, so that a certificate added or removed changes every service "
  "state that `build --changed` must list. The old rule becomes the new "
  "forwarding rule (a moved block) when the certificate stays; changing "
  "both at once would replace it on another listener, and a listener takes "
  "no two rules of the same priority (ELB API Reference, CreateRule). Make "
  "the change in two builds: build with the certificate as it was and "
  "apply; then change it and build again. Only build reports this.")
DIAG_CODE(E1223, SEV_ERROR, "certificate removed in the build that adds a VPC state output",
  "ecsc build read the output directory: this build removes the "
  "certificate of an environment's load balancer and adds an output to its "
  "VPC state. Removing the certificate deletes the HTTPS listener, and with "
  "it every rule on it (\"When you delete a listener, all its rules are "
  "deleted\", ELB User Guide), so `build --changed` lists the environment's "
  "service states before its VPC state: each moves its route back to the "
  "HTTP listener while the HTTPS one still exists. A service applied first "
  "cannot read an output the applied VPC state does not have yet. Make the "
  "other changes in one build with the certificate kept, apply it; then "
  "remove the certificate and build again. Only build reports this.")
DIAG_CODE(W1210, SEV_WARNING, "FireLens output name a few letters from an AWS output's",
  "The Name option of a FireLens output is none of the AWS outputs ecsc "
  "knows (cloudwatch_logs, cloudwatch, kinesis_firehose, firehose, "
  "kinesis_streams, kinesis, s3) but a few letters from one. ecsc takes a "
  "name it does not know for a third-party output and grants the task role "
  "nothing for it; and Fluent Bit refuses a configuration that names an "
  "output it has no plugin of (\"tried to instance a plugin name that "
  "doesn't exist\"), so the router stops, and with it the task. Correct the "
  "name. If a custom router image does carry an output of that name, "
  "suppress the warning with # ecsc:ignore W1210 REASON.")
DIAG_CODE(W1211, SEV_WARNING, "capacity provider strategy changed: apply with force_new_deployment",
  "ecsc build read the output directory: the service's state there gives "
  "the ECS service another capacity provider strategy (its capacity, its "
  "strategy, or a cluster's capacity it follows). ECS makes that change "
  "only with a new deployment (UpdateService's error, as the AWS "
  "CloudFormation User Guide quotes it for AWS::ECS::Service: \"making a "
  "change to a capacity provider strategy on a service that is already "
  "using one, you must force a new deployment\"), and the AWS provider's "
  "plan stops without it: \"force_new_deployment should be true when "
  "capacity_provider_strategy is being updated\" (terraform-provider-aws, "
  "internal/service/ecs/service.go, capacityProviderStrategyCustomizeDiff). "
  "Each service state has the variable force_new_deployment, false by "
  "default, since the provider sends the flag with every update it makes: "
  "apply the state named with -var force_new_deployment=true, once. That "
  "deployment replaces every task. Only build reports this.")
DIAG_CODE(W1212, SEV_WARNING, "scaling bound changed that schedules set: the apply leaves it",
  "ecsc build read the output directory: this build changes a service's "
  "scaling min or max, and a schedule of the service sets that bound too. "
  "Such a bound is the schedules', under ignore_changes of "
  "aws_appautoscaling_target (a Terraform apply inside a schedule's window "
  "would otherwise undo the schedule), and Terraform plans an ignored "
  "argument when it creates a resource, never when it updates one "
  "(Terraform language documentation, lifecycle meta-argument): the apply "
  "leaves the target's bound as the last scheduled action set it, and the "
  "new value reaches AWS only through a schedule that sets it. Give the "
  "schedule that restores the scaling's bounds the new value too: every "
  "apply updates the schedules, and the bound takes effect at that "
  "schedule's next run. Only build reports this.")
DIAG_CODE(E1200, SEV_ERROR, "invalid scheduled action name",
  "A schedule's Application Auto Scaling name is its service's task family "
  "and its label, FAMILY-LABEL. PutScheduledAction takes 1 to 256 "
  "characters, none of : / | or a control character, and no space at "
  "either end (Application Auto Scaling API Reference, PutScheduledAction, "
  "ScheduledActionName); the apply of the service's state would stop at "
  "the scheduled action, after the service and its scalable target were "
  "made. Shorten the label, or the environment's prefix or the service's "
  "name. (A label must first be a Terraform name, E0554: letters, digits, "
  "_, - and ., starting with a letter or _.)")
DIAG_CODE(E1201, SEV_ERROR, "schedule sets one bound across the other",
  "A schedule that sets only max leaves the scaling's min as it is, and one "
  "that sets only min leaves max: the one in effect is the scaling's own "
  "until a schedule sets it, then that schedule's. ecsc does not order the "
  "schedules' crons, so any of them can be in effect when the schedule "
  "runs, and here one is across the new bound: min above max. The "
  "Application Auto Scaling User Guide (\"How scheduled scaling for "
  "Application Auto Scaling works\", Considerations) says a scheduled "
  "action \"can optionally include only one of these sizes\", but \"you "
  "must include both sizes to ensure that the new minimum capacity is not "
  "greater than the maximum capacity, or the new maximum capacity is not "
  "less than the minimum capacity\". Give the schedule the other bound as "
  "well.")
DIAG_CODE(E1202, SEV_ERROR, "unknown time zone",
  "A schedule's timezone must be one Application Auto Scaling reads: \"the "
  "canonical names of the IANA time zones supported by Joda-Time (such as "
  "Etc/GMT+9 or Pacific/Tahiti)\" (Application Auto Scaling API Reference, "
  "PutScheduledAction, Timezone). ecsc knows them from std/aws/timezones, "
  "Joda-Time's own table of its zones (the page AWS links to). Neither the "
  "AWS provider nor the plan checks the name, so a typo such as "
  "America/NewYork fails the apply at the scheduled action, after the "
  "service and its scalable target were made. Names are case-sensitive. "
  "If AWS takes a zone newer than the list, declare it beside your "
  "services: time_zone \"Area/City\" {}.")
DIAG_CODE(W1240, SEV_WARNING, "NAT turned on or off: private subnets cut off during the apply",
  "ecsc build read the output directory: the environment's VPC state there "
  "has NAT gateways and this build has nat = \"none\", or the other way "
  "round. Without NAT the private subnets reach AWS through VPC endpoints; "
  "the change deletes one way out and makes the other, and Terraform deletes "
  "what the configuration no longer has without waiting for what it adds. "
  "Until the new way is available (an endpoint, or a NAT gateway and its "
  "route: minutes) the instances and the tasks in the private subnets may "
  "not reach ECS, ECR, CloudWatch Logs or their secrets. Apply the VPC "
  "state when that is acceptable. (Between \"single\" and \"per_az\" every "
  "subnet stays routed.)")
DIAG_CODE(W1241, SEV_WARNING, "NAT gateway dropped without create_before_destroy in its state",
  "ecsc build read the output directory: this build has nat = \"single\" "
  "and drops zones' NAT gateways that the previous build's VPC state wrote "
  "without create_before_destroy (an ecsc before it). Terraform reads that "
  "setting of an object gone from the configuration from its state, so it "
  "deletes the zone's route and route table before it moves the zone's "
  "private subnet to the table that stays; the AWS provider disassociates "
  "the subnets of a route table it deletes, and the subnet has no way out "
  "until its gateway is deleted too and its association made again. Keep "
  "the previous nat in one build of this ecsc and apply it (the state then "
  "records the setting), then change nat.")
DIAG_CODE(W1200, SEV_WARNING, "time zone alias",
  "The schedule's timezone is one of the older names Joda-Time reads as "
  "another zone (US/Eastern for America/New_York, Asia/Calcutta for "
  "Asia/Kolkata). AWS lists only the canonical names as valid values "
  "(Application Auto Scaling API Reference, PutScheduledAction, Timezone); "
  "whether it refuses an alias it does not say. Write the canonical name: "
  "it is the same zone.")
DIAG_CODE(E1230, SEV_ERROR, "Fargate capacity providers removed while services run on them",
  "ecsc build read the output directory: a cluster there had fargate = true, "
  "which puts FARGATE and FARGATE_SPOT in its capacity providers, and "
  "service states there still run on them, while this build removes "
  "fargate from the cluster (the services move to the instances, or go). "
  "The VPC state is applied first, and ECS lets a provider leave a cluster "
  "\"if it's not being used by any existing tasks\" only (ECS API "
  "Reference, PutClusterCapacityProviders): the apply fails with "
  "ResourceInUseException once the AWS provider's retries run out, before "
  "the service states that would move the tasks. It is E0880's case on the "
  "providers AWS makes. Move in two builds: keep fargate = true while the "
  "services move off Fargate, build, apply the VPC state, then the service "
  "states with -var force_new_deployment=true (or destroy the removed "
  "ones'); then remove fargate, build and apply the VPC state again. Only "
  "build reports this.")
DIAG_CODE(E1231, SEV_ERROR, "load balancer removed while services admit its security group",
  "ecsc build read the output directory: the environment had an alb there, "
  "and awsvpc service states there admit the load balancer's security group "
  "to their tasks (a rule of the service's own group that references it), "
  "while this build removes the alb. The VPC state is applied first and "
  "deletes the group with the load balancer; EC2 refuses to delete a "
  "security group that \"is referenced by another security group in the "
  "same VPC\" (DependencyViolation, EC2 API Reference, "
  "DeleteSecurityGroup). The rules go only when the service states are "
  "applied, after, so the VPC state fails on every run, with the load "
  "balancer already gone. Remove it in two builds: keep alb {} while the "
  "services' routes go, build and apply the VPC state and then the service "
  "states; then remove alb, build and apply the VPC state again. Only build "
  "reports this.")
DIAG_CODE(E1232, SEV_ERROR, "VPC or subnet replaced while services are in it",
  "ecsc build read the output directory: this build gives the VPC another "
  "cidr (or puts an existing VPC, vpc { id }, in the place of the one ecsc "
  "made), or a subnet another CIDR, while service states there have their "
  "tasks' security groups or network interfaces in it (awsvpc and Fargate "
  "services). A VPC's and a subnet's cidr_block are ForceNew in the AWS "
  "provider, so the VPC state, applied first, deletes them before it makes "
  "the new ones; EC2 deletes no VPC that still holds security groups (\"You "
  "must detach or delete all gateways and resources that are associated "
  "with the VPC before you can delete it\", EC2 API Reference, DeleteVpc) "
  "and no subnet that holds network interfaces (DependencyViolation). The "
  "apply fails part-way, after Terraform has destroyed what it destroys "
  "first, and every re-run fails the same way. Keep the network as it was; "
  "to move to a new one, build a new environment beside this one, move the "
  "services to it, then remove this one. Only build reports this.")
DIAG_CODE(E1233, SEV_ERROR, "listener rule priority moved between services in one build",
  "ecsc build read the output directory: a service there had a listener "
  "rule of this priority, and in this build another service takes it while "
  "the first is removed (a renamed service is a removed one and a new one) "
  "or has another priority. A listener takes one rule of a priority "
  "(CreateRule fails with PriorityInUse, \"The specified priority is in "
  "use\", ELB API Reference), and the old rule goes only when the old "
  "service's state is applied or destroyed, which build --changed=json "
  "orders after the states the build adds, and a kept service's in either "
  "order. Move it in two builds: give the new service another priority, "
  "build and apply (the old and the new rule are on the listener together, "
  "the lower number evaluated first); then give it the old priority. Only "
  "build reports this.")
DIAG_CODE(E1234, SEV_ERROR, "load balancer with deletion protection deleted",
  "ecsc build read the output directory: the previous build's VPC state has "
  "a load balancer with deletion protection on, and this build deletes it "
  "(the environment has no alb block now, or is gone from the source). "
  "Deletion protection refuses its deletion through the API: in the AWS "
  "provider's words, it \"will prevent Terraform from deleting the load "
  "balancer\" (Resource: aws_lb, enable_deletion_protection), so the apply "
  "or destroy of the VPC state stops there, after it has deleted what came "
  "before. Turn it off first: keep the load balancer with deletion_protection "
  "= false, build and apply the VPC state; then remove it. Only build "
  "reports this.")
DIAG_CODE(E1235, SEV_ERROR, "parameter deleted while services read it",
  "ecsc build read the output directory: the previous build's VPC state made "
  "a plain parameter (one whose value the source holds) that services of "
  "this build read in their previous task definitions, and this build "
  "deletes it: its path changed, and with it its SSM name, which is "
  "ForceNew in the AWS provider (a new parameter, the old one deleted), or "
  "its block is gone. The VPC state is applied first; ECS reads a secret "
  "when it starts a container, so from then until a service's state is "
  "applied no task of its running revision can start (a scale-out, an "
  "unhealthy task replaced), and neither can the deployment circuit "
  "breaker's rollback to it. ecsc does not keep the old parameter by "
  "itself: what it writes never depends on the output directory. Move in "
  "two builds: keep the parameter as it was, declare the new path as "
  "another parameter and point the services at it, build, apply the VPC "
  "state and then the services' states; then remove the old parameter and "
  "build again. Only build reports this.")
DIAG_CODE(W1230, SEV_WARNING, "renamed route's new rule before the old one: 503 until healthy",
  "ecsc build read the output directory: a service removed from the source "
  "(a renamed one's old name) had a listener rule that matches the same "
  "requests as this service's new rule, at a higher priority number. "
  "build --changed=json applies the new state before it destroys the old "
  "one, and the listener evaluates rules from the lowest number: from the "
  "new rule's creation every such request goes to the new target group, "
  "which has no registered target until a new task starts, and an "
  "Application Load Balancer answers 503 for it until a task passes the "
  "health check. A new rule after the old one takes nothing until the old "
  "one goes, by then behind a stable service. Declare a priority after the "
  "old one's for this build (ecsc assigns undeclared priorities from the "
  "route and the name, so a rename may land before). Only build reports "
  "this.")
DIAG_CODE(E1242, SEV_ERROR, "ARM64 tasks on Fargate Spot",
  "A service of an arm64 cluster runs ARM64 tasks (its task definition's "
  "runtimePlatform.cpuArchitecture), and its capacity is \"fargate_spot\" "
  "or its strategy places tasks on \"fargate_spot\" (a weight or a base). "
  "Fargate Spot does not run them: \"Linux tasks with the ARM64 "
  "architecture don't support the Fargate Spot capacity provider. Fargate "
  "Spot only supports Linux tasks with the X86_64 architecture\" (ECS "
  "Developer Guide, \"AWS Fargate capacity providers\"). Every validator "
  "passes the output, and ECS leaves the tasks unplaced. The note says what "
  "made the cluster arm64: its architecture setting, or its first "
  "instances' instance_type. Run the service on \"fargate\" (Fargate "
  "On-Demand runs ARM64), or give it a cluster of x86_64. An arm64 "
  "cluster's default strategy that does is W1148.")
DIAG_CODE(W1148, SEV_WARNING, "an arm64 cluster's default strategy on Fargate Spot",
  "An arm64 cluster's default strategy places tasks on \"fargate_spot\" "
  "(a weight or a base), which runs X86_64 tasks only (ECS Developer "
  "Guide, \"AWS Fargate capacity providers\": \"Linux tasks with the ARM64 "
  "architecture don't support the Fargate Spot capacity provider\"). "
  "ecsc's services give their own strategy, so none of them is placed by "
  "it, and ECS takes the setting (PutClusterCapacityProviders knows no "
  "architectures); but a task started without a strategy of its own, "
  "such as aws ecs run-task of a service's ARM64 task definition, is, and "
  "what it places on Fargate Spot never runs. Remove the fargate_spot item "
  "of the default strategy, or give such tasks a strategy when starting "
  "them.")
DIAG_CODE(E1243, SEV_ERROR, "cluster architecture unlike its instance types",
  "A cluster sets architecture, the processor architecture its services' "
  "task definitions name (runtimePlatform.cpuArchitecture), and its first "
  "instances' instance_type is of the other one. The cluster's launch "
  "template boots an AMI built for its types' architecture (E0970 keeps "
  "every type of a cluster to one), and the services' task definitions name "
  "the setting's: whether ECS then never places their tasks, or starts them "
  "there, where an image built for the setting's architecture cannot run "
  "(exec format error), AWS does not document "
  "(the ECS API Reference, RuntimePlatform, says only that ARM64 \"is "
  "available for tasks that run on Linux Amazon EC2 instance\"); neither "
  "runs the service. A cluster "
  "with instances says its architecture by their types: remove the "
  "setting, or give the services of the other architecture a cluster of "
  "their own. The setting is for a cluster of Fargate alone, which has no "
  "instance type to say it: architecture = \"arm64\" there runs its "
  "services' tasks on Fargate's ARM64 (ECS API Reference, RuntimePlatform: "
  "ARM64 \"is available for tasks that run on Linux Amazon EC2 instance, "
  "Amazon ECS Managed Instances, or Linux containers on Fargate\").")
DIAG_CODE(E1244, SEV_ERROR, "second Service Connect block in a service",
  "A service has two connect blocks. ECS lets a service serve several of "
  "its task's ports with Service Connect: serviceConnectConfiguration's "
  "services is a list of endpoints, each of which \"selects a port from the "
  "task definition\" (ECS API Reference, ServiceConnectConfiguration), and "
  "Terraform's service_connect_configuration takes several service blocks. "
  "ecsc serves one: a connect block names one port mapping, opens one port "
  "to the VPC and is what the Service Connect checks (E1020-E1027) judge. "
  "Keep one connect block, on the port the namespace's clients call; the "
  "container's other ports stay reachable inside the task and by the "
  "security groups you give (see \"Ports: the main one and the others\").")
DIAG_CODE(E1245, SEV_ERROR, "more host ports than an instance reserves",
  "A task's fixed host ports are reserved on its instance while it runs, "
  "and \"a container instance can have up to 100 reserved ports at a time, "
  "including the default reserved ports\" (ECS API Reference, PortMapping: "
  "hostPort): the agent's own (ECS_RESERVED_PORTS, by default 22, 2375, "
  "2376 and 51678-51680) and the task's. Under host networking every port "
  "of every container is one (port and ports); under bridge, each "
  "host_port. A task that needs more than the rest fits no instance. "
  "RegisterTaskDefinition takes it; ECS then never places a task of it, and "
  "each attempt fails with RESOURCE:PORTS (reported in "
  "aws/amazon-ecs-agent#269, answered by an agent maintainer at Amazon, and "
  "#2078; no AWS document names the outcome), so the service's deployment "
  "never ends. Map fewer ports, or use bridge networking: "
  "\"automatically assigned ports don't count toward the 100 reserved ports "
  "limit\". ecsc counts the agent's ports its setting lists; the agent may "
  "keep more.")
DIAG_CODE(E1246, SEV_ERROR, "container memory limit above its task's on instances",
  "On a Linux container instance the ECS agent puts a task with a task-level "
  "memory in a cgroup of that size, and first checks that no container's "
  "memory (its hard limit) is greater: one that is fails the task with "
  "\"container memory limit greater than task memory limit\", and the agent "
  "stops it before any container starts (aws/amazon-ecs-agent, "
  "agent/api/task/task_linux.go, buildLinuxMemorySpec). The agent does so "
  "unless the cluster sets ECS_ENABLE_TASK_CPU_MEM_LIMIT to false (true by "
  "default). So a service of such a task never runs a task on its cluster's "
  "instances. Lower the container's memory to the task's or less, or raise "
  "the task's memory. What the containers reserve is E0966's; on Fargate a "
  "hard limit above the task's is let through (no AWS source says what "
  "happens there).")
DIAG_CODE(W1231, SEV_WARNING, "availability zone removed while awsvpc tasks run in it",
  "ecsc build read the output directory: this build removes an availability "
  "zone (azs, and the subnets of it) while service states there run awsvpc "
  "or Fargate tasks in a subnet of the zone. The VPC state is applied first "
  "and deletes the zone's subnets; EC2 deletes no subnet that holds network "
  "interfaces (DependencyViolation), and a service leaves the zone only when "
  "its state, applied after, takes the VPC state's new list of subnets: the "
  "apply fails, after what Terraform deletes first. No source can move the "
  "services first (they read their subnets from the VPC state), so this is "
  "a warning with the step that does, by hand, before the VPC state's apply: "
  "aws ecs update-service with a network configuration of the kept zones' "
  "subnets (ECS starts new tasks with it), then aws ecs wait "
  "services-stable; the services' states then write the same subnets. "
  "Destroy a removed service's state first. Only build reports this.")
DIAG_CODE(W1232, SEV_WARNING, "removed service's log group deleted with its logs",
  "ecsc build read the output directory: a service there is removed from "
  "the source (a renamed service's old name is removed too), and destroying "
  "its state deletes its CloudWatch log group, with every log event in it "
  "(DeleteLogGroup), whatever its retention. ecsc does not write the group "
  "with skip_destroy, which would keep it outside Terraform: a service of "
  "the same name added again (or a rename undone) would then fail to create "
  "it (ResourceAlreadyExistsException) until it is imported by hand. To keep "
  "the logs, export them first (aws logs create-export-task), or remove the "
  "group from the state before its destroy (terraform state rm), and import "
  "it should the service come back. An environment removed from the source "
  "goes whole: destroying its service states deletes every service's group, "
  "which one warning names, a note for each. Only build reports this.")
DIAG_CODE(W1233, SEV_WARNING, "cluster's processor architecture changed under its services",
  "ecsc build read the output directory: the services of a cluster there ran "
  "task definitions of one processor architecture (arm64 or x86_64), and "
  "this build gives the cluster instance types of the other. Applied in "
  "order, the VPC state starts an instance refresh to the new AMI, which "
  "Terraform does not wait for, and each service's new task definition "
  "comes with its state, after: in between, tasks of either revision may "
  "start on instances of either architecture, and an image built for one "
  "does not run on the other (exec format error). Without a window: build "
  "every image for both architectures first (a multi-arch manifest). Or add "
  "a cluster of the new architecture beside the old one and move the "
  "services to it (each is replaced, with no task in between, W1161), build "
  "and apply, then remove the old cluster. The cluster's Fargate services "
  "are named in notes: no race there, as Fargate runs each revision on the "
  "architecture it asks for, but their next revision follows the cluster's "
  "architecture, which their images must have too. Only build reports "
  "this.")
DIAG_CODE(W1234, SEV_WARNING, "tags changed: every container instance replaced",
  "ecsc build read the output directory: the tags every resource of the "
  "environment carries (project, environment, managed-by, and the project's "
  "and the environment's own) differ from the previous build's. They are "
  "also the launch templates' tag_specifications, so each launch template "
  "gets a new version, and a new launch template version starts the "
  "autoscaling group's instance refresh: every container instance of the "
  "environment is drained and replaced, its tasks started elsewhere. No "
  "other way tags what the groups launch: the provider's default_tags reach "
  "neither the instances nor their volumes, \"Tags are not propagated to "
  "Amazon EBS volumes. To add tags to Amazon EBS volumes, specify the tags "
  "in a launch template\" (Amazon EC2 Auto Scaling User Guide, \"Tag Auto "
  "Scaling groups and instances\"), and a group's own tags, which ecsc "
  "propagates too, reach only the instances it launches after they change. "
  "A Name among the project's or the environment's tags is not the "
  "templates' (theirs is the group's name): a change of it alone replaces "
  "nothing and is not reported, nor is a change that comes with a cluster's "
  "first instances (a new launch template has none to replace). Apply it "
  "when the instances may be replaced. Only build reports this.")
DIAG_CODE(W1235, SEV_WARNING, "managed parameter made secure, external or value-less: deleted",
  "ecsc build read the output directory: the previous build's VPC state made "
  "a plain parameter at an SSM name that this build keeps for a secure "
  "parameter (its value set outside ecsc), an external one (managed "
  "elsewhere) or a plain one without a value (set outside ecsc from now "
  "on). ecsc makes none of them, so the parameter's resource leaves the "
  "VPC state, and applying it deletes the parameter (DeleteParameter of the "
  "name), whatever it holds then: a SecureString put there before the apply "
  "is deleted too, and every service that reads it, in its running revision "
  "or in this build's, starts no task until it is put again. PutParameter "
  "does not change a parameter's type in a hierarchy, and every name ecsc "
  "makes is in one: \"Parameter Store doesn't support changing a parameter "
  "type in a hierarchy. For example, you can't change a parameter from a "
  "String type to a SecureString type. You must create a new, unique "
  "parameter\" (Systems Manager API Reference, PutParameter, "
  "HierarchyTypeMismatchException). So at the same path the parameter is "
  "deleted and made again. Without a gap: keep it plain in this build, "
  "declare the secure parameter at another path and point the services at "
  "it, build and apply; then remove the plain one. At the same path, with a "
  "gap of seconds: run terraform state rm aws_ssm_parameter.NAME in the VPC "
  "state's directory before the apply (Terraform forgets it, SSM keeps it), "
  "then delete it and put the SecureString at once. An external one's new "
  "owner takes it as it is, after the same state rm, and so does whoever "
  "sets a value-less plain one from now on: it stays a String, with no "
  "type to change and no gap. Only build reports this.")
DIAG_CODE(W1236, SEV_WARNING, "parameter made plain at a name that exists: the create fails",
  "ecsc build read the output directory: this build makes a plain parameter "
  "at an SSM name that the previous build's services read and its VPC state "
  "did not make (a secure or external parameter made plain). The parameter "
  "exists, and the AWS provider creates a new parameter without overwriting "
  "one: PutParameter fails with ParameterAlreadyExists, and the VPC state's "
  "apply stops there, on every run. A String is taken over without a gap: "
  "terraform import aws_ssm_parameter.NAME PATH in the VPC state's "
  "directory before the apply, which then updates it in place. A "
  "SecureString cannot be: the AWS provider changes a parameter's type in "
  "place (PutParameter with Overwrite), which PutParameter refuses in a "
  "hierarchy (HierarchyTypeMismatchException: \"Parameter Store doesn't "
  "support changing a parameter type in a hierarchy\"). Keep the parameter "
  "as it was in this "
  "build, declare the plain one at another path and point the services at "
  "it, build and apply; then remove the old one. Or, at the same path with "
  "a gap: delete the parameter (aws ssm delete-parameter) just before "
  "applying the VPC state, which makes it again. Only build reports this.")
DIAG_CODE(W1237, SEV_WARNING, "parameter block renamed, path kept: made and deleted in no order",
  "ecsc build read the output directory: the previous build's VPC state made "
  "this parameter's SSM name under another Terraform name, a parameter block "
  "of another name. The new Terraform name creates the parameter while the "
  "old one, gone from the configuration, deletes it, and nothing orders the "
  "two: a create before the delete fails (ParameterAlreadyExists) and "
  "leaves the name deleted until the next apply; a create after it leaves "
  "the name missing in between. Services that read it start no task while "
  "it is missing. Keep the block's name (its references are the source's "
  "only), or run terraform state mv aws_ssm_parameter.OLD "
  "aws_ssm_parameter.NEW in the VPC state's directory before the apply: "
  "nothing is then deleted or created. ecsc writes no moved block for it, "
  "as the old name is known only from the output directory, and what ecsc "
  "writes never depends on it. Only build reports this.")
