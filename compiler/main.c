// main.c: the command line. Parses arguments, reads files, runs the stages in
// order on one Compilation per root file, prints what they reported and picks
// the exit status: 0 clean (or warnings only), 1 errors, 2 usage or I/O.
// The only file that exits, and with output.c the only one touching files.
#include "cli.h"
#include "emit.h"
#include "rebuild.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef STDLIB_DIR
#define STDLIB_DIR "/usr/local/share/ecsc/stdlib"
#endif

enum { EXIT_OK = 0, EXIT_ERRORS = 1, EXIT_USAGE = 2 };

typedef enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF, FORMAT_GITHUB, FORMAT_DOT } Format;

typedef struct {
  const CliCommand *cmd;
  const char **files;       // the operands
  int nfiles;
  const char *include[16];  // -I DIR, searched first for std/ imports
  int ninclude;
  Format format;
  bool strict, check;
  bool iam;                 // lint --iam: print the derived policies
  bool table, man, markdown;  // explain --table, help --man, help --markdown
  const char *values;       // --values FILE.yaml
  const char **sets;        // --set and --set-string arguments, in order
  bool *set_strings;        // which of them are --set-string's
  int nsets;
  const char *out;          // build -o DIR
  bool discard_journal;     // build --discard-journal
  bool changed;             // build --changed=json
  int color;                // -1 auto, 0 never, 1 always
  bool disabled[DIAG_CODE_COUNT];  // --disable
} Options;

// "ecsc: MESSAGE", a help line when there is one (a "did you mean"), and
// where to look; returns the usage exit status.
__attribute__((format(printf, 2, 0))) static int usage_v(Str help, const char *fmt, va_list ap) {
  fputs("ecsc: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  if (help.len)
    fprintf(stderr, "help: %.*s\n", S(help));
  fputs("Try 'ecsc help'.\n", stderr);
  return EXIT_USAGE;
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int status = usage_v((Str){0}, fmt, ap);
  va_end(ap);
  return status;
}

__attribute__((format(printf, 2, 3))) static int usage_hint(Str help, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int status = usage_v(help, fmt, ap);
  va_end(ap);
  return status;
}

// "did you mean "lint"?" for the closest of names, in buf; empty if none.
static Str did_you_mean(char *buf, size_t size, const char *prefix, Str wrong, const Str *names,
                        int n) {
  Str best = diag_closest(wrong, names, n);
  if (!best.len)
    return best;
  int len = snprintf(buf, size, "did you mean \"%s%.*s\"?", prefix, S(best));
  return (Str){buf, len};
}

static Str closest_code(char *buf, size_t size, Str wrong) {
  Str names[DIAG_CODE_COUNT];
  for (int i = 0; i < DIAG_CODE_COUNT; i++)
    names[i] = str_c(diag_info((DiagCode)i)->name);
  return did_you_mean(buf, size, "", wrong, names, DIAG_CODE_COUNT);
}

//
// Files
//

// Reads a whole file or standard input ("-"). On failure returns false and
// sets *why to the reason, as a diagnostic will show it.
static bool read_all(Arena *a, const char *path, Str *out, Str *why) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) {
    *why = diag_errno(a, errno);
    return false;
  }
  struct stat st = {0};  // zero, so not a regular file, should fstat fail
  if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    *why = STR("is a directory");
    if (f != stdin)
      fclose(f);
    return false;
  }
  Buf b = {.arena = a};
  if (f != stdin && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= MAX_FILE_SIZE) {
    // Room for the whole file at once: grown by doubling in the arena, the
    // buffer left its outgrown copies behind, twice the file (base.h's bound).
    b.ptr = new(a, char, (ptrdiff_t)st.st_size + 1);
    b.cap = (ptrdiff_t)st.st_size;
  }
  char chunk[1 << 16];
  size_t n;
  bool ok = true;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    buf_put(&b, (Str){chunk, (ptrdiff_t)n});
    if (b.len > MAX_FILE_SIZE)
      break;  // comp_add_source reports the size
  }
  if (ferror(f)) {
    *why = diag_errno(a, errno ? errno : EIO);
    ok = false;
  }
  if (f != stdin)
    fclose(f);
  *out = buf_str(&b);
  return ok;
}

static bool is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

// "dir/x.ecs" for dir "dir" and import "x": imports may leave out ".ecs".
static Str import_path(Arena *a, Str dir, Str name) {
  bool has_ext = name.len > 4 && memcmp(name.ptr + name.len - 4, ".ecs", 4) == 0;
  const char *ext = has_ext ? "" : ".ecs";
  if (name.len && name.ptr[0] == '/')
    return str_fmt(a, "%.*s%s", S(name), ext);
  if (!dir.len)
    return str_fmt(a, "%.*s%s", S(name), ext);
  return str_fmt(a, "%.*s/%.*s%s", S(dir), S(name), ext);
}

static Str dirname_of(Str path) {
  ptrdiff_t i = path.len;
  while (i > 0 && path.ptr[i - 1] != '/')
    i--;
  return (Str){path.ptr, i > 1 ? i - 1 : i};
}

// Where std/ imports are found, in order: -I, $ECSC_STDLIB, the stdlib beside
// the executable (a checkout or an unpacked tree), then the installed one.
static int stdlib_dirs(Arena *a, Options *o, Str *dirs) {
  int n = 0;
  for (int i = 0; i < o->ninclude; i++)
    dirs[n++] = str_c(o->include[i]);
  const char *env = getenv("ECSC_STDLIB");
  if (env && *env)
    dirs[n++] = str_c(env);
  char exe[PATH_MAX];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (len > 0) {
    Str dir = dirname_of((Str){exe, len});
    dirs[n++] = str_fmt(a, "%.*s/stdlib", S(dir));
    dirs[n++] = str_fmt(a, "%.*s/../share/ecsc/stdlib", S(dir));
  }
  dirs[n++] = STR(STDLIB_DIR);
  return n;
}

// Removes empty and "." segments and "dir/.." pairs, so a cycle through
// "../a.ecs" prints as the path the user knows, and the root file's
// directory is a prefix of its imports' paths however the root was spelled
// (emit_tf.c strips it from the output's comments: "a//env.ecs" must write
// the bytes "a/env.ecs" does). A path of more segments than it keeps is
// left as it is.
static Str normalize(Arena *a, Str path) {
  Str segs[256];
  int n = 0;
  bool absolute = path.len && path.ptr[0] == '/';
  for (ptrdiff_t i = 0; i < path.len;) {
    ptrdiff_t j = i;
    while (j < path.len && path.ptr[j] != '/')
      j++;
    Str seg = {path.ptr + i, j - i};
    if (seg.len == 0 || str_eq_c(seg, ".")) {
      // skip
    } else if (str_eq_c(seg, "..") && n > 0 && !str_eq_c(segs[n - 1], "..")) {
      n--;
    } else if (n < countof(segs)) {
      segs[n++] = seg;
    } else {
      return path;
    }
    i = j + 1;
  }
  Buf b = {.arena = a};
  if (absolute)
    buf_putc(&b, '/');
  for (int i = 0; i < n; i++) {
    if (i)
      buf_putc(&b, '/');
    buf_put(&b, segs[i]);
  }
  return buf_str(&b);
}

static bool load_path(Compilation *c, Str path, LoadedFile *out, Str *why) {
  char *cpath = str_cstr(&c->arena, path);
  if (!read_all(&c->arena, cpath, &out->text, why))
    return false;
  char real[PATH_MAX];
  out->path = normalize(&c->arena, path);
  out->key = realpath(cpath, real) ? str_dup(&c->arena, str_c(real)) : out->path;
  return true;
}

static bool read_import(Compilation *c, Str from, Str name, LoadedFile *out, Str *why) {
  Options *o = c->host;
  if (str_starts_with(name, STR("std/"))) {
    Str dirs[24];
    int n = stdlib_dirs(&c->arena, o, dirs);
    Str rest = {name.ptr + 4, name.len - 4};
    for (int i = 0; i < n; i++) {
      Str path = import_path(&c->arena, dirs[i], rest);
      if (!is_file(str_cstr(&c->arena, path)))
        continue;
      if (!load_path(c, path, out, why))
        return false;
      // Shown as imported, "std/presets.ecs", wherever the stdlib lives: the
      // output names it, and must not depend on where ecsc is installed.
      out->path = import_path(&c->arena, STR("std"), rest);
      return true;
    }
    *why = STR("not in the standard library");
    return false;
  }
  Str dir = str_eq_c(from, "<stdin>") ? (Str){0} : dirname_of(from);
  Str path = import_path(&c->arena, dir, name);
  return load_path(c, path, out, why);
}

//
// Output
//

static bool use_color(Options *o) {
  if (o->color >= 0)
    return o->color;
  const char *no = getenv("NO_COLOR");
  const char *term = getenv("TERM");
  return isatty(STDERR_FILENO) && !(no && *no) && !(term && strcmp(term, "dumb") == 0);
}

static void write_out(FILE *f, Str s) {
  if (s.len)
    fwrite(s.ptr, 1, (size_t)s.len, f);
}

// The working directory, which SARIF's file URIs are relative to.
static Str working_dir(Arena *a) {
  char dir[PATH_MAX];
  return getcwd(dir, sizeof dir) ? str_dup(a, str_c(dir)) : (Str){0};
}

// Prints the diagnostics of every compilation in the chosen format: text
// and one summary line on standard error, or one document on standard
// output. Returns the exit status they call for: an I/O failure (2) before
// errors (1).
static int report(Options *o, Compilation *cs, int n, bool io_failed) {
  Arena scratch = {0};
  Buf out = {.arena = &scratch};
  Compilation total = {.strict = o->strict};
  bool failed = false;
  for (int i = 0; i < n; i++) {
    diag_sort(&cs[i]);
    total.nerrors += cs[i].nerrors;
    total.nwarnings += cs[i].nwarnings;
    total.nsuppressed += cs[i].nsuppressed;
    total.nunshown += cs[i].nunshown;
    failed |= comp_failed(&cs[i]);
  }
  switch (o->format) {
  case FORMAT_JSON:
    report_json(cs, n, &out);
    break;
  case FORMAT_SARIF:
    report_sarif(cs, n, working_dir(&scratch), &out);
    break;
  case FORMAT_GITHUB:
    report_github(cs, n, &out);
    break;
  case FORMAT_TEXT:
  case FORMAT_DOT:  // graph's: its diagnostics are text
    for (int i = 0; i < n; i++)
      diag_render(&cs[i], &out, (DiagStyle){use_color(o)});
    diag_summary(&total, &out);
    break;
  }
  write_out(o->format == FORMAT_TEXT || o->format == FORMAT_DOT ? stderr : stdout, buf_str(&out));
  arena_free(&scratch);
  return io_failed ? EXIT_USAGE : failed ? EXIT_ERRORS : EXIT_OK;
}

//
// Commands
//

// The root file's name, as its imports are named (normalize), when that
// names the same file: "a/./env.ecs", "a//env.ecs" and "a/../a/env.ecs" are
// "a/env.ecs", so the output's comments do not depend on the spelling (build
// --check, --changed). "link/../env.ecs" through a symbolic link to a
// directory is another file than "env.ecs": kept as typed, since its imports
// are found from its directory.
static Str root_name(Arena *a, const char *path, Str real) {
  Str typed = str_c(path), name = normalize(a, typed);
  if (!name.len || str_eq(name, typed))
    return typed;
  char again[PATH_MAX];
  return real.len && realpath(str_cstr(a, name), again) && str_eq_c(real, again) ? name : typed;
}

// Reads a root file into a fresh compilation. A file that cannot be read at
// all is an I/O failure (exit 2); one that is not text is an input error.
static Source *open_root(Compilation *c, Options *o, const char *path, bool *io_failed) {
  comp_init(c);
  c->strict = o->strict;
  suppress_install(c, o->disabled);
  c->host = o;
  c->read_import = read_import;
  Str text, why;
  bool is_stdin = strcmp(path, "-") == 0;
  if (!read_all(&c->arena, path, &text, &why)) {
    diag_file(c, E0001, is_stdin ? STR("<stdin>") : str_c(path), "cannot read file: %.*s", S(why));
    *io_failed = true;
    return NULL;
  }
  char real[PATH_MAX];
  if (!is_stdin && realpath(path, real))
    c->root_key = str_dup(&c->arena, str_c(real));
  return comp_add_source(c, is_stdin ? STR("<stdin>") : root_name(&c->arena, path, c->root_key),
                         text);
}

// The values file, read here (only main.c touches files) and parsed by values.c.
static Values *load_values(Compilation *c, Options *o, bool *io_failed) {
  if (!o->values)
    return NULL;
  Str text, why;
  if (!read_all(&c->arena, o->values, &text, &why)) {
    diag_file(c, E0001, str_c(o->values), "cannot read file: %.*s", S(why));
    *io_failed = true;
    return NULL;
  }
  Source *src = comp_add_source(c, str_c(o->values), text);
  return src ? values_load(c, src) : NULL;
}

// Each --set argument is a source of its own, named "--set #N" (the Nth
// --set, --set-string's counted apart), so that a diagnostic shows it with a
// caret. They are read whether or not the file was, for their errors too.
static Values *load_sets(Compilation *c, Options *o, Values *v) {
  int counts[2] = {0, 0};
  for (int i = 0; i < o->nsets; i++) {
    bool string = o->set_strings[i];
    Str option = string ? STR("--set-string") : STR("--set");
    Str path = str_fmt(&c->arena, "%.*s #%d", S(option), ++counts[string]);
    Source *src = comp_add_argument(c, option, path, str_c(o->sets[i]));
    if (src)
      values_set(c, &v, src, string);
  }
  return v;
}

// The values file and --set arguments, read once the sources are sound.
typedef struct {
  Options *o;
  bool *io_failed;
} ValuesFrom;

static Values *load_all_values(Compilation *c, const void *ctx) {
  const ValuesFrom *from = ctx;
  return load_sets(c, from->o, load_values(c, from->o, from->io_failed));
}

static Model *check_all(Compilation *c, Source *root, Options *o, bool *io_failed) {
  return pipeline_run(c, root, load_all_values, &(ValuesFrom){o, io_failed});
}

static int cmd_lint(Options *o) {
  if (o->nfiles == 0)
    return usage_error("%s", "lint needs at least one file (- for standard input)");
  if (o->iam && o->format != FORMAT_TEXT && o->format != FORMAT_JSON)
    return usage_error("%s", "--iam prints the policies as text or json, not as diagnostics");
  Compilation *cs = calloc((size_t)o->nfiles, sizeof *cs);
  if (!cs)
    return EXIT_USAGE;
  bool io_failed = false;
  Arena scratch = {0};
  Buf iam = {.arena = &scratch};
  for (int i = 0; i < o->nfiles; i++) {
    Source *root = open_root(&cs[i], o, o->files[i], &io_failed);
    Model *m = root ? check_all(&cs[i], root, o, &io_failed) : NULL;
    if (m && o->iam && !comp_failed(&cs[i]))
      explain_iam(&cs[i], m, &iam, o->format == FORMAT_JSON);
  }
  if (o->iam) {
    // The policies replace the diagnostics on standard output (which still
    // go to standard error), so --iam --format=json is one document.
    write_out(stdout, buf_str(&iam));
    o->format = FORMAT_TEXT;
  }
  arena_free(&scratch);
  int status = report(o, cs, o->nfiles, io_failed);
  for (int i = 0; i < o->nfiles; i++)
    comp_free(&cs[i]);
  free(cs);
  return status;
}

// Replaces path's contents through a temporary file and a rename, so an
// interrupted fmt never leaves a half-written source behind. A symbolic link
// is followed: the file it names is rewritten and the link stays a link.
static bool replace_file(Arena *a, const char *path, Str text, Str *why) {
  char target[PATH_MAX], tmp[PATH_MAX + 32];
  if (!realpath(path, target)) {
    *why = diag_errno(a, errno);
    return false;
  }
  snprintf(tmp, sizeof tmp, "%s.ecsc-fmt-XXXXXX", target);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    *why = diag_errno(a, errno);
    return false;
  }
  struct stat st;
  if (stat(target, &st) == 0)
    fchmod(fd, st.st_mode & 07777);
  FILE *f = fdopen(fd, "wb");
  if (!f) {
    *why = diag_errno(a, errno);
    close(fd);
    goto out_unlink;
  }
  bool written = fwrite(text.ptr, 1, (size_t)text.len, f) == (size_t)text.len;
  int err = errno;
  if (fclose(f) != 0 || !written) {
    *why = diag_errno(a, written ? errno : err ? err : EIO);
    goto out_unlink;
  }
  if (rename(tmp, target) != 0) {
    *why = diag_errno(a, errno);
    goto out_unlink;
  }
  return true;
out_unlink:
  unlink(tmp);
  return false;
}

// ECSC_TIMES=1 prints each phase's wall time on standard error: for the
// benchmark's account of where the time goes (bench/RESULTS.md).
static void phase(const char *name) {
  static struct timespec last;
  static bool on, known;
  if (!known) {
    const char *v = getenv("ECSC_TIMES");
    on = v && *v && strcmp(v, "0") != 0;
    known = true;
    clock_gettime(CLOCK_MONOTONIC, &last);
  }
  if (!on || !name)
    return;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  double ms = (double)(now.tv_sec - last.tv_sec) * 1e3 + (double)(now.tv_nsec - last.tv_nsec) / 1e6;
  fprintf(stderr, "ecsc: %-8s %8.1f ms\n", name, ms);
  last = now;
}

// build --check in a format other than text: each file out of date is a
// diagnostic about DIR/PATH (E0014), so that standard output is one document.
// The report's lines are output_check's "what: path".
static void out_of_date(Compilation *c, const char *dir, Str report) {
  for (ptrdiff_t i = 0; i < report.len;) {
    ptrdiff_t j = i;
    while (j < report.len && report.ptr[j] != '\n')
      j++;
    Str line = {report.ptr + i, j - i};
    ptrdiff_t colon = 0;
    while (colon + 1 < line.len && !(line.ptr[colon] == ':' && line.ptr[colon + 1] == ' '))
      colon++;
    if (colon + 1 < line.len) {
      Str what = {line.ptr, colon}, path = {line.ptr + colon + 2, line.len - colon - 2};
      Str file = str_fmt(&c->arena, "%s/%.*s", dir, S(path));
      Diag *d = diag_file(c, E0014, file, "output out of date: %.*s", S(what));
      diag_help(c, d, "run ecsc build without --check, and commit what it writes");
    }
    i = j + 1;
  }
}

// What one service state's change does to another's, against the previous
// build in DIR (output.c's OutOptions.changing_states): a listener rule
// priority (E1233, W1230), a discovery name (E1160), a cluster's
// architecture under its services (W1233). Each environment's changing
// states are listed once, and each previous state parsed once for the
// three checks (previous_read_changing), as previous_build_checks reads
// the VPC state once for its checks. They judge after, check by check, each
// over every environment, the order they reported in when each read on its
// own: diagnostics at one place keep the order they were reported in
// (diag.c, diag_sort), and past MAX_ERRORS the first ones are kept.
static void states_changing(Compilation *c, const Model *m, Str dir, const Changes *states) {
  enum { NCHECKS = 3 };
  Arena scratch = {0};
  const char *d = str_cstr(&scratch, dir);
  ChangingCheck *checks = new(&scratch, ChangingCheck, (ptrdiff_t)m->nenvs * NCHECKS + 1);
  for (int i = 0; i < m->nenvs; i++) {
    ChangingStates *cs = previous_changing_services(&scratch, m->envs[i], states);
    ChangingCheck *env = &checks[i * NCHECKS];
    env[0] = rebuild_priorities_states(&scratch, cs);
    env[1] = rebuild_discovery_states(&scratch, cs);
    env[2] = rebuild_costs_states(&scratch, cs);
    previous_read_changing(d, cs, env, NCHECKS);
  }
  for (int k = 0; k < NCHECKS; k++)
    for (int i = 0; i < m->nenvs; i++)
      checks[i * NCHECKS + k].judge(c, checks[i * NCHECKS + k].ctx);
  arena_free(&scratch);
}

// What the previous build in DIR still uses, or loses, that this build
// deletes or replaces (rebuild.h: rebuild_retire.c, rebuild_nat.c,
// rebuild_costs.c, rebuild_listeners.c), each environment's previous VPC
// state read once for them all, and its service states listed once. Returns, per environment, whether --changed applies its VPC
// state after its service states (NULL: none does).
static bool *previous_build_checks(Compilation *c, const Model *m, const char *dir) {
  struct stat st;
  if (stat(dir, &st) != 0 && errno == ENOENT)
    return NULL;  // a first build: no state to look for (20,000 failed opens at 10 x 1000)
  Arena scratch = {0};
  bool *vpc_after = NULL;
  for (int i = 0; i < m->nenvs; i++) {
    const Environment *e = m->envs[i];
    ArenaMark mark = arena_mark(&scratch);
    json_t *vpc = previous_vpc_state(&scratch, dir, e->name);
    // Its service states, listed once for the checks that look at them;
    // without a previous VPC state none compares (nothing was applied).
    PreviousServices all = vpc ? previous_services(&scratch, e, dir) : (PreviousServices){0};
    rebuild_retire_env(c, &scratch, m, e, dir, vpc, &all);
    rebuild_nat_env(c, &scratch, e, vpc);
    rebuild_costs_env(c, &scratch, m, e, dir, vpc, &all);
    if (rebuild_listeners_env(c, &scratch, m, e, vpc)) {
      if (!vpc_after)
        vpc_after = new(&c->arena, bool, m->nenvs);
      vpc_after[i] = true;
    }
    json_decref(vpc);
    arena_rewind(&scratch, mark);
  }
  int ngone;
  Str *gone = previous_removed_environments(&scratch, m, dir, &ngone);
  for (int i = 0; i < ngone; i++) {
    json_t *vpc = previous_vpc_state(&scratch, dir, gone[i]);
    rebuild_retire_gone_env(c, m, gone[i], vpc);
    json_decref(vpc);
    rebuild_costs_gone_env(c, &scratch, m, gone[i], dir);
  }
  arena_free(&scratch);
  return vpc_after;
}

// lint, then the tree written all or nothing (or compared, with --check).
static int cmd_build(Options *o) {
  if (o->nfiles != 1)
    return usage_error("%s", "build takes one file (the root of the configuration)");
  if (!o->out)
    return usage_error("%s", "build needs -o DIR, the output directory");
  if (o->check && o->discard_journal)
    return usage_error("%s", "--discard-journal writes: it does not go with --check");
  if (o->changed && o->format != FORMAT_TEXT)
    return usage_error("%s", "--changed=json and a --format other than text both print on "
                             "standard output: run them as two commands");
  Compilation c;
  bool io_failed = false;
  phase(NULL);
  Source *root = open_root(&c, o, o->files[0], &io_failed);
  Model *m = root ? check_all(&c, root, o, &io_failed) : NULL;
  phase("check");
  int status = EXIT_OK;
  if (m && !comp_failed(&c) && !m->project)
    diag_file(&c, E0406, root->path, "nothing to build: the file declares no project");
  bool *vpc_after = NULL;
  if (m && !comp_failed(&c)) {  // what the previous build in DIR still uses
    vpc_after = previous_build_checks(&c, m, o->out);
  }
  if (m && !comp_failed(&c)) {
    OutTree *tree = emit(&c, m, root->path);
    phase("emit");
    if (!comp_failed(&c)) {
      Arena scratch = {0};
      Buf report = {.arena = &scratch};
      Changes changes = {.arena = &scratch, .vpc_after = vpc_after};
      OutOptions out = {.discard_journal = o->discard_journal,
                        .changes = o->changed ? &changes : NULL,
                        .changing = rebuild_update_service,
                        .changing_states = states_changing};
      OutResult r = o->check ? output_check(&c, tree, o->out, &out, &report)
                             : output_write(&c, tree, o->out, &out);
      phase(o->check ? "compare" : "write");
      if (o->format == FORMAT_TEXT)  // with --changed=json, stdout is its document
        write_out(o->changed ? stderr : stdout, buf_str(&report));
      else
        out_of_date(&c, o->out, buf_str(&report));
      if (o->changed)
        write_out(stdout, emit_changes_json(&scratch, m, &changes));
      arena_free(&scratch);
      io_failed |= r == OUT_FAILED;
      status = r == OUT_DIFFERS || r == OUT_REFUSED ? EXIT_ERRORS : EXIT_OK;
    }
  }
  // An output directory that cannot be read or written exits 2, as a file
  // that cannot be read does, though its diagnostic is an error.
  int reported = report(o, &c, 1, io_failed);
  comp_free(&c);
  return reported != EXIT_OK ? reported : status;
}

// graph.c prints the checked model's graph: DOT, or JSON with --format=json;
// the diagnostics, if any, go to standard error as text.
static int cmd_graph(Options *o) {
  if (o->nfiles != 1)
    return usage_error("%s", "graph takes one file (the root of the configuration)");
  Compilation c;
  bool io_failed = false;
  Source *root = open_root(&c, o, o->files[0], &io_failed);
  Model *m = root ? check_all(&c, root, o, &io_failed) : NULL;
  Arena scratch = {0};
  Buf out = {.arena = &scratch};
  if (m && !comp_failed(&c))
    graph_write(&c, m, root->path, o->format == FORMAT_JSON, &out);
  write_out(stdout, buf_str(&out));
  arena_free(&scratch);
  o->format = FORMAT_TEXT;
  int status = report(o, &c, 1, io_failed);
  comp_free(&c);
  return status;
}

// import compose FILE: an env.ecs from a compose file (import_compose.c), in
// the canonical layout, on standard output or in -o FILE.
static int cmd_import(Options *o) {
  if (o->nfiles != 2 || strcmp(o->files[0], "compose") != 0)
    return usage_error("%s", "import takes compose and a file: ecsc import compose docker-compose.yml");
  Compilation c;
  bool io_failed = false;
  Source *src = open_root(&c, o, o->files[1], &io_failed);
  Str text = src ? import_compose(&c, src) : (Str){0};
  Source *made = text.len ? comp_add_source(&c, str_c(o->out ? o->out : "env.ecs"), text) : NULL;
  File *f = made ? parse(&c, made) : NULL;
  if (f && !comp_failed(&c)) {
    text = fmt_file(&c, f);
    FILE *out = o->out ? fopen(o->out, "wb") : stdout;
    bool written = out && fwrite(text.ptr, 1, (size_t)text.len, out) == (size_t)text.len &&
                   (out != stdout || fflush(stdout) == 0);
    int err = errno;
    if (out && out != stdout && fclose(out) != 0 && written)
      written = false, err = errno;
    if (!written) {
      Str why = diag_errno(&c.arena, err ? err : EIO);
      diag_file(&c, E0001, str_c(o->out ? o->out : "<stdout>"), "cannot write file: %.*s", S(why));
      io_failed = true;
    }
  }
  int status = report(o, &c, 1, io_failed);
  comp_free(&c);
  return status;
}

static int cmd_fmt(Options *o) {
  if (o->nfiles == 0)
    return usage_error("%s", "fmt needs at least one file (- for standard input)");
  Compilation *cs = calloc((size_t)o->nfiles, sizeof *cs);
  if (!cs)
    return EXIT_USAGE;
  bool io_failed = false;
  int changed = 0;
  for (int i = 0; i < o->nfiles; i++) {
    Compilation *c = &cs[i];
    Source *src = open_root(c, o, o->files[i], &io_failed);
    if (!src)
      continue;
    c->read_import = NULL;  // fmt formats each file alone
    File *f = parse(c, src);
    if (c->nerrors)
      continue;
    Str out = fmt_file(c, f);
    bool same = str_eq(out, src->text);
    bool is_stdin = strcmp(o->files[i], "-") == 0;
    if (o->check) {
      if (!same) {
        fprintf(stderr, "would reformat %s\n", o->files[i]);
        changed++;
      }
    } else if (is_stdin) {
      write_out(stdout, out);
    } else if (!same) {
      Str why;
      if (!replace_file(&c->arena, o->files[i], out, &why)) {
        diag_file(c, E0001, src->path, "cannot write file: %.*s", S(why));
        io_failed = true;
      }
    }
  }
  int status = report(o, cs, o->nfiles, io_failed);
  if (o->check && changed)
    fprintf(stderr, "ecsc: %d file%s would be reformatted\n", changed, changed == 1 ? "" : "s");
  for (int i = 0; i < o->nfiles; i++)
    comp_free(&cs[i]);
  free(cs);
  if (status == EXIT_OK && changed)
    status = EXIT_ERRORS;
  return status;
}

// Prints a paragraph wrapped at 78 columns.
static void print_wrapped(const char *text) {
  int col = 0;
  for (const char *p = text; *p;) {
    const char *end = p;
    while (*end && *end != ' ')
      end++;
    int len = (int)(end - p);
    if (col && col + 1 + len > 78) {
      putchar('\n');
      col = 0;
    } else if (col) {
      putchar(' ');
      col++;
    }
    fwrite(p, 1, (size_t)len, stdout);
    col += len;
    p = *end ? end + 1 : end;
  }
  putchar('\n');
}

// The catalog as a Markdown table, for grammar/README.md (make docs).
static int explain_table(void) {
  static const char *const sev[] = {"error", "warning", "note"};
  puts("| code | severity | title |\n| --- | --- | --- |");
  for (int i = 0; i < DIAG_CODE_COUNT; i++) {
    const DiagInfo *info = diag_info((DiagCode)i);
    printf("| %s | %s | %s |\n", info->name, sev[info->severity], info->title);
  }
  return EXIT_OK;
}

static int cmd_explain(Options *o) {
  if (o->table && o->nfiles == 0)
    return explain_table();
  if (o->nfiles != 1 || o->table)
    return usage_error("%s", "explain takes one code, such as E0301, or --table");
  char code[16] = {0};
  for (int i = 0; i < 15 && o->files[0][i]; i++)
    code[i] = (char)(o->files[0][i] >= 'a' && o->files[0][i] <= 'z' ? o->files[0][i] - 32
                                                                    : o->files[0][i]);
  DiagCode dc;
  const DiagInfo *info = diag_lookup(str_c(code), &dc);
  const char *now = info ? NULL : diag_retired(str_c(code));
  if (now) {
    printf("%s: retired; %s\n", code, now);
    return EXIT_OK;
  }
  if (!info) {
    char hint[64];
    return usage_hint(closest_code(hint, sizeof hint, str_c(code)),
                      "unknown diagnostic code \"%s\"", o->files[0]);
  }
  static const char *const sev[] = {"error", "warning", "note"};
  printf("%s (%s): %s\n\n", info->name, sev[info->severity], info->title);
  print_wrapped(info->text);
  return EXIT_OK;
}

static int cmd_schema(Options *o) {
  if (o->nfiles)
    return usage_error("%s", "schema takes no operands");
  Arena a = {0};
  Buf out = {.arena = &a};
  schema_markdown(&out);
  write_out(stdout, buf_str(&out));
  arena_free(&a);
  return EXIT_OK;
}

static int cmd_completion(Options *o) {
  if (o->nfiles != 1)
    return usage_error("%s", "completion takes a shell: bash, zsh or fish");
  if (!cli_completion(stdout, o->files[0]))
    return usage_error("no completion for \"%s\": the shells are bash, zsh and fish",
                       o->files[0]);
  return EXIT_OK;
}

// "did you mean" among the commands, for a misspelt one.
static Str closest_command(char *buf, size_t size, const char *wrong) {
  Str names[16];
  for (int i = 0; i < cli_ncommands; i++)
    names[i] = str_c(cli_commands[i].name);
  return did_you_mean(buf, size, "", str_c(wrong), names, cli_ncommands);
}

static int cmd_help(Options *o) {
  if (o->man || o->markdown) {
    if (o->nfiles || (o->man && o->markdown))
      return usage_error("%s", "help --man and help --markdown take nothing else");
    o->man ? cli_man(stdout) : cli_markdown(stdout);
    return EXIT_OK;
  }
  if (o->nfiles > 1)
    return usage_error("%s", "help takes one command");
  if (!o->nfiles) {
    cli_usage_main(stdout);
    return EXIT_OK;
  }
  const CliCommand *cmd = cli_command(o->files[0]);
  if (!cmd) {
    char hint[64];
    return usage_hint(closest_command(hint, sizeof hint, o->files[0]),
                      "no help for \"%s\": it is not a command", o->files[0]);
  }
  cli_usage(stdout, cmd);
  return EXIT_OK;
}

//
// Arguments
//

static int set_format(Options *o, const char *v) {
  if (o->cmd->bit == CMD_GRAPH) {  // the graph's formats, not the diagnostics'
    if (strcmp(v, "dot") && strcmp(v, "json"))
      return usage_error("graph's --format takes dot or json, not \"%s\"", v);
    o->format = strcmp(v, "dot") ? FORMAT_JSON : FORMAT_DOT;
    return EXIT_OK;
  }
  static const char *const names[] = {"text", "json", "sarif", "github"};
  for (int i = 0; i < countof(names); i++) {
    if (!strcmp(v, names[i])) {
      o->format = (Format)i;
      return EXIT_OK;
    }
  }
  return usage_error("--format takes text, json, sarif or github, not \"%s\"", v);
}

static int set_color(Options *o, const char *v) {
  if (!strcmp(v, "auto"))
    o->color = -1;
  else if (!strcmp(v, "always"))
    o->color = 1;
  else if (!strcmp(v, "never"))
    o->color = 0;
  else
    return usage_error("--color takes auto, always or never, not \"%s\"", v);
  return EXIT_OK;
}

// --disable=W0572,W0573: warnings (and notes) only; an error cannot be
// suppressed, since it is output AWS would reject.
static int set_disabled(Options *o, const char *list) {
  for (const char *p = list;;) {
    const char *end = strchr(p, ',');
    Str name = {p, end ? end - p : (ptrdiff_t)strlen(p)};
    char code[16] = {0};
    for (int i = 0; i < 15 && i < name.len; i++)
      code[i] = (char)(name.ptr[i] >= 'a' && name.ptr[i] <= 'z' ? name.ptr[i] - 32 : name.ptr[i]);
    DiagCode dc;
    const DiagInfo *info = name.len < 16 ? diag_lookup(str_c(code), &dc) : NULL;
    if (!info) {
      char hint[64];
      return usage_hint(closest_code(hint, sizeof hint, str_c(code)),
                        "--disable: unknown diagnostic code \"%.*s\"", S(name));
    }
    if (info->severity == SEV_ERROR)
      return usage_error("--disable: %s is an error, and errors cannot be disabled", info->name);
    o->disabled[dc] = true;
    if (!end)
      return EXIT_OK;
    p = end + 1;
  }
}

// An option the command does not take: the commands that take it, or the
// closest one it does take, or the options an ambiguous prefix could be.
static int unknown_option(const CliCommand *cmd, const char *arg) {
  bool is_long = arg[1] == '-';
  Str wrong = is_long ? (Str){arg + 2, (ptrdiff_t)strcspn(arg + 2, "=")} : (Str){arg + 1, 1};
  const char *dashes = is_long ? "--" : "-";
  Str names[64];
  int n = 0, prefixed = 0;
  char help[256] = "", prefixes[128] = "";
  size_t taken = 0;  // help holds "--out goes with build and ..." when > 0
  for (int i = 0; i < cli_noptions && n < countof(names); i++) {
    const CliOption *opt = &cli_options[i];
    Str own = is_long ? (opt->name ? str_c(opt->name) : (Str){0}) : (Str){&opt->letter, opt->letter != 0};
    if (!own.len)
      continue;
    if (cli_takes(cmd, opt)) {
      names[n++] = own;
      if (is_long && wrong.len && str_starts_with(own, wrong) &&
          (i == 0 || cli_options[i - 1].id != opt->id)) {
        snprintf(prefixes + strlen(prefixes), sizeof prefixes - strlen(prefixes), "%s--%.*s",
                 prefixed++ ? ", " : "", S(own));
      }
    } else if (str_eq(own, wrong)) {
      for (int k = 0; k < cli_ncommands; k++) {
        const char *name = cli_commands[k].name;
        if (!cli_takes(&cli_commands[k], opt) || (taken && strstr(help, name)))
          continue;
        if (!taken)
          taken = (size_t)snprintf(help, sizeof help, "%s%.*s goes with %s", dashes, S(wrong), name);
        else
          taken += (size_t)snprintf(help + taken, sizeof help - taken, " and %s", name);
        if (taken >= sizeof help)
          taken = sizeof help - 1;
      }
    }
  }
  if (prefixed > 1)
    return usage_error("%s%.*s is ambiguous: it could be %s", dashes, S(wrong), prefixes);
  Str hint = {0};
  if (taken)
    hint = str_c(help);
  else if (is_long)  // one letter is close to every other
    hint = did_you_mean(help, sizeof help, dashes, wrong, names, n);
  return usage_hint(hint, "%s does not take %s%.*s", cmd->name, dashes, S(wrong));
}

// getopt_long's tables for one command, from cli.c's rows: the short
// options string starts with "-" (operands come back in order, as value 1,
// whatever POSIXLY_CORRECT says) and ":" (a missing argument is reported
// here, not by getopt).
static void getopt_tables(const CliCommand *cmd, char *shorts, struct option *longs) {
  char *s = shorts;
  *s++ = '-';
  *s++ = ':';
  int n = 0;
  for (int i = 0; i < cli_noptions; i++) {
    const CliOption *opt = &cli_options[i];
    if (!cli_takes(cmd, opt))
      continue;
    if (opt->letter) {
      *s++ = opt->letter;
      if (opt->arg)
        *s++ = ':';
    }
    if (opt->name)
      longs[n++] = (struct option){opt->name, opt->arg ? required_argument : no_argument, NULL,
                                   (int)opt->id};
  }
  *s = 0;
  longs[n] = (struct option){0};
}

static int apply_option(Options *o, int id, const char *arg) {
  switch (id) {
  case OPT_OUT:
    o->out = arg;
    return *arg ? EXIT_OK : usage_error("%s", "-o needs a directory");
  case OPT_CHECK:
    o->check = true;
    return EXIT_OK;
  case OPT_DISCARD_JOURNAL:
    o->discard_journal = true;
    return EXIT_OK;
  case OPT_CHANGED:
    o->changed = true;
    return !strcmp(arg, "json") ? EXIT_OK : usage_error("--changed takes json, not \"%s\"", arg);
  case OPT_FORMAT:
    return set_format(o, arg);
  case OPT_COLOR:
    return set_color(o, arg);
  case OPT_STRICT:
    o->strict = true;
    return EXIT_OK;
  case OPT_DISABLE:
    return set_disabled(o, arg);
  case OPT_VALUES:
    o->values = arg;
    return EXIT_OK;
  case OPT_SET:
  case OPT_SET_STRING:
    o->set_strings[o->nsets] = id == OPT_SET_STRING;
    o->sets[o->nsets++] = arg;
    return EXIT_OK;
  case OPT_IAM:
    o->iam = true;
    return EXIT_OK;
  case OPT_INCLUDE:
    if (o->ninclude == countof(o->include))
      return usage_error("%s", "too many -I directories");
    o->include[o->ninclude++] = arg;
    return EXIT_OK;
  case OPT_TABLE:
    o->table = true;
    return EXIT_OK;
  case OPT_MAN:
    o->man = true;
    return EXIT_OK;
  case OPT_MARKDOWN:
    o->markdown = true;
    return EXIT_OK;
  }
  return EXIT_USAGE;
}

// "ecsc COMMAND [OPTION | OPERAND]...": the command first, then its options
// and operands in any order, parsed by getopt_long from cli.c's table.
// Returns EXIT_OK to go on, or the status to exit with (help printed: 0).
static int parse_args(int argc, char **argv, Options *o, bool *done) {
  const CliCommand *cmd = o->cmd;
  char shorts[64];
  struct option longs[32];
  getopt_tables(cmd, shorts, longs);
  o->files = calloc((size_t)argc + 1, sizeof *o->files);
  o->sets = calloc((size_t)argc + 1, sizeof *o->sets);
  o->set_strings = calloc((size_t)argc + 1, sizeof *o->set_strings);
  if (!o->files || !o->sets || !o->set_strings)
    return EXIT_USAGE;
  opterr = 0;
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
    const char *current = argv[optind - 1];
    int status = EXIT_OK;
    if (c == 1) {
      o->files[o->nfiles++] = optarg;
    } else if (c == OPT_HELP) {
      cli_usage(stdout, cmd);
      *done = true;
      return EXIT_OK;
    } else if (c == ':') {
      const CliOption *opt = cli_option(cmd, (CliOptionId)optopt);
      // Named as it was written: -o or --out.
      int len = (int)strcspn(current, "=");
      bool is_long = current[0] == '-' && current[1] == '-';
      status = usage_error("%.*s needs a value: %.*s%s%s", is_long ? len : 2, current,
                           is_long ? len : 2, current, is_long ? "=" : " ",
                           opt && opt->arg ? opt->arg : "VALUE");
    } else if (c == '?') {
      // An unknown option or an argument given to a flag (--strict=yes):
      // getopt_long says which only through optopt, the flag's value for
      // the second, the letter for an unknown short option, 0 for an
      // unknown long one.
      if (optopt && cli_option(cmd, (CliOptionId)optopt)) {
        status = usage_error("%.*s takes no argument", (int)strcspn(current, "="), current);
      } else if (optopt) {
        char arg[3] = {'-', (char)optopt, 0};
        status = unknown_option(cmd, arg);
      } else {
        status = unknown_option(cmd, current);
      }
    } else {
      status = apply_option(o, c, optarg);
    }
    if (status != EXIT_OK)
      return status;
  }
  // Operands after "--".
  for (; optind < argc; optind++)
    o->files[o->nfiles++] = argv[optind];
  return EXIT_OK;
}

static int run(Options *o) {
  switch (o->cmd->bit) {
  case CMD_LINT:
    return cmd_lint(o);
  case CMD_BUILD:
    return cmd_build(o);
  case CMD_FMT:
    return cmd_fmt(o);
  case CMD_EXPLAIN:
    return cmd_explain(o);
  case CMD_SCHEMA:
    return cmd_schema(o);
  case CMD_COMPLETION:
    return cmd_completion(o);
  case CMD_GRAPH:
    return cmd_graph(o);
  case CMD_IMPORT:
    return cmd_import(o);
  case CMD_HELP:
  case CMD_ALL:
    break;
  }
  return cmd_help(o);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    cli_usage_main(stderr);
    return EXIT_USAGE;
  }
  const char *first = argv[1];
  if (!strcmp(first, "--version"))
    return puts("ecsc " ECSC_VERSION) < 0 ? EXIT_USAGE : EXIT_OK;
  if (!strcmp(first, "--help") || !strcmp(first, "-h")) {
    cli_usage_main(stdout);
    return EXIT_OK;
  }
  if (first[0] == '-') {
    usage_error("unknown option \"%s\": options go after the command, as in "
                "ecsc lint --strict FILE", first);
    return EXIT_USAGE;
  }
  Options *o = calloc(1, sizeof *o);
  if (!o)
    return EXIT_USAGE;
  o->color = -1;
  o->cmd = cli_command(first);
  int status;
  if (!o->cmd) {
    char hint[64];
    status = usage_hint(closest_command(hint, sizeof hint, first), "unknown command \"%s\"", first);
  } else {
    bool done = false;
    // getopt_long sees the command as its argv[0].
    status = parse_args(argc - 1, argv + 1, o, &done);
    if (status == EXIT_OK && !done)
      status = run(o);
  }
  free(o->files);
  free(o->sets);
  free(o->set_strings);
  free(o);
  return status;
}
