// cli.c: the one description of ecsc's commands and options, and everything
// made from it: the help of each command, the man page (compiler/ecsc.1), the
// README's table of commands and the bash, zsh and fish completions. main.c
// parses arguments with getopt_long from the same rows, so what the help says
// a command takes is exactly what it accepts. tests/docs.sh checks that the
// committed man page and README match what these functions print.
#include "cli.h"

#include <string.h>

enum { CMD_MAIN = 1 << 9 };  // options before any command: ecsc --version

const CliCommand cli_commands[] = {
    {"lint", CMD_LINT, "FILE...", COMPLETE_ECS, NULL,
     "check files and what they import, and report every problem found",
     "Parses each FILE and the files it imports, resolves every reference, checks every "
     "rule ecsc knows of AWS, derives the IAM policies, and reports every problem found "
     "as `file:line:col` diagnostics, each with the source line, carets under the "
     "fault, a code (`ecsc explain CODE` says more) and help.\n\n"
     "A comment `# ecsc:ignore CODE REASON` on its own line suppresses the warning CODE "
     "on the next line that is not such a comment; the reason is required. --disable "
     "suppresses a code everywhere. Only warnings and notes can be suppressed, never "
     "errors. A suppression comment that suppresses nothing is a warning itself (W0002). "
     "The summary line counts what was suppressed.",
     "0 clean or warnings only, 1 errors, 2 usage or I/O failure"},
    {"build", CMD_BUILD, "FILE -o DIR", COMPLETE_ECS, NULL,
     "lint, then write the output tree, all or nothing",
     "Checks FILE as lint does and, when it is clean, writes DIR/ENV/vpc/main.tf.json and "
     "DIR/ENV/vpc/user_data_CLUSTER.sh (the state of environment ENV), "
     "DIR/ENV/services/S/main.tf.json and task-definition.json (a state per service S) "
     "and DIR/.ecsc-manifest (the files ecsc wrote). All or nothing: DIR changes only "
     "when everything succeeded, and only where the output changed, each state directory "
     "whole: at every moment, even after a kill, it holds all of its old files or all of "
     "its new ones. Files a previous build wrote and this one does not are removed; files "
     "ecsc did not write are kept (in a state that changes, carried over as hard links).\n\n"
     "With --check, writes nothing and lists on standard output each missing, extra or "
     "differing file, as `differs: PATH`; with a --format other than text, each is a "
     "diagnostic E0014 about DIR/PATH instead, so that standard output is one document.",
     "0 written or up to date, 1 errors or (with --check) out of date, 2 usage or I/O "
     "failure"},
    {"fmt", CMD_FMT, "FILE...", COMPLETE_ECS, NULL,
     "rewrite files in the one canonical layout, keeping comments",
     "Rewrites each FILE in place in the canonical layout, keeping every comment. A file "
     "with syntax errors is reported and left untouched. With -, reads standard input "
     "and writes standard output. With --check, writes nothing and lists the files that "
     "would change: the pre-commit hook.",
     "0 done (or, with --check, nothing to change), 1 syntax errors or (with --check) "
     "files that would change, 2 usage or I/O failure"},
    {"explain", CMD_EXPLAIN, "CODE", COMPLETE_CODES, NULL,
     "say what a diagnostic code means and how to fix what it reports",
     "Prints the title of a diagnostic code, such as E0301, and what it means and how to "
     "fix what it reports.",
     "0, or 2 for an unknown code"},
    {"schema", CMD_SCHEMA, "", COMPLETE_NONE, NULL,
     "print every block and attribute, as Markdown",
     "Prints every block and attribute of the language, with its type, default, allowed "
     "values and meaning, as Markdown.",
     "0"},
    {"graph", CMD_GRAPH, "FILE", COMPLETE_ECS, NULL,
     "print what depends on what, and the order in which to apply the states",
     "Checks FILE as lint does and, when it is clean, prints the deployment's graph: "
     "environments, their VPC states, clusters and their instance roles, parameters, and "
     "each service with its state, its roles and its route, with what depends on what. "
     "The apply order lists the Terraform states in steps, those of one step side by side: "
     "every VPC state first (a service state reads its VPC state's outputs), then the "
     "service states. In DOT (the default) the order is a comment at the top; in JSON, "
     "`states` (each with `dir`, `environment`, `kind` vpc or service, and `depends_on`) "
     "and `apply_order`. Diagnostics go to standard error as text.",
     "0 printed, 1 errors, 2 usage or I/O failure"},
    {"import", CMD_IMPORT, "compose FILE", COMPLETE_YAML, NULL,
     "write an env.ecs from a Docker Compose file",
     "Reads a Docker Compose file and prints an env.ecs to start from: a project, one "
     "environment with a VPC and a cluster to review, and a service per compose service "
     "with its image, command, entrypoint, environment, port (a published port gets a "
     "route on the load balancer), health check, memory (`mem_limit`, `mem_reservation`, "
     "`deploy.resources`), `cpu_shares`, user, `stop_grace_period`, replicas and the "
     "awslogs stream prefix (`logs { stream_prefix }`). Each "
     "compose key ecsc cannot carry over (`depends_on`, `volumes`, `restart`, `networks`, "
     "`secrets`, ...) becomes a comment in the service that names it and says why. Values "
     "outside what ECS takes are brought into range with a warning (W0802). A file that "
     "is not YAML, or not a compose file, is an error at its line and column "
     "(E0801-E0805).",
     "0 written, 1 errors, 2 usage or I/O failure"},
    {"completion", CMD_COMPLETION, "SHELL", COMPLETE_WORDS, "bash zsh fish",
     "print the completion script for bash, zsh or fish",
     "Prints a script that completes ecsc's commands, options and their arguments in "
     "SHELL: bash, zsh or fish. `make install` installs all three, in "
     "PREFIX/share/bash-completion/completions/ecsc, PREFIX/share/zsh/site-functions/_ecsc "
     "and PREFIX/share/fish/vendor_completions.d/ecsc.fish. To try one in bash without "
     "installing it: `source <(ecsc completion bash)`.",
     "0, or 2 for an unknown shell"},
    {"help", CMD_HELP, "[COMMAND]", COMPLETE_COMMANDS, NULL,
     "show what a command does and the options it takes",
     "Prints what COMMAND does, its options and its exit status; without COMMAND, the "
     "list of commands. `ecsc COMMAND --help` does the same. Every help text, this "
     "manual and the shell completions are made from one table in ecsc, so they agree "
     "with what each command accepts.",
     "0, or 2 for an unknown command"},
};
const int cli_ncommands = countof(cli_commands);

#define DIAG_COMMANDS (CMD_LINT | CMD_BUILD)
#define COLOR_COMMANDS (CMD_LINT | CMD_BUILD | CMD_FMT)

const CliOption cli_options[] = {
    {OPT_OUT, "out", 'o', "DIR", COMPLETE_DIR, NULL, false, CMD_BUILD, CMD_BUILD,
     "the output directory (created if missing)"},
    {OPT_CHECK, "check", 0, NULL, COMPLETE_NONE, NULL, false, CMD_BUILD, 0,
     "compare instead of writing: exit 1, listing each missing, extra or differing file, "
     "unless DIR is exactly what a build would write"},
    {OPT_CHANGED, "changed", 0, "FORMAT", COMPLETE_WORDS, "json", false, CMD_BUILD, 0,
     "print on standard output, as one JSON document, every state directory the build "
     "changed, added or removed (with --check: would), VPC states first, each with the "
     "states it depends on; the --check list then goes to standard error"},
    {OPT_DISCARD_JOURNAL, "discard-journal", 0, NULL, COMPLETE_NONE, NULL, false, CMD_BUILD, 0,
     "set aside, in DIR/.ecsc-discarded-N, deleting nothing, the update a killed build left "
     "unfinished, instead of finishing it (for a journal no build can finish)"},
    {OPT_OUT, "out", 'o', "FILE", COMPLETE_ECS, NULL, false, CMD_IMPORT, 0,
     "write the env.ecs to FILE rather than to standard output"},
    {OPT_FORMAT, "format", 'f', "FORMAT", COMPLETE_WORDS, "dot json", false, CMD_GRAPH, 0,
     "dot (Graphviz, the default) or json (one document)"},
    {OPT_CHECK, "check", 0, NULL, COMPLETE_NONE, NULL, false, CMD_FMT, 0,
     "list the files that would change, and exit 1 if there are any; write nothing"},
    {OPT_FORMAT, "format", 'f', "FORMAT", COMPLETE_WORDS, "text json sarif github", false,
     DIAG_COMMANDS, 0,
     "how to print diagnostics: text on standard error (the default), or on standard "
     "output json (one document), sarif (SARIF 2.1.0, for code scanning) or github "
     "(workflow commands that annotate the lines in GitHub Actions)"},
    {OPT_COLOR, "color", 0, "WHEN", COMPLETE_WORDS, "auto always never", false,
     COLOR_COMMANDS, 0,
     "colour text diagnostics: auto (the default) when standard error is a terminal, TERM "
     "is not dumb and NO_COLOR is unset or empty; always or never whatever the "
     "environment says, NO_COLOR included"},
    {OPT_STRICT, "strict", 0, NULL, COMPLETE_NONE, NULL, false, DIAG_COMMANDS, 0,
     "treat warnings as errors"},
    {OPT_DISABLE, "disable", 0, "CODE", COMPLETE_CODES, "warnings", true, DIAG_COMMANDS, 0,
     "suppress warning CODE everywhere; repeat the option or give a comma-separated list "
     "(errors cannot be disabled)"},
    {OPT_VALUES, "values", 0, "FILE", COMPLETE_YAML, NULL, false, DIAG_COMMANDS | CMD_GRAPH, 0,
     "set declared variables from a YAML file"},
    {OPT_SET, "set", 0, "NAME=VALUE", COMPLETE_NONE, NULL, true, DIAG_COMMANDS | CMD_GRAPH, 0,
     "set variable NAME to VALUE (with ENV.NAME=VALUE, in environment ENV alone), over the "
     "values file; VALUE reads as an unquoted value in a values file does: `3`, `512 MiB`, "
     "`30s`, `10.0.0.0/16` and `true` are typed, anything else is a string, `NAME=` the empty "
     "string; repeat the option for more, the last of a name wins"},
    {OPT_SET_STRING, "set-string", 0, "NAME=VALUE", COMPLETE_NONE, NULL, true,
     DIAG_COMMANDS | CMD_GRAPH, 0,
     "as --set, but VALUE is always a string (a tag or build number of digits)"},
    {OPT_IAM, "iam", 0, NULL, COMPLETE_NONE, NULL, false, CMD_LINT, 0,
     "print every derived IAM statement and the line behind it on standard output (with "
     "--format=json, the policies as one JSON document), and the diagnostics as text on "
     "standard error"},
    {OPT_INCLUDE, NULL, 'I', "DIR", COMPLETE_DIR, NULL, true, DIAG_COMMANDS | CMD_GRAPH, 0,
     "look for std/ imports in DIR first, before $ECSC_STDLIB and the installed standard "
     "library"},
    {OPT_TABLE, "table", 0, NULL, COMPLETE_NONE, NULL, false, CMD_EXPLAIN, 0,
     "list every code, its severity and title as a Markdown table"},
    {OPT_MAN, "man", 0, NULL, COMPLETE_NONE, NULL, false, CMD_HELP, 0,
     "print the manual page (roff) that `make install` installs"},
    {OPT_MARKDOWN, "markdown", 0, NULL, COMPLETE_NONE, NULL, false, CMD_HELP, 0,
     "print the table of commands that README.md embeds"},
    {OPT_HELP, "help", 'h', NULL, COMPLETE_NONE, NULL, false, CMD_ALL | CMD_MAIN, 0,
     "show the help of the command and exit"},
};
const int cli_noptions = countof(cli_options);

// ecsc's own options, before any command (not given to getopt: main.c reads
// argv[1] for them).
static const CliOption version_option = {0, "version", 0, NULL, COMPLETE_NONE, NULL, false,
                                         CMD_MAIN, 0, "print the version and exit"};

// How diagnostics look in each --format, for the man page.
static const char diagnostics_text[] =
    "In the text format (the default), each diagnostic is a line "
    "`FILE:LINE:COLUMN: SEVERITY[CODE]: MESSAGE`, the source line with carets under "
    "the fault, and `note:` and `help:` lines; a last line counts the errors, warnings "
    "and suppressed diagnostics, all on standard error. Columns count characters; the "
    "carets line up on a terminal whatever the characters before them (wide CJK and "
    "emoji, combining accents).\n\n"
    "--format=json prints one JSON document on standard output: "
    "`{\"version\": 1, \"diagnostics\": [...], \"errors\": N, \"warnings\": N, "
    "\"suppressed\": N, \"not_shown\": N}`, each diagnostic with file, line, column, "
    "end_line and end_column (null for a problem with a whole file; the end is just past "
    "the span), severity, code, message, notes (each with its place), help, and "
    "documentation, the command that explains the code (`ecsc explain CODE`). The "
    "version changes only if a key changes meaning.\n\n"
    "--format=sarif prints a SARIF 2.1.0 log with one run: the rules are every "
    "diagnostic code, with its title and explanation; each result has its code, level, "
    "message (with the help lines), a location whose URI is relative to the working "
    "directory (run ecsc from the repository's root for code scanning) and the "
    "region's start and end, and the notes' places as related locations.\n\n"
    "--format=github prints one GitHub Actions workflow command per diagnostic, "
    "`::error file=F,line=L,endLine=L,col=C,endColumn=E,title=CODE::MESSAGE` (warning "
    "and notice for the others), which the runner shows as annotations on the lines.\n";

// The environment ecsc reads, for the help and the man page.
static const struct {
  const char *name, *text;
} environment[] = {
    {"ECSC_STDLIB", "a directory searched for std/ imports after the -I directories and "
                    "before the standard library installed with ecsc"},
    {"NO_COLOR", "when set and not empty, text diagnostics are not coloured unless "
                 "--color=always asks for colour (https://no-color.org)"},
    {"TERM", "when dumb, text diagnostics are not coloured unless --color=always"},
    {"ECSC_TIMES", "when set to anything but 0, build prints each phase's time on standard "
                   "error"},
};

const CliCommand *cli_command(const char *name) {
  for (int i = 0; i < cli_ncommands; i++)
    if (!strcmp(cli_commands[i].name, name))
      return &cli_commands[i];
  return NULL;
}

bool cli_takes(const CliCommand *cmd, const CliOption *opt) {
  return (opt->commands & cmd->bit) != 0;
}

const CliOption *cli_option(const CliCommand *cmd, CliOptionId id) {
  for (int i = 0; i < cli_noptions; i++)
    if (cli_options[i].id == id && cli_takes(cmd, &cli_options[i]))
      return &cli_options[i];
  return NULL;
}

//
// Help
//

// Prints text from column `col`, wrapped at 79 columns, continuing lines at
// column `indent`; backquotes (code, for the man page) are left out.
static void wrap(FILE *f, const char *text, int col, int indent) {
  for (const char *p = text; *p;) {
    const char *end = p;
    int len = 0;
    while (*end && *end != ' ' && *end != '\n') {
      len += *end != '`';
      end++;
    }
    if (col > indent && col + 1 + len > 79) {
      fprintf(f, "\n%*s", indent, "");
      col = indent;
    } else if (col > indent) {
      fputc(' ', f);
      col++;
    }
    for (const char *q = p; q < end; q++)
      if (*q != '`')
        fputc(*q, f);
    col += len;
    if (*end == '\n') {  // a paragraph break: "\n\n"
      while (*end == '\n')
        end++;
      fprintf(f, "\n\n%*s", indent, "");
      col = indent;
      p = end;
      continue;
    }
    p = *end ? end + 1 : end;
  }
  fputc('\n', f);
}

// "-f, --format=FORMAT", "--strict", "-I DIR".
static int option_label(char *out, size_t n, const CliOption *o) {
  if (o->letter && o->name)
    return snprintf(out, n, "-%c, --%s%s%s", o->letter, o->name, o->arg ? "=" : "",
                    o->arg ? o->arg : "");
  if (o->letter)
    return snprintf(out, n, "-%c%s%s", o->letter, o->arg ? " " : "", o->arg ? o->arg : "");
  return snprintf(out, n, "--%s%s%s", o->name, o->arg ? "=" : "", o->arg ? o->arg : "");
}

// "[-f FORMAT]", "[--color=WHEN]", "[-I DIR]...": an option in a usage line.
static int option_synopsis(char *out, size_t n, const CliOption *o) {
  const char *more = o->repeat ? "..." : "";
  if (o->letter)
    return snprintf(out, n, "[-%c%s%s]%s", o->letter, o->arg ? " " : "", o->arg ? o->arg : "",
                    more);
  return snprintf(out, n, "[--%s%s%s]%s", o->name, o->arg ? "=" : "", o->arg ? o->arg : "",
                  more);
}

// "usage: ecsc lint [--strict] ... FILE...", wrapped under the command.
static void usage_line(FILE *f, const char *lead, const CliCommand *cmd) {
  int indent = fprintf(f, "%s%s", lead, cmd->name);
  int col = indent;
  indent++;
  char word[128];
  for (int i = 0; i <= cli_noptions; i++) {
    const CliOption *o = i < cli_noptions ? &cli_options[i] : NULL;
    if (o && (!cli_takes(cmd, o) || o->id == OPT_HELP || (o->required & cmd->bit)))
      continue;
    if (o && i > 0 && cli_options[i - 1].id == o->id && cli_takes(cmd, &cli_options[i - 1]))
      continue;
    int len = o ? option_synopsis(word, sizeof word, o) : snprintf(word, sizeof word, "%s", cmd->operands);
    if (!len)
      continue;
    if (col + 1 + len > 79) {
      fprintf(f, "\n%*s", indent - 1, "");
      col = indent - 1;
    }
    col += fprintf(f, " %s", word);
  }
  fputc('\n', f);
}

void cli_usage(FILE *f, const CliCommand *cmd) {
  usage_line(f, "usage: ecsc ", cmd);
  fputc('\n', f);
  wrap(f, cmd->about, 0, 0);
  fputs("\noptions:\n", f);
  enum { COLUMN = 24 };
  for (int i = 0; i < cli_noptions; i++) {
    const CliOption *o = &cli_options[i];
    if (!cli_takes(cmd, o))
      continue;
    char label[64];
    option_label(label, sizeof label, o);
    int col = fprintf(f, "  %s%s", o->letter || !o->name ? "" : "    ", label);
    if (col + 2 > COLUMN) {
      fprintf(f, "\n%*s", COLUMN, "");
    } else {
      fprintf(f, "%*s", COLUMN - col, "");
    }
    wrap(f, o->help, COLUMN, COLUMN);
  }
  fputs("\nexit status: ", f);
  wrap(f, cmd->exit_status, 13, 13);
}

void cli_usage_main(FILE *f) {
  fputs("usage: ecsc COMMAND [OPTION]... [OPERAND]...\n"
        "       ecsc --help | --version\n"
        "\n"
        "commands:\n",
        f);
  enum { COLUMN = 26 };
  for (int i = 0; i < cli_ncommands; i++) {
    const CliCommand *c = &cli_commands[i];
    int col = fprintf(f, "  %s %s", c->name, c->operands);
    fprintf(f, "%*s", col + 1 > COLUMN ? 1 : COLUMN - col, "");
    wrap(f, c->summary, col + 1 > COLUMN ? col + 1 : COLUMN, COLUMN);
  }
  fputs("\n", f);
  wrap(f, "Run 'ecsc help COMMAND' (or 'ecsc COMMAND --help') for what a command does and "
          "the options it takes. A FILE of - reads standard input.",
       0, 0);
}

//
// The man page
//

// Text for roff: backslashes and hyphens escaped, `code` in bold, and a
// control character at the start of a line made harmless.
static void roff(FILE *f, const char *s) {
  bool code = false, line_start = true;
  for (; *s; s++) {
    if (line_start && (*s == '.' || *s == '\''))
      fputs("\\&", f);
    line_start = false;
    if (*s == '`') {
      fputs(code ? "\\fR" : "\\fB", f);
      code = !code;
    } else if (*s == '\\') {
      fputs("\\e", f);
    } else if (*s == '-') {
      fputs("\\-", f);
    } else if (*s == '\n') {
      fputs(s[1] == '\n' ? "\n.PP" : "", f);
      fputc('\n', f);
      line_start = true;
      if (s[1] == '\n')
        s++;
    } else {
      fputc(*s, f);
    }
  }
}

static void man_option(FILE *f, const CliOption *o) {
  fputs(".TP\n", f);
  if (o->letter) {
    fprintf(f, "\\fB\\-%c\\fR", o->letter);
    if (o->arg)
      fprintf(f, " \\fI%s\\fR", o->arg);
    if (o->name)
      fputs(", ", f);
  }
  if (o->name) {
    fprintf(f, "\\fB\\-\\-%s\\fR", o->name);
    if (o->arg)
      fprintf(f, "=\\fI%s\\fR", o->arg);
  }
  fputc('\n', f);
  roff(f, o->help);
  fputs(".\n", f);
}

static void man_synopsis(FILE *f, const CliCommand *cmd) {
  fprintf(f, ".B ecsc %s\n", cmd->name);
  for (int i = 0; i < cli_noptions; i++) {
    const CliOption *o = &cli_options[i];
    if (!cli_takes(cmd, o) || o->id == OPT_HELP || (o->required & cmd->bit))
      continue;
    if (i > 0 && cli_options[i - 1].id == o->id && cli_takes(cmd, &cli_options[i - 1]))
      continue;
    if (o->letter)
      fprintf(f, "[\\fB\\-%c\\fR%s%s%s]", o->letter, o->arg ? " \\fI" : "",
              o->arg ? o->arg : "", o->arg ? "\\fR" : "");
    else
      fprintf(f, "[\\fB\\-\\-%s\\fR%s%s%s]", o->name, o->arg ? "=\\fI" : "",
              o->arg ? o->arg : "", o->arg ? "\\fR" : "");
    fputs(o->repeat ? "...\n" : "\n", f);
  }
  if (*cmd->operands) {
    // "FILE -o DIR": operands in italics, options in bold.
    char ops[128];
    snprintf(ops, sizeof ops, "%s", cmd->operands);
    for (char *w = strtok(ops, " "); w; w = strtok(NULL, " ")) {
      if (w[0] == '-')
        fprintf(f, "\\fB\\%s\\fR ", w);
      else
        fprintf(f, "\\fI%s\\fR ", w);
    }
    fputc('\n', f);
  }
  fputs(".br\n", f);
}

void cli_man(FILE *f) {
  fputs(".\\\" Generated by `ecsc help --man` from compiler/cli.c: edit that, then make docs.\n"
        ".TH ECSC 1 \"\" \"ecsc " ECSC_VERSION "\" \"User Commands\"\n"
        ".SH NAME\n"
        "ecsc \\- compile env.ecs descriptions of AWS ECS deployments into Terraform\n"
        ".SH SYNOPSIS\n",
        f);
  for (int i = 0; i < cli_ncommands; i++)
    man_synopsis(f, &cli_commands[i]);
  fputs(".B ecsc \\-\\-version\n"
        ".SH DESCRIPTION\n"
        ".B ecsc\n",
        f);
  roff(f, "reads a declarative description of AWS infrastructure (environments with their "
          "VPC, load balancer, bastion and ECS clusters; services; Parameter Store "
          "parameters), checks it against everything that can be known offline, derives "
          "least-privilege IAM policies, and writes Terraform JSON, ECS task definitions "
          "and instance user data. `ecsc schema` prints the language's blocks and "
          "attributes; `ecsc explain CODE` explains a diagnostic.\n\n"
          "A FILE of - reads standard input. Options may come before or after operands; "
          "-- ends the options. A long option's argument follows = or a space "
          "(--format=json, --format json), a short option's follows directly or after a "
          "space (-oDIR, -o DIR), and a long option may be shortened to a prefix that "
          "names one option.\n");
  fputs(".SH COMMANDS\n", f);
  for (int i = 0; i < cli_ncommands; i++) {
    const CliCommand *c = &cli_commands[i];
    fprintf(f, ".SS %s\n", c->name);
    roff(f, c->about);
    fputs("\n", f);
    for (int k = 0; k < cli_noptions; k++)
      if (cli_takes(c, &cli_options[k]))
        man_option(f, &cli_options[k]);
    fputs(".PP\nExit status: ", f);
    roff(f, c->exit_status);
    fputs(".\n", f);
  }
  fputs(".SH DIAGNOSTICS\n", f);
  roff(f, diagnostics_text);
  fputs(".SH OPTIONS OF ECSC ITSELF\n", f);
  man_option(f, &version_option);
  for (int i = 0; i < cli_noptions; i++)
    if (cli_options[i].commands & CMD_MAIN)
      man_option(f, &cli_options[i]);
  fputs(".SH ENVIRONMENT\n", f);
  for (int i = 0; i < countof(environment); i++) {
    fprintf(f, ".TP\n.B %s\n", environment[i].name);
    roff(f, environment[i].text);
    fputs(".\n", f);
  }
  fputs(".SH EXIT STATUS\n", f);
  roff(f, "0: clean, or warnings only. 1: errors in the input (or, with --check, output or "
          "files that would change). 2: a usage error, or a file or directory that cannot "
          "be read or written.\n");
  fputs(".SH FILES\n"
        ".TP\n"
        ".I PREFIX/share/ecsc/stdlib\n",
        f);
  roff(f, "the standard library, imported as std/...; PREFIX is where `make install` put "
          "ecsc (/usr/local unless told otherwise).\n");
  fputs(".SH SEE ALSO\n"
        ".BR terraform (1)\n",
        f);
}

//
// The README's table
//

// The commands, then every option with the commands that take it.
void cli_markdown(FILE *f) {
  fputs("| command | what it does | exit status |\n"
        "| --- | --- | --- |\n",
        f);
  for (int i = 0; i < cli_ncommands; i++) {
    const CliCommand *c = &cli_commands[i];
    fprintf(f, "| `ecsc %s%s%s` | %s | %s |\n", c->name, *c->operands ? " " : "", c->operands,
            c->summary, c->exit_status);
  }
  fputs("\n| option | of | what it does |\n"
        "| --- | --- | --- |\n",
        f);
  for (int k = 0; k < cli_noptions; k++) {
    const CliOption *o = &cli_options[k];
    char label[64];
    option_label(label, sizeof label, o);
    fprintf(f, "| `%s` | ", label);
    if ((o->commands & CMD_ALL) == CMD_ALL) {
      fputs("every command", f);
    } else {
      bool first = true;
      for (int i = 0; i < cli_ncommands; i++) {
        if (!cli_takes(&cli_commands[i], o))
          continue;
        fprintf(f, "%s%s", first ? "" : ", ", cli_commands[i].name);
        first = false;
      }
    }
    fputs(" | ", f);
    // The help in Markdown: `code` stays, and | would end the cell.
    for (const char *p = o->help; *p; p++)
      fputs(*p == '|' ? "\\|" : (char[]){*p, 0}, f);
    fputs(" |\n", f);
  }
}

//
// Shell completion
//

// The words that complete an argument: fixed words, or the codes.
static void complete_words(FILE *f, CliComplete what, const char *words) {
  if (what == COMPLETE_WORDS) {
    fputs(words, f);
    return;
  }
  if (what == COMPLETE_COMMANDS) {
    for (int i = 0; i < cli_ncommands; i++)
      fprintf(f, "%s%s", i ? " " : "", cli_commands[i].name);
    return;
  }
  bool warnings_only = words && !strcmp(words, "warnings");
  bool first = true;
  for (int i = 0; i < DIAG_CODE_COUNT; i++) {
    const DiagInfo *info = diag_info((DiagCode)i);
    if (warnings_only && info->severity == SEV_ERROR)
      continue;
    fprintf(f, "%s%s", first ? "" : " ", info->name);
    first = false;
  }
}

static bool has_words(CliComplete what) {
  return what == COMPLETE_WORDS || what == COMPLETE_CODES || what == COMPLETE_COMMANDS;
}

// bash: one function; the case on the command, then on the previous word.
static void bash_completion(FILE *f) {
  fputs("# bash completion for ecsc, printed by `ecsc completion bash`.\n"
        "_ecsc() {\n"
        "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} i=$COMP_CWORD\n"
        "  # --format=json: bash splits at =, so the option is two words back.\n"
        "  if [ \"$cur\" = = ]; then cur= prev=${COMP_WORDS[COMP_CWORD-1]}\n"
        "  elif [ \"$prev\" = = ]; then prev=${COMP_WORDS[COMP_CWORD-2]}; fi\n"
        "  COMPREPLY=()\n"
        "  if [ \"$i\" -eq 1 ]; then\n"
        "    mapfile -t COMPREPLY < <(compgen -W '",
        f);
  complete_words(f, COMPLETE_COMMANDS, NULL);
  fputs(" --help --version' -- \"$cur\")\n"
        "    return\n"
        "  fi\n"
        "  case ${COMP_WORDS[1]} in\n",
        f);
  for (int i = 0; i < cli_ncommands; i++) {
    const CliCommand *c = &cli_commands[i];
    fprintf(f, "  %s)\n    case $prev in\n", c->name);
    for (int k = 0; k < cli_noptions; k++) {
      const CliOption *o = &cli_options[k];
      if (!cli_takes(c, o) || !o->arg)
        continue;
      fputs("    ", f);
      if (o->letter)
        fprintf(f, "-%c%s", o->letter, o->name ? "|" : "");
      if (o->name)
        fprintf(f, "--%s", o->name);
      fputs(")\n      ", f);
      if (has_words(o->complete)) {
        fputs("mapfile -t COMPREPLY < <(compgen -W '", f);
        complete_words(f, o->complete, o->words);
        fputs("' -- \"$cur\")\n      ", f);
      } else if (o->complete == COMPLETE_DIR) {
        fputs("compopt -o filenames; mapfile -t COMPREPLY < <(compgen -d -- \"$cur\")\n      ", f);
      } else if (o->complete == COMPLETE_YAML) {
        fputs("compopt -o filenames; mapfile -t COMPREPLY < <(compgen -f -X '!*.@(yaml|yml)' "
              "-- \"$cur\"; compgen -d -- \"$cur\")\n      ",
              f);
      }
      fputs("return ;;\n", f);
    }
    fputs("    esac\n    case $cur in\n    -*)\n      mapfile -t COMPREPLY < <(compgen -W '", f);
    bool first = true;
    for (int k = 0; k < cli_noptions; k++) {
      const CliOption *o = &cli_options[k];
      if (!cli_takes(c, o))
        continue;
      if (o->letter)
        fprintf(f, "%s-%c", first ? "" : " ", o->letter);
      if (o->name)
        fprintf(f, "%s--%s", first && !o->letter ? "" : " ", o->name);
      first = false;
    }
    fputs("' -- \"$cur\")\n      return ;;\n    esac\n", f);
    if (c->complete == COMPLETE_ECS)
      fputs("    compopt -o filenames\n"
            "    mapfile -t COMPREPLY < <(compgen -f -X '!*.ecs' -- \"$cur\"; compgen -d -- "
            "\"$cur\")\n",
            f);
    else if (has_words(c->complete)) {
      fputs("    mapfile -t COMPREPLY < <(compgen -W '", f);
      complete_words(f, c->complete, c->words);
      fputs("' -- \"$cur\")\n", f);
    }
    fputs("    ;;\n", f);
  }
  fputs("  esac\n"
        "}\n"
        "complete -F _ecsc ecsc\n",
        f);
}

// Help text as zsh's _arguments takes it between brackets, and fish between
// single quotes: the first clause only, with what would end it escaped.
static void short_help(FILE *f, const char *help, const char *escape) {
  for (const char *p = help; *p && *p != ';' && *p != ':'; p++) {
    if (*p == ' ' && p[1] == '(')
      break;
    if (strchr(escape, *p))
      fputc('\\', f);
    if (*p != '`')
      fputc(*p, f);
  }
}

static void zsh_action(FILE *f, const char *what, CliComplete how, const char *words) {
  if (has_words(how)) {
    fprintf(f, ":%s:(", what);
    complete_words(f, how, words);
    fputc(')', f);
  } else if (how == COMPLETE_DIR) {
    fprintf(f, ":%s:_files -/", what);
  } else if (how == COMPLETE_YAML) {
    fprintf(f, ":%s:_files -g \"*.(yaml|yml)\"", what);
  } else if (how == COMPLETE_ECS) {
    fprintf(f, ":%s:_files -g \"*.ecs\"", what);
  } else {
    fprintf(f, ":%s: ", what);  // a message, and nothing to complete
  }
}

static void zsh_completion(FILE *f) {
  fputs("#compdef ecsc\n"
        "# zsh completion for ecsc, printed by `ecsc completion zsh`.\n"
        "_ecsc() {\n"
        "  local -a commands\n"
        "  commands=(\n",
        f);
  for (int i = 0; i < cli_ncommands; i++) {
    fprintf(f, "    '%s:", cli_commands[i].name);
    short_help(f, cli_commands[i].summary, "'");
    fputs("'\n", f);
  }
  fputs("  )\n"
        "  if (( CURRENT == 2 )); then\n"
        "    _describe -t commands 'ecsc command' commands\n"
        "    compadd -- --help --version\n"
        "    return\n"
        "  fi\n"
        "  local cmd=$words[2]\n"
        "  shift words\n"
        "  (( CURRENT-- ))\n"
        "  case $cmd in\n",
        f);
  for (int i = 0; i < cli_ncommands; i++) {
    const CliCommand *c = &cli_commands[i];
    fprintf(f, "  %s)\n    _arguments -s -S", c->name);
    for (int k = 0; k < cli_noptions; k++) {
      const CliOption *o = &cli_options[k];
      if (!cli_takes(c, o))
        continue;
      fputs(" \\\n      ", f);
      const char *suffix = o->arg ? (o->letter && !o->name ? "+" : "=") : "";
      if (o->letter && o->name)
        fprintf(f, "'(-%c --%s)'{-%c%s,--%s%s}'", o->letter, o->name, o->letter,
                o->arg ? "+" : "", o->name, suffix);
      else if (o->letter)
        fprintf(f, "'%s-%c%s", o->repeat ? "*" : "", o->letter, suffix);
      else
        fprintf(f, "'%s--%s%s", o->repeat ? "*" : "", o->name, suffix);
      fputc('[', f);
      short_help(f, o->help, "[]:'\\");
      fputc(']', f);
      if (o->arg)
        zsh_action(f, o->arg, o->complete, o->words);
      fputc('\'', f);
    }
    if (*c->operands) {
      fprintf(f, " \\\n      '%s", c->complete == COMPLETE_ECS ? "*" : "1");
      zsh_action(f, c->complete == COMPLETE_ECS ? "file" : "operand", c->complete, c->words);
      fputc('\'', f);
    }
    fputs("\n    ;;\n", f);
  }
  fputs("  esac\n"
        "}\n"
        "_ecsc \"$@\"\n",
        f);
}

static void fish_argument(FILE *f, CliComplete how, const char *words) {
  if (has_words(how)) {
    fputs(" -x -a '", f);
    complete_words(f, how, words);
    fputc('\'', f);
  } else if (how == COMPLETE_DIR) {
    fputs(" -x -a '(__fish_complete_directories)'", f);
  } else if (how == COMPLETE_YAML) {
    fputs(" -x -a '(string match -r -- \"^.*(?:\\\\.ya?ml|/)\\$\" (__fish_complete_suffix .yaml))'", f);
  } else if (how == COMPLETE_ECS) {
    // __fish_complete_suffix lists the other files too, after: only .ecs
    // files and directories are operands.
    fputs(" -k -a '(string match -r -- \"^.*(?:\\\\.ecs|/)\\$\" (__fish_complete_suffix .ecs))'", f);
  } else {
    fputs(" -x", f);  // takes an argument, with nothing to complete it
  }
}

static void fish_completion(FILE *f) {
  fputs("# fish completion for ecsc, printed by `ecsc completion fish`.\n"
        "complete -c ecsc -f\n"
        "complete -c ecsc -n __fish_use_subcommand -l version -d 'print the version'\n"
        "complete -c ecsc -n __fish_use_subcommand -s h -l help -d 'show the help'\n",
        f);
  for (int i = 0; i < cli_ncommands; i++) {
    fprintf(f, "complete -c ecsc -n __fish_use_subcommand -a %s -d '", cli_commands[i].name);
    short_help(f, cli_commands[i].summary, "'\\");
    fputs("'\n", f);
  }
  for (int i = 0; i < cli_ncommands; i++) {
    const CliCommand *c = &cli_commands[i];
    const char *cond = "-n '__fish_seen_subcommand_from ";
    for (int k = 0; k < cli_noptions; k++) {
      const CliOption *o = &cli_options[k];
      if (!cli_takes(c, o))
        continue;
      fprintf(f, "complete -c ecsc %s%s'", cond, c->name);
      if (o->letter)
        fprintf(f, " -s %c", o->letter);
      if (o->name)
        fprintf(f, " -l %s", o->name);
      if (o->arg)
        fish_argument(f, o->complete, o->words);
      fputs(" -d '", f);
      short_help(f, o->help, "'\\");
      fputs("'\n", f);
    }
    if (c->complete != COMPLETE_NONE) {
      fprintf(f, "complete -c ecsc %s%s'", cond, c->name);
      fish_argument(f, c->complete, c->words);
      fputc('\n', f);
    }
  }
}

bool cli_completion(FILE *f, const char *shell) {
  if (!strcmp(shell, "bash"))
    bash_completion(f);
  else if (!strcmp(shell, "zsh"))
    zsh_completion(f);
  else if (!strcmp(shell, "fish"))
    fish_completion(f);
  else
    return false;
  return true;
}
