// cli.h: the one description of ecsc's commands and options (cli.c), from
// which come the argument parsing in main.c, each command's help, the man
// page, the README's table of commands and the shell completions.
#ifndef ECSC_CLI_H
#define ECSC_CLI_H

#include "base.h"

#include <stdio.h>

// Each command is a bit, so that an option row says which commands take it.
typedef enum {
  CMD_LINT = 1 << 0,
  CMD_BUILD = 1 << 1,
  CMD_FMT = 1 << 2,
  CMD_EXPLAIN = 1 << 3,
  CMD_SCHEMA = 1 << 4,
  CMD_COMPLETION = 1 << 5,
  CMD_HELP = 1 << 6,
  CMD_GRAPH = 1 << 7,
  CMD_IMPORT = 1 << 8,
  CMD_ALL = (1 << 9) - 1,
} CliCommandBit;

// What getopt_long returns for each option: the short letter where there is
// one, else a value past every character.
typedef enum {
  OPT_HELP = 'h',
  OPT_OUT = 'o',
  OPT_FORMAT = 'f',
  OPT_INCLUDE = 'I',
  OPT_STRICT = 256,
  OPT_CHECK,
  OPT_DISCARD_JOURNAL,
  OPT_CHANGED,
  OPT_COLOR,
  OPT_VALUES,
  OPT_SET,
  OPT_SET_STRING,
  OPT_IAM,
  OPT_DISABLE,
  OPT_TABLE,
  OPT_MAN,
  OPT_MARKDOWN,
} CliOptionId;

// What completes an operand or an option's argument.
typedef enum {
  COMPLETE_NONE,      // nothing (a flag, or an argument no list holds)
  COMPLETE_ECS,       // .ecs files (and directories on the way)
  COMPLETE_YAML,      // .yaml and .yml files
  COMPLETE_DIR,       // directories
  COMPLETE_WORDS,     // the words in `words`
  COMPLETE_CODES,     // diagnostic codes; `words` narrows to "warnings"
  COMPLETE_COMMANDS,  // ecsc's commands
} CliComplete;

typedef struct {
  CliOptionId id;
  const char *name;        // long name without "--", or NULL
  char letter;             // short name, or 0
  const char *arg;         // the argument's name ("DIR"), NULL for a flag
  CliComplete complete;    // what completes the argument
  const char *words;       // COMPLETE_WORDS: the choices, space-separated
  bool repeat;             // may be given more than once
  unsigned commands;       // CliCommandBit: the commands that take it
  unsigned required;       // the commands that require it (named in their usage)
  const char *help;        // one sentence, lowercase, no full stop
} CliOption;

typedef struct {
  const char *name;
  CliCommandBit bit;
  const char *operands;    // after the options in the usage line: "FILE..."
  CliComplete complete;    // what completes the operands
  const char *words;       // COMPLETE_WORDS: the choices
  const char *summary;     // one line, for `ecsc help` and the README
  const char *about;       // paragraphs ("\n\n" between), for help and the man page
  const char *exit_status; // one line
} CliCommand;

extern const CliCommand cli_commands[];
extern const int cli_ncommands;
extern const CliOption cli_options[];
extern const int cli_noptions;

const CliCommand *cli_command(const char *name);
bool cli_takes(const CliCommand *cmd, const CliOption *opt);
const CliOption *cli_option(const CliCommand *cmd, CliOptionId id);

void cli_usage_main(FILE *f);                 // `ecsc help`
void cli_usage(FILE *f, const CliCommand *cmd);  // `ecsc help CMD`, `ecsc CMD --help`
void cli_man(FILE *f);                        // compiler/ecsc.1
void cli_markdown(FILE *f);                   // README's table of commands
bool cli_completion(FILE *f, const char *shell);  // false: no such shell

#endif
