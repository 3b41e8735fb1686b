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
  "or a percentage (50%). Fractions and other suffixes are not numbers.")

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
  "five or six; deeper input is refused rather than risk exhausting the stack.")
DIAG_CODE(E0205, SEV_ERROR, "block label must be a string",
  "Block labels name the block and are written as strings: "
  "environment \"staging\" { ... }.")

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
  "A variable is used but neither the values file (--values) nor its default "
  "gives it a value. Add a default to the variable's declaration or set it in "
  "the values file, for every environment or for this one.")
DIAG_CODE(E0404, SEV_ERROR, "unknown instance type, region or AMI family",
  "The standard library (std/aws) does not know the EC2 instance type, region "
  "or AMI family, so ecsc cannot check what depends on it. Check the spelling; "
  "for a type or region too new for this stdlib, declare it yourself: "
  "instance_type \"x9.large\" { vcpu = 2 memory = 8 GiB arch = \"x86_64\" }.")
DIAG_CODE(E0405, SEV_ERROR, "template cycle",
  "Templates extend each other in a circle, so no order of merging exists. "
  "The message prints the cycle; break it by removing one extends.")
DIAG_CODE(E0406, SEV_ERROR, "no project",
  "Environments belong to a project, which names the AWS region and the S3 "
  "bucket of the Terraform state. Declare one: project \"NAME\" { region = "
  "\"us-east-1\" state { bucket = \"...\" } }. A file of services or templates "
  "alone is a module, checked without one.")

DIAG_CODE(W0001, SEV_WARNING, "empty file",
  "The file declares nothing. An empty configuration deploys nothing; if the "
  "file is meant to be empty, delete it.")
