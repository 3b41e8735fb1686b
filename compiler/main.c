// main.c: the command line. Parses arguments, reads files, runs the stages in
// order on one Compilation per root file, prints what they reported and picks
// the exit status: 0 clean (or warnings only), 1 errors, 2 usage or I/O.
// The only file that exits, and with output.c the only one touching files.
#include "emit.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
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

typedef struct {
  const char *command;
  const char **files;
  int nfiles;
  const char *include[16];  // -I DIR, searched first for std/ imports
  int ninclude;
  bool json, strict, check;
  bool iam;                 // lint --iam: print the derived policies
  bool help;                // -h or --help anywhere: help on the command
  const char *values;       // --values FILE.yaml
  const char *out;          // build -o DIR
  int color;                // -1 auto, 0 never, 1 always
} Options;

//
// Usage
//

static const char usage_main[] =
    "usage: ecsc <command> [options] [FILE...]\n"
    "\n"
    "commands:\n"
    "  lint FILE...         check files and report every problem found\n"
    "  build FILE -o DIR    write the Terraform, task definitions and user data\n"
    "  build --check ...    exit 1 unless DIR is what build would write\n"
    "  fmt FILE...          rewrite files in the canonical layout\n"
    "  fmt --check FILE...  list files that fmt would change (exit 1 if any)\n"
    "  explain CODE         describe a diagnostic code, such as E0301\n"
    "  schema               print every block and attribute as Markdown\n"
    "  help [COMMAND]       show help for a command\n"
    "\n"
    "A FILE of - reads standard input. ecsc --version prints the version.\n";

static const char usage_lint[] =
    "usage: ecsc lint [--strict] [--format=text|json] [--color=auto|always|never]\n"
    "                 [--values FILE.yaml] [--iam] [-I DIR]... FILE...\n"
    "\n"
    "Parses each FILE and the files it imports, resolves every reference, checks\n"
    "every rule ecsc knows of AWS, derives the IAM policies, and reports every\n"
    "problem found, as file:line:col diagnostics.\n"
    "\n"
    "  --strict         treat warnings as errors\n"
    "  --format=json    print diagnostics as a JSON array on standard output\n"
    "  --values FILE    set declared variables from a YAML file\n"
    "  --iam            print every derived IAM statement and the line behind it\n"
    "                   (with --format=json: the policies as one JSON document)\n"
    "  --color=WHEN     colour diagnostics: auto (on a terminal, unless NO_COLOR\n"
    "                   is set), always or never\n"
    "  -I DIR           look for std/ imports in DIR first (also $ECSC_STDLIB)\n"
    "\n"
    "Exit status: 0 clean or warnings only, 1 errors, 2 usage or I/O failure.\n";

static const char usage_build[] =
    "usage: ecsc build [--check] [--values FILE.yaml] [-I DIR]... FILE -o DIR\n"
    "\n"
    "Checks FILE as lint does and, when it is clean, writes for every environment\n"
    "ENV and service S:\n"
    "  DIR/ENV/vpc/main.tf.json, DIR/ENV/vpc/user_data.sh      the VPC state\n"
    "  DIR/ENV/services/S/main.tf.json, task-definition.json  a state per service\n"
    "All or nothing: DIR changes only when everything succeeded. Files a previous\n"
    "build wrote and this one does not are removed; other files are never touched.\n"
    "\n"
    "  --check   write nothing; exit 1 and list each missing, extra or differing\n"
    "            file unless DIR is exactly what a build would write\n"
    "\n"
    "Exit status: 0 written (or up to date), 1 errors (or out of date), 2 usage\n"
    "or I/O failure.\n";

static const char usage_fmt[] =
    "usage: ecsc fmt [--check] FILE...\n"
    "\n"
    "Rewrites each FILE in place in the canonical layout, keeping every comment.\n"
    "With -, reads standard input and writes standard output. With --check,\n"
    "writes nothing and lists the files that would change (exit 1 if any):\n"
    "the pre-commit hook.\n";

static const char usage_explain[] =
    "usage: ecsc explain CODE\n"
    "       ecsc explain --table\n"
    "\n"
    "Prints what a diagnostic code means and how to fix what it reports;\n"
    "--table lists every code as a Markdown table.\n";

static const char usage_schema[] =
    "usage: ecsc schema\n"
    "\n"
    "Prints every block and attribute of the language, with its type, default,\n"
    "allowed values and meaning, as Markdown.\n";

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("ecsc: ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\nTry 'ecsc help'.\n", stderr);
  return EXIT_USAGE;
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
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    *why = STR("is a directory");
    if (f != stdin)
      fclose(f);
    return false;
  }
  Buf b = {.arena = a};
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
static Str join(Arena *a, Str dir, Str name) {
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

// Removes "." segments and "dir/.." pairs, so a cycle through "../a.ecs"
// prints as the path the user knows.
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
      Str path = join(&c->arena, dirs[i], rest);
      if (!is_file(str_cstr(&c->arena, path)))
        continue;
      if (!load_path(c, path, out, why))
        return false;
      // Shown as imported, "std/presets.ecs", wherever the stdlib lives: the
      // output names it, and must not depend on where ecsc is installed.
      out->path = join(&c->arena, STR("std"), rest);
      return true;
    }
    *why = STR("not in the standard library");
    return false;
  }
  Str dir = str_eq_c(from, "<stdin>") ? (Str){0} : dirname_of(from);
  Str path = join(&c->arena, dir, name);
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

// Prints the diagnostics of every compilation, then one summary line, or the
// JSON array of them all; returns the exit status they call for.
static int report(Options *o, Compilation *cs, int n, bool io_failed) {
  Arena scratch = {0};
  Buf out = {.arena = &scratch};
  int errors = 0, warnings = 0, suppressed = 0;
  bool failed = false;
  for (int i = 0; i < n; i++) {
    diag_sort(&cs[i]);
    errors += cs[i].nerrors;
    warnings += cs[i].nwarnings;
    suppressed += cs[i].nsuppressed;
    failed |= comp_failed(&cs[i]);
  }
  if (o->json) {
    jsonout_diagnostics(cs, n, &out);
    write_out(stdout, buf_str(&out));
  } else {
    for (int i = 0; i < n; i++)
      diag_render(&cs[i], &out, (DiagStyle){use_color(o)});
    Compilation total = {.nerrors = errors, .nwarnings = warnings,
                         .nsuppressed = suppressed, .strict = o->strict};
    diag_summary(&total, &out);
    write_out(stderr, buf_str(&out));
  }
  arena_free(&scratch);
  return io_failed ? EXIT_USAGE : failed ? EXIT_ERRORS : EXIT_OK;
}

//
// Commands
//

// Reads a root file into a fresh compilation. A file that cannot be read at
// all is an I/O failure (exit 2); one that is not text is an input error.
static Source *open_root(Compilation *c, Options *o, const char *path, bool *io_failed) {
  comp_init(c);
  c->strict = o->strict;
  c->host = o;
  c->read_import = read_import;
  Str text, why;
  Str name = strcmp(path, "-") == 0 ? STR("<stdin>") : str_c(path);
  if (!read_all(&c->arena, path, &text, &why)) {
    diag_file(c, E0001, name, "cannot read file: %.*s", S(why));
    *io_failed = true;
    return NULL;
  }
  char real[PATH_MAX];
  if (strcmp(path, "-") != 0 && realpath(path, real))
    c->root_key = str_dup(&c->arena, str_c(real));
  return comp_add_source(c, name, text);
}

static bool declares_nothing(File *f) {
  return !f->items;
}

// The values file, read here (only main.c touches files) and parsed by values.c.
static Values *load_values(Compilation *c, Options *o) {
  if (!o->values)
    return NULL;
  Str text, why;
  if (!read_all(&c->arena, o->values, &text, &why)) {
    diag_file(c, E0001, str_c(o->values), "cannot read file: %.*s", S(why));
    return NULL;
  }
  Source *src = comp_add_source(c, str_c(o->values), text);
  return src ? values_load(c, src) : NULL;
}

// The whole pipeline in memory: every file parsed, then held against the
// schema, resolved into the model, checked, and its IAM derived. A stage runs
// only when those before it were clean, so a syntax error never cascades into
// errors about what it broke.
static Model *check_all(Compilation *c, Source *root, Options *o) {
  ptrdiff_t n;
  File **files = imports_load(c, root, &n);
  if (c->nerrors)
    return NULL;
  for (ptrdiff_t i = 0; i < n; i++) {
    if (declares_nothing(files[i]))
      diag_file(c, W0001, files[i]->src->path, "file declares nothing")->file = files[i]->src;
    schema_check(c, files[i]);
  }
  if (c->nerrors)
    return NULL;
  Values *values = load_values(c, o);
  if (c->nerrors)
    return NULL;
  Model *m = resolve(c, files, n, values);
  if (c->nerrors)
    return NULL;
  check(c, m);
  iam_derive(c, m);
  return m;
}

static int cmd_lint(Options *o) {
  if (o->nfiles == 0)
    return usage_error("%s", "lint needs at least one file (- for standard input)");
  Compilation *cs = calloc((size_t)o->nfiles, sizeof *cs);
  if (!cs)
    return EXIT_USAGE;
  bool io_failed = false;
  Arena scratch = {0};
  Buf iam = {.arena = &scratch};
  for (int i = 0; i < o->nfiles; i++) {
    Source *root = open_root(&cs[i], o, o->files[i], &io_failed);
    Model *m = root ? check_all(&cs[i], root, o) : NULL;
    if (m && o->iam && !comp_failed(&cs[i]))
      iam_explain(&cs[i], m, &iam, o->json);
  }
  if (o->iam) {
    // The policies replace the diagnostics on standard output (which still
    // go to standard error), so --iam --format=json is one document.
    write_out(stdout, buf_str(&iam));
    o->json = false;
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

// lint, then the tree written all or nothing (or compared, with --check).
static int cmd_build(Options *o) {
  if (o->nfiles != 1)
    return usage_error("%s", "build takes one file (the root of the configuration)");
  if (!o->out)
    return usage_error("%s", "build needs -o DIR, the output directory");
  Compilation c;
  bool io_failed = false;
  phase(NULL);
  Source *root = open_root(&c, o, o->files[0], &io_failed);
  Model *m = root ? check_all(&c, root, o) : NULL;
  phase("check");
  int status = EXIT_OK;
  if (m && !comp_failed(&c) && !m->project)
    diag_file(&c, E0406, root->path, "nothing to build: the file declares no project");
  if (m && !comp_failed(&c)) {
    OutTree *tree = emit(&c, m, root->path);
    phase("emit");
    if (!comp_failed(&c)) {
      Arena scratch = {0};
      Buf report = {.arena = &scratch};
      OutResult r = o->check ? output_check(&c, tree, o->out, &report) : output_write(&c, tree, o->out);
      phase(o->check ? "compare" : "write");
      write_out(stdout, buf_str(&report));
      arena_free(&scratch);
      status = r == OUT_FAILED ? EXIT_USAGE : r == OUT_DIFFERS ? EXIT_ERRORS : EXIT_OK;
    }
  }
  int reported = report(o, &c, 1, io_failed);
  comp_free(&c);
  return reported != EXIT_OK ? reported : status;
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
static void wrap(const char *text) {
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
  if (o->nfiles == 1 && !strcmp(o->files[0], "--table"))
    return explain_table();
  if (o->nfiles != 1)
    return usage_error("%s", "explain takes one code, such as E0301");
  char code[16] = {0};
  for (int i = 0; i < 15 && o->files[0][i]; i++)
    code[i] = (char)(o->files[0][i] >= 'a' && o->files[0][i] <= 'z' ? o->files[0][i] - 32
                                                                    : o->files[0][i]);
  DiagCode dc;
  const DiagInfo *info = diag_lookup(str_c(code), &dc);
  if (!info) {
    fprintf(stderr, "ecsc: unknown diagnostic code \"%s\"\n", o->files[0]);
    Str names[DIAG_CODE_COUNT];
    for (int i = 0; i < DIAG_CODE_COUNT; i++)
      names[i] = str_c(diag_info((DiagCode)i)->name);
    Str best = diag_closest(str_c(code), names, DIAG_CODE_COUNT);
    if (best.len)
      fprintf(stderr, "help: did you mean \"%.*s\"?\n", S(best));
    return EXIT_USAGE;
  }
  static const char *const sev[] = {"error", "warning", "note"};
  printf("%s (%s): %s\n\n", info->name, sev[info->severity], info->title);
  wrap(info->text);
  return EXIT_OK;
}

static int cmd_schema(void) {
  Arena a = {0};
  Buf out = {.arena = &a};
  schema_markdown(&out);
  write_out(stdout, buf_str(&out));
  arena_free(&a);
  return EXIT_OK;
}

static int cmd_help(Options *o) {
  const char *topic = o->nfiles ? o->files[0] : NULL;
  if (!topic)
    fputs(usage_main, stdout);
  else if (!strcmp(topic, "lint"))
    fputs(usage_lint, stdout);
  else if (!strcmp(topic, "fmt"))
    fputs(usage_fmt, stdout);
  else if (!strcmp(topic, "build"))
    fputs(usage_build, stdout);
  else if (!strcmp(topic, "explain"))
    fputs(usage_explain, stdout);
  else if (!strcmp(topic, "schema"))
    fputs(usage_schema, stdout);
  else if (!strcmp(topic, "help"))
    fputs(usage_main, stdout);
  else
    return usage_error("no help for \"%s\"", topic);
  return EXIT_OK;
}

//
// Arguments
//

static int parse_args(int argc, char **argv, Options *o) {
  *o = (Options){.color = -1};
  o->files = calloc((size_t)argc + 1, sizeof *o->files);
  if (!o->files)
    return EXIT_USAGE;
  bool only_files = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (only_files || a[0] != '-' || !strcmp(a, "-")) {
      if (!o->command)
        o->command = a;
      else
        o->files[o->nfiles++] = a;
    } else if (!strcmp(a, "--")) {
      only_files = true;
    } else if (!strcmp(a, "--version")) {
      o->command = "version";
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      o->help = true;
    } else if (!strcmp(a, "-o") || !strncmp(a, "--out=", 6)) {
      const char *dir = a[1] == 'o' ? (i + 1 < argc ? argv[++i] : NULL) : a + 6;
      if (!dir || !*dir)
        return usage_error("%s", "-o needs a directory");
      o->out = dir;
    } else if (!strcmp(a, "--iam")) {
      o->iam = true;
    } else if (!strcmp(a, "--values") || !strncmp(a, "--values=", 9)) {
      const char *file = a[8] ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
      if (!file)
        return usage_error("%s", "--values needs a file");
      o->values = file;
    } else if (!strcmp(a, "--strict")) {
      o->strict = true;
    } else if (!strcmp(a, "--table") && o->command && !strcmp(o->command, "explain")) {
      o->files[o->nfiles++] = a;
    } else if (!strcmp(a, "--check")) {
      o->check = true;
    } else if (!strcmp(a, "--format=json")) {
      o->json = true;
    } else if (!strcmp(a, "--format=text")) {
      o->json = false;
    } else if (!strncmp(a, "--color=", 8)) {
      const char *v = a + 8;
      if (!strcmp(v, "auto"))
        o->color = -1;
      else if (!strcmp(v, "always"))
        o->color = 1;
      else if (!strcmp(v, "never"))
        o->color = 0;
      else
        return usage_error("--color takes auto, always or never, not \"%s\"", v);
    } else if (!strncmp(a, "-I", 2)) {
      const char *dir = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
      if (!dir)
        return usage_error("%s", "-I needs a directory");
      if (o->ninclude == countof(o->include))
        return usage_error("%s", "too many -I directories");
      o->include[o->ninclude++] = dir;
    } else {
      return usage_error("unknown option \"%s\"", a);
    }
  }
  return EXIT_OK;
}

int main(int argc, char **argv) {
  Options o;
  int status = parse_args(argc, argv, &o);
  if (status != EXIT_OK) {
    free(o.files);
    return status;
  }
  if (o.help) {
    // "ecsc lint x.ecs -h": help on lint, whatever else the line says.
    o.files[0] = o.command && strcmp(o.command, "help") != 0 ? o.command : NULL;
    o.nfiles = o.files[0] ? 1 : 0;
    o.command = "help";
  }
  if (o.check && o.command && strcmp(o.command, "fmt") != 0 && strcmp(o.command, "build") != 0)
    status = usage_error("%s", "--check goes with fmt or build");
  else if (!o.command)
    status = (fputs(usage_main, stderr), EXIT_USAGE);
  else if (!strcmp(o.command, "version"))
    status = (puts("ecsc " ECSC_VERSION), EXIT_OK);
  else if (!strcmp(o.command, "lint"))
    status = cmd_lint(&o);
  else if (!strcmp(o.command, "fmt"))
    status = cmd_fmt(&o);
  else if (!strcmp(o.command, "build"))
    status = cmd_build(&o);
  else if (!strcmp(o.command, "explain"))
    status = cmd_explain(&o);
  else if (!strcmp(o.command, "schema"))
    status = cmd_schema();
  else if (!strcmp(o.command, "help"))
    status = cmd_help(&o);
  else
    status = usage_error("unknown command \"%s\"", o.command);
  free(o.files);
  return status;
}
