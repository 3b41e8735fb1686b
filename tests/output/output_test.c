// tests/output/output_test.c: output.c on a real file system. Builds OutTrees
// by hand, writes and checks them, and compares whole directory listings
// (bytes, modes, and inodes where "untouched" is the claim) before and after.
//
//   output_test unit WORK             every case below, in the empty directory WORK;
//                                     prints PASS/FAIL lines, exits 1 on a failure
//   output_test big DIR VARIANT N     writes a platform of N service states
//                                     (variant A or B), for run.sh's kill -9 test
//   output_test recover DIR           finishes what a killed build left in DIR
//   output_test states DIR N          a line per state directory of that platform:
//                                     a hash of its files, the user's too
//   output_test userfiles DIR N       puts the user's files in some of its states
//   output_test platform DIR 1|2      writes the small platform of the state cases
#include "emit.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int passed, failed;

static void result(const char *name, bool ok, const char *detail) {
  if (ok) {
    passed++;
    printf("PASS %s\n", name);
  } else {
    failed++;
    printf("FAIL %s\n", name);
    if (detail && *detail)
      printf("    %s\n", detail);
  }
}

// Compares two texts and reports a case, showing both on a mismatch.
static bool expect_text(const char *name, Str got, const char *want) {
  bool ok = str_eq_c(got, want);
  if (!ok)
    printf("FAIL %s\n--- want\n%s--- got\n%.*s---\n", name, want, S(got));
  else
    printf("PASS %s\n", name);
  ok ? passed++ : failed++;
  return ok;
}

static Str diags(Compilation *c) {
  Buf b = {.arena = &c->arena};
  diag_render(c, &b, (DiagStyle){0});
  return buf_str(&b);
}

static void add(Compilation *c, OutTree *t, const char *path, const char *data) {
  *list_push(&c->arena, t) = (OutFile){.path = str_dup(&c->arena, str_c(path)),
                                       .kind = OUT_BYTES,
                                       .data = str_dup(&c->arena, str_c(data))};
}

static void put(const char *path, const char *data) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    exit(2);
  }
  fputs(data, f);
  fclose(f);
}

static int cmp_cstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

// One line per entry below dir, sorted: "path D mode", "path L target" or
// "path F mode content" (newlines shown as \n), with " #inode" when asked.
static void listing_at(Buf *b, const char *dir, const char *rel, bool inodes) {
  char path[4096];
  snprintf(path, sizeof path, "%s%s%s", dir, *rel ? "/" : "", rel);
  DIR *d = opendir(path);
  if (!d) {
    buf_printf(b, "%s: cannot open\n", rel);
    return;
  }
  char *names[4096];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 4096)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, (size_t)n, sizeof *names, cmp_cstr);
  for (int i = 0; i < n; i++) {
    char sub[4096], full[8192];
    snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", names[i]);
    snprintf(full, sizeof full, "%s/%s", dir, sub);
    struct stat st;
    lstat(full, &st);
    if (S_ISDIR(st.st_mode)) {
      buf_printf(b, "%s D %o", sub, (unsigned)(st.st_mode & 07777));
    } else if (S_ISLNK(st.st_mode)) {
      char target[4096];
      ssize_t k = readlink(full, target, sizeof target - 1);
      buf_printf(b, "%s L %.*s", sub, (int)(k < 0 ? 0 : k), target);
    } else if (!S_ISREG(st.st_mode)) {  // a fifo: opening it would wait for a writer
      buf_printf(b, "%s P %o", sub, (unsigned)(st.st_mode & 07777));
    } else {
      buf_printf(b, "%s F %o ", sub, (unsigned)(st.st_mode & 07777));
      FILE *f = fopen(full, "rb");
      int ch;
      while (f && (ch = getc(f)) != EOF)
        ch == '\n' ? buf_puts(b, "\\n") : buf_putc(b, (char)ch);
      if (f)
        fclose(f);
    }
    if (inodes)
      buf_printf(b, " #%lu", (unsigned long)st.st_ino);
    buf_putc(b, '\n');
    if (S_ISDIR(st.st_mode))
      listing_at(b, dir, sub, inodes);
    free(names[i]);
  }
}

static Str listing(Compilation *c, const char *dir, bool inodes) {
  Buf b = {.arena = &c->arena};
  listing_at(&b, dir, "", inodes);
  return buf_str(&b);
}

// The names in parent that start with prefix, one a line.
static Str siblings(Compilation *c, const char *parent, const char *prefix) {
  Buf b = {.arena = &c->arena};
  DIR *d = opendir(parent);
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && strcmp(e->d_name, ".") &&
        strcmp(e->d_name, ".."))
      buf_printf(&b, "%s\n", e->d_name);
  if (d)
    closedir(d);
  return buf_str(&b);
}

static unsigned long inode(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

static char *at(Compilation *c, const char *dir, const char *rel) {
  return str_cstr(&c->arena, str_fmt(&c->arena, "%s/%s", dir, rel));
}

#define HEADER_TEXT                                                                       \
  "# Written by ecsc: the files below are ecsc's. The next build replaces or removes " \
  "them and keeps every other file here.\n"
#define HEADER                                                                            \
  "# Written by ecsc: the files below are ecsc's. The next build replaces or removes " \
  "them and keeps every other file here.\\n"

static OutTree tree1(Compilation *c) {
  OutTree t = {0};
  add(c, &t, "b/c/z.sh", "z\n");  // out of order: output.c sorts
  add(c, &t, "a/y.json", "y1\n");
  add(c, &t, "a/x.json", "x1\n");
  add(c, &t, "e/only.json", "o\n");
  return t;
}

// tree1 with a/x.json changed, a/y.json and e/only.json gone, d/w.json new.
static OutTree tree2(Compilation *c) {
  OutTree t = {0};
  add(c, &t, "a/x.json", "x2\n");
  add(c, &t, "b/c/z.sh", "z\n");
  add(c, &t, "d/w.json", "w\n");
  return t;
}

static const char *LISTING2 =
    ".ecsc-manifest F 644 " HEADER "a/x.json\\nb/c/z.sh\\nd/w.json\\n\n"
    "README.md F 600 mine\\n\n"
    "a D 755\n"
    "a/.terraform D 700\n"
    "a/.terraform/link L x\n"
    "a/.terraform/x F 755 plugin\\n\n"
    "a/x.json F 644 x2\\n\n"
    "b D 755\n"
    "b/c D 755\n"
    "b/c/z.sh F 644 z\\n\n"
    "d D 755\n"
    "d/w.json F 644 w\\n\n"
    "notes D 750\n";

// Writes tree2 over tree1 with a user's files beside it: the state most
// other cases start from.
static bool setup2(Compilation *c, const char *out) {
  OutTree t1 = tree1(c), t2 = tree2(c);
  if (output_write(c, &t1, out, NULL) != OUT_OK)
    return false;
  put(at(c, out, "README.md"), "mine\n");
  chmod(at(c, out, "README.md"), 0600);
  mkdir(at(c, out, "a/.terraform"), 0700);
  put(at(c, out, "a/.terraform/x"), "plugin\n");
  chmod(at(c, out, "a/.terraform/x"), 0755);
  symlink("x", at(c, out, "a/.terraform/link"));
  mkdir(at(c, out, "notes"), 0750);
  chmod(at(c, out, "notes"), 0750);  // umask 077
  return output_write(c, &t2, out, NULL) == OUT_OK;
}

static void test_fresh(const char *work) {
  Compilation c;
  comp_init(&c);
  char *out = at(&c, work, "fresh/out");
  mkdir(at(&c, work, "fresh"), 0755);
  OutTree t = tree1(&c);
  OutResult r = output_write(&c, &t, out, NULL);
  result("fresh write returns OUT_OK", r == OUT_OK && c.nerrors == 0, diags(&c).ptr);
  expect_text("fresh write: the tree, the manifest, modes 0644/0755 under umask 077",
              listing(&c, out, false),
              ".ecsc-manifest F 644 " HEADER "a/x.json\\na/y.json\\nb/c/z.sh\\ne/only.json\\n\n"
              "a D 755\n"
              "a/x.json F 644 x1\\n\n"
              "a/y.json F 644 y1\\n\n"
              "b D 755\n"
              "b/c D 755\n"
              "b/c/z.sh F 644 z\\n\n"
              "e D 755\n"
              "e/only.json F 644 o\\n\n");
  expect_text("fresh write leaves no temporary directory", siblings(&c, at(&c, work, "fresh"), ""),
              "out\n");
  comp_free(&c);
}

static void test_rewrite(const char *work) {
  Compilation c;
  comp_init(&c);
  mkdir(at(&c, work, "rewrite"), 0755);
  char *out = at(&c, work, "rewrite/out");
  OutTree t1 = tree1(&c), t2 = tree2(&c);
  output_write(&c, &t1, out, NULL);
  unsigned long z = inode(at(&c, out, "b/c/z.sh")), x = inode(at(&c, out, "a/x.json"));
  put(at(&c, out, "README.md"), "mine\n");
  chmod(at(&c, out, "README.md"), 0600);
  mkdir(at(&c, out, "a/.terraform"), 0700);
  put(at(&c, out, "a/.terraform/x"), "plugin\n");
  chmod(at(&c, out, "a/.terraform/x"), 0755);
  symlink("x", at(&c, out, "a/.terraform/link"));
  mkdir(at(&c, out, "notes"), 0750);
  chmod(at(&c, out, "notes"), 0750);  // umask 077
  unsigned long plugin = inode(at(&c, out, "a/.terraform/x"));
  OutResult r = output_write(&c, &t2, at(&c, work, "rewrite/out/"), NULL);  // the same DIR
  result("rewrite returns OUT_OK", r == OUT_OK && c.nerrors == 0, diags(&c).ptr);
  expect_text("rewrite: changed and new files written, removed ones and their directory gone, "
              "user files, .terraform/, links, modes and empty directories kept",
              listing(&c, out, false), LISTING2);
  result("rewrite leaves the unchanged file and the user's files where they are (same inodes)",
         inode(at(&c, out, "b/c/z.sh")) == z && inode(at(&c, out, "a/.terraform/x")) == plugin,
         NULL);
  result("rewrite writes the changed file anew", inode(at(&c, out, "a/x.json")) != x, NULL);
  expect_text("rewrite leaves no temporary directory", siblings(&c, at(&c, work, "rewrite"), ""),
              "out\n");
  Str before = listing(&c, out, true);
  struct stat st1, st2;
  stat(out, &st1);
  OutTree t2b = tree2(&c);
  r = output_write(&c, &t2b, out, NULL);
  stat(out, &st2);
  result("rewriting the same tree returns OUT_OK", r == OUT_OK, diags(&c).ptr);
  expect_text("rewriting the same tree changes nothing, to the inode", listing(&c, out, true),
              before.ptr);
  result("rewriting the same tree writes nothing: DIR's modification time stays",
         st1.st_mtim.tv_sec == st2.st_mtim.tv_sec && st1.st_mtim.tv_nsec == st2.st_mtim.tv_nsec,
         NULL);
  put(at(&c, out, "a/x.json"), "hand-edited\n");
  chmod(at(&c, out, "b/c/z.sh"), 0755);
  OutTree t2c = tree2(&c);
  r = output_write(&c, &t2c, out, NULL);
  expect_text("a rebuild restores a hand-edited file and a changed mode", listing(&c, out, false),
              LISTING2);
  comp_free(&c);
}

// The previous build's file where this one has a directory: removed first.
static void test_file_to_dir(const char *work) {
  Compilation c;
  comp_init(&c);
  mkdir(at(&c, work, "todir"), 0755);
  char *out = at(&c, work, "todir/out");
  OutTree t1 = tree1(&c);
  output_write(&c, &t1, out, NULL);
  OutTree t = {0};
  add(&c, &t, "a/x.json", "x1\n");
  add(&c, &t, "e/only.json/inner.json", "i\n");
  OutResult r = output_write(&c, &t, out, NULL);
  result("a file of the previous build becomes a directory: OUT_OK", r == OUT_OK,
         diags(&c).ptr);
  expect_text("a file of the previous build becomes a directory: the tree",
              listing(&c, out, false),
              ".ecsc-manifest F 644 " HEADER "a/x.json\\ne/only.json/inner.json\\n\n"
              "a D 755\n"
              "a/x.json F 644 x1\\n\n"
              "e D 755\n"
              "e/only.json D 755\n"
              "e/only.json/inner.json F 644 i\\n\n");
  comp_free(&c);
}

// Nothing is written or removed outside DIR through a symbolic link, not by
// a build and not by a journal, however corrupt.
static void test_links(const char *work) {
  Compilation c;
  comp_init(&c);
  char *parent = at(&c, work, "links");
  mkdir(parent, 0755);
  char *out = at(&c, parent, "out");
  OutTree t1 = tree1(&c);
  output_write(&c, &t1, out, NULL);
  rename(at(&c, out, "e"), at(&c, parent, "outside"));
  symlink("../outside", at(&c, out, "e"));
  OutTree t2 = tree2(&c);
  OutResult r = output_write(&c, &t2, out, NULL);
  result("a build whose removed file is below a symbolic link: OUT_OK", r == OUT_OK,
         diags(&c).ptr);
  result("a build removes nothing through a symbolic link",
         access(at(&c, parent, "outside/only.json"), F_OK) == 0, NULL);

  put(at(&c, parent, "outside/victim"), "not ecsc's\n");
  mkdir(at(&c, out, ".ecsc-update"), 0700);
  put(at(&c, out, ".ecsc-update/0"), "pwned\n");
  put(at(&c, out, ".ecsc-update/journal"),
      "# ecsc: an update of this directory; the next build finishes it.\n"
      "del e/victim\nput 0 e/sub/pwned\nend\n");
  Compilation c2;
  comp_init(&c2);
  r = output_recover(&c2, out, NULL);
  result("a journal naming paths below a symbolic link is refused", r == OUT_FAILED,
         diags(&c2).ptr);
  result("a journal removes and writes nothing through a symbolic link",
         access(at(&c, parent, "outside/victim"), F_OK) == 0 &&
             access(at(&c, parent, "outside/sub"), F_OK) != 0,
         NULL);
  comp_free(&c2);
  remove(at(&c, out, ".ecsc-update/journal"));
  remove(at(&c, out, ".ecsc-update/0"));
  rmdir(at(&c, out, ".ecsc-update"));
  comp_free(&c);
}

// A failing build must leave every byte, mode and inode of DIR as it was.
static void expect_failure(const char *name, Compilation *c, OutTree *t, const char *out,
                           const char *parent, const char *says) {
  Str before = listing(c, out, true);
  Str sib = siblings(c, parent, "");
  OutResult r = output_write(c, t, out, NULL);
  Str d = diags(c);
  char what[512];
  snprintf(what, sizeof what, "%s: returns OUT_FAILED and reports \"%s\"", name, says);
  result(what, r == OUT_FAILED && c->nerrors > 0 && strstr(d.ptr, says), d.ptr);
  snprintf(what, sizeof what, "%s: the old tree is untouched", name);
  expect_text(what, listing(c, out, true), before.ptr);
  snprintf(what, sizeof what, "%s: no temporary directory is left", name);
  expect_text(what, siblings(c, parent, ""), sib.ptr);
}

static void test_failures(const char *work) {
  Compilation c;
  comp_init(&c);
  char *parent = at(&c, work, "fail");
  mkdir(parent, 0755);
  char *out = at(&c, parent, "out");
  if (!setup2(&c, out)) {
    result("failures: setup", false, diags(&c).ptr);
    return;
  }

  // A name longer than NAME_MAX, refused before anything is written.
  OutTree t = {0};
  char path[512], name[301];
  memset(name, 'n', 300);
  name[300] = 0;
  for (int i = 0; i < 1000; i++) {
    snprintf(path, sizeof path, "s%03d/main.tf.json", i);
    add(&c, &t, path, "{}\n");
  }
  snprintf(path, sizeof path, "s500/%s", name);
  add(&c, &t, path, "{}\n");
  expect_failure("a name too long", &c, &t, out, parent, "longer than NAME_MAX");

  // Fails after 500 files are staged: the file system refuses the next
  // (RLIMIT_FSIZE stands in for a full disk).
  Compilation c1;
  comp_init(&c1);
  OutTree t1 = {0};
  static char big_data[8192];
  memset(big_data, 'x', sizeof big_data - 2);
  big_data[sizeof big_data - 2] = '\n';
  for (int i = 0; i < 1000; i++) {
    snprintf(path, sizeof path, "s%03d/main.tf.json", i);
    add(&c1, &t1, path, i == 500 ? big_data : "{}\n");
  }
  struct rlimit was;
  getrlimit(RLIMIT_FSIZE, &was);
  signal(SIGXFSZ, SIG_IGN);
  setrlimit(RLIMIT_FSIZE, &(struct rlimit){4096, was.rlim_max});
  expect_failure("failure midway (a full disk)", &c1, &t1, out, parent, "file too large");
  Compilation c1b;
  comp_init(&c1b);
  OutTree t1b = {0};
  for (int i = 0; i < 1000; i++) {
    snprintf(path, sizeof path, "s%03d/main.tf.json", i);
    add(&c1b, &t1b, path, i == 500 ? big_data : "{}\n");
  }
  expect_failure("a new DIR, failure midway (a full disk)", &c1b, &t1b, at(&c1b, parent, "new"),
                 parent, "file too large");
  result("a new DIR, failure midway: no DIR", access(at(&c1b, parent, "new"), F_OK) != 0, NULL);
  comp_free(&c1b);
  setrlimit(RLIMIT_FSIZE, &was);
  signal(SIGXFSZ, SIG_DFL);
  comp_free(&c1);

  Compilation c2;
  comp_init(&c2);
  put(at(&c2, out, "blocker"), "user's\n");
  OutTree t2 = tree2(&c2);
  add(&c2, &t2, "blocker/x.json", "{}\n");
  expect_failure("a user's file where ecsc needs a directory", &c2, &t2, out, parent,
                 "out/blocker: error[E0009]: a file not written by ecsc is in the way");
  unlink(at(&c2, out, "blocker"));
  comp_free(&c2);

  Compilation c3;
  comp_init(&c3);
  mkdir(at(&c3, out, "udir"), 0755);
  put(at(&c3, out, "udir/f"), "user's\n");
  OutTree t3 = tree2(&c3);
  add(&c3, &t3, "udir", "{}\n");
  expect_failure("a user's directory where ecsc writes a file", &c3, &t3, out, parent,
                 "out/udir: error[E0009]: a directory not written by ecsc is in the way");
  comp_free(&c3);

  Compilation c5b;
  comp_init(&c5b);
  OutTree t5b = tree2(&c5b);
  add(&c5b, &t5b, "README.md", "ecsc's readme\n");
  expect_failure("a user's file where ecsc now writes one", &c5b, &t5b, out, parent,
                 "out/README.md: error[E0009]: a file not written by ecsc is in the way");
  comp_free(&c5b);

  Compilation c6;
  comp_init(&c6);
  mkdir(at(&c6, parent, "elsewhere"), 0755);
  rename(at(&c6, out, "d"), at(&c6, parent, "elsewhere/d"));
  symlink("../elsewhere/d", at(&c6, out, "d"));
  OutTree t6 = tree2(&c6);
  add(&c6, &t6, "d/v.json", "v\n");
  expect_failure("a symbolic link where ecsc has a directory", &c6, &t6, out, parent,
                 "out/d: error[E0009]: a symbolic link not written by ecsc is in the way");
  unlink(at(&c6, out, "d"));
  rename(at(&c6, parent, "elsewhere/d"), at(&c6, out, "d"));
  rmdir(at(&c6, parent, "elsewhere"));
  comp_free(&c6);

  if (geteuid() != 0) {  // root writes into read-only directories
    Compilation c7;
    comp_init(&c7);
    chmod(at(&c7, out, "b/c"), 0555);
    OutTree t7 = tree2(&c7);
    add(&c7, &t7, "b/c/new.sh", "new\n");
    expect_failure("a read-only directory is found before anything changes", &c7, &t7, out, parent,
                   "out/b/c: error[E0008]: cannot write in directory: permission denied");
    chmod(at(&c7, out, "b/c"), 0755);
    comp_free(&c7);
  }

  Compilation c4;
  comp_init(&c4);
  char *file = at(&c4, parent, "file");
  put(file, "not a directory\n");
  Str before = listing(&c4, parent, true);
  OutTree t4 = tree1(&c4);
  OutResult r = output_write(&c4, &t4, file, NULL);
  result("DIR that is a file is refused",
         r == OUT_FAILED && strstr(diags(&c4).ptr, "output path is not a directory"),
         diags(&c4).ptr);
  expect_text("DIR that is a file is left as it was", listing(&c4, parent, true), before.ptr);
  comp_free(&c4);

  Compilation c5;
  comp_init(&c5);
  OutTree t5 = tree1(&c5);
  // Missing parents are made, as mkdir -p makes them.
  r = output_write(&c5, &t5, at(&c5, work, "no/such/parent/out"), NULL);
  result("missing parents are made", r == OUT_OK, diags(&c5).ptr);
  comp_free(&c5);
  comp_free(&c);
}

static void test_refused(const char *work) {
  static const char *const bad[][3] = {
      {"../evil", "contains . or .."},
      {"a/../../evil", "contains . or .."},
      {"/tmp/evil", "absolute"},
      {"a/./b", "contains . or .."},
      {"a//b", "empty component"},
      {"a/", "empty component"},
      {"", "empty"},
      {".ecsc-manifest", "manifest's"},
      {".ecsc-manifest/x", "manifest's"},
      {"#x.json", "starts with #"},
      {".ecsc-update/0", "scratch"},
      {"a\nb", "line break", "a\\nb"},
  };
  for (int i = 0; i < countof(bad); i++) {
    Compilation c;
    comp_init(&c);
    char *parent = at(&c, work, "refused");
    mkdir(parent, 0755);
    OutTree t = tree1(&c);
    add(&c, &t, bad[i][0], "evil\n");
    OutResult r = output_write(&c, &t, at(&c, parent, "out"), NULL);
    OutResult rc = output_check(&c, &t, at(&c, parent, "out"), NULL, &(Buf){.arena = &c.arena});
    char name[128];
    const char *shown = bad[i][2] ? bad[i][2] : bad[i][0];
    snprintf(name, sizeof name, "path \"%s\" is refused (%s) by write and check", shown,
             bad[i][1]);
    result(name, r == OUT_FAILED && rc == OUT_FAILED && strstr(diags(&c).ptr, bad[i][1]),
           diags(&c).ptr);
    snprintf(name, sizeof name, "path \"%s\": nothing is written", shown);
    expect_text(name, siblings(&c, parent, ""), "");
    comp_free(&c);
  }
  Compilation c;
  comp_init(&c);
  OutTree t = tree1(&c);
  add(&c, &t, "a/x.json", "again\n");
  add(&c, &t, "b/c", "file and directory\n");
  OutResult r = output_write(&c, &t, at(&c, work, "refused/out"), NULL);
  result("duplicate paths and a file that is also a directory are refused", r == OUT_FAILED,
         NULL);
  expect_text("duplicate paths and a file that is also a directory: the diagnostics", diags(&c),
              str_fmt(&c.arena, "%s/refused/out: error[E0011]: refusing to write \"a/x.json\": the path is "
              "written twice\n"
              "%s/refused/out: error[E0011]: refusing to write \"b/c\": \"b/c/z.sh\" needs it "
              "as a directory\n", work, work).ptr);
  expect_text("duplicate paths: nothing is written", siblings(&c, at(&c, work, "refused"), ""),
              "");
  comp_free(&c);
}

static void test_check(const char *work) {
  Compilation c;
  comp_init(&c);
  char *parent = at(&c, work, "check");
  mkdir(parent, 0755);
  char *out = at(&c, parent, "out");
  if (!setup2(&c, out)) {
    result("check: setup", false, diags(&c).ptr);
    return;
  }
  put(at(&c, out, "a/user-notes.txt"), "not in the manifest: the user's\n");
  OutTree t = tree2(&c);
  Buf report = {.arena = &c.arena};
  OutResult r = output_check(&c, &t, out, NULL, &report);
  result("check of a fresh build: OUT_OK", r == OUT_OK && c.nerrors == 0, diags(&c).ptr);
  expect_text("check of a fresh build: nothing to report (user files ignored)", buf_str(&report),
              "");

  put(at(&c, out, "a/x.json"), "edited\n");
  report = (Buf){.arena = &c.arena};
  r = output_check(&c, &t, out, NULL, &report);
  result("check of a modified tree: OUT_DIFFERS", r == OUT_DIFFERS, NULL);
  expect_text("check of a modified tree: the report", buf_str(&report), "differs: a/x.json\n");
  put(at(&c, out, "a/x.json"), "x2\n");

  OutTree fewer = {0};
  add(&c, &fewer, "a/x.json", "x2\n");
  add(&c, &fewer, "b/c/z.sh", "z\n");
  report = (Buf){.arena = &c.arena};
  r = output_check(&c, &fewer, out, NULL, &report);
  result("check with an extra file: OUT_DIFFERS", r == OUT_DIFFERS, NULL);
  expect_text("check with an extra file: the report", buf_str(&report),
              "differs: .ecsc-manifest\nextra: d/w.json\n");

  OutTree more = tree2(&c);
  add(&c, &more, "a/new.json", "{}\n");
  add(&c, &more, "zz/last.json", "{}\n");
  put(at(&c, out, "b/c/z.sh"), "edited\n");
  report = (Buf){.arena = &c.arena};
  r = output_check(&c, &more, out, NULL, &report);
  result("check with missing files: OUT_DIFFERS", r == OUT_DIFFERS, NULL);
  expect_text("check with missing files: the report, sorted by path", buf_str(&report),
              "differs: .ecsc-manifest\nmissing: a/new.json\ndiffers: b/c/z.sh\n"
              "missing: zz/last.json\n");
  put(at(&c, out, "b/c/z.sh"), "z\n");

  chmod(at(&c, out, "a/x.json"), 0755);
  report = (Buf){.arena = &c.arena};
  output_check(&c, &t, out, NULL, &report);
  expect_text("check: a file of another mode differs (a build would rewrite it)",
              buf_str(&report), "differs: a/x.json\n");
  chmod(at(&c, out, "a/x.json"), 0644);

  unlink(at(&c, out, "a/x.json"));
  symlink("../b/c/z.sh", at(&c, out, "a/x.json"));
  report = (Buf){.arena = &c.arena};
  output_check(&c, &t, out, NULL, &report);
  expect_text("check: a symbolic link where a file belongs differs", buf_str(&report),
              "differs: a/x.json\n");
  unlink(at(&c, out, "a/x.json"));
  put(at(&c, out, "a/x.json"), "x2\n");
  chmod(at(&c, out, "a/x.json"), 0644);

  Str before = listing(&c, parent, true);
  report = (Buf){.arena = &c.arena};
  r = output_check(&c, &t, out, NULL, &report);
  result("check after restoring the files: OUT_OK", r == OUT_OK && buf_str(&report).len == 0,
         buf_str(&report).ptr);
  report = (Buf){.arena = &c.arena};
  r = output_check(&c, &fewer, out, NULL, &report);
  report = (Buf){.arena = &c.arena};
  r = output_check(&c, &t, at(&c, parent, "none"), NULL, &report);
  result("check of a missing DIR: OUT_DIFFERS", r == OUT_DIFFERS, diags(&c).ptr);
  expect_text("check of a missing DIR: every file missing", buf_str(&report),
              "missing: .ecsc-manifest\nmissing: a/x.json\nmissing: b/c/z.sh\n"
              "missing: d/w.json\n");
  expect_text("check writes nothing", listing(&c, parent, true), before.ptr);
  comp_free(&c);
}

static void test_tidy(const char *work) {
  Compilation c;
  comp_init(&c);
  char *parent = at(&c, work, "tidy");
  mkdir(parent, 0755);
  char *out = at(&c, parent, "out");
  if (!setup2(&c, out)) {
    result("tidy: setup", false, diags(&c).ptr);
    return;
  }
  mkdir(at(&c, parent, "out.ecsc-new-AAAAAA"), 0700);
  mkdir(at(&c, parent, "out.ecsc-new-AAAAAA/deep"), 0700);
  put(at(&c, parent, "out.ecsc-new-AAAAAA/deep/junk"), "half a new tree\n");
  mkdir(at(&c, parent, "other.ecsc-new-CCCCCC"), 0700);
  mkdir(at(&c, out, ".ecsc-update"), 0700);
  put(at(&c, out, ".ecsc-update/0"), "staged, never committed\n");
  OutTree t = tree2(&c);
  OutResult r = output_write(&c, &t, out, NULL);
  result("a build removes a stale DIR.ecsc-new-* and an uncommitted update", r == OUT_OK,
         diags(&c).ptr);
  expect_text("a build removes only its own DIR's leftovers", siblings(&c, parent, ""),
              "other.ecsc-new-CCCCCC\nout\n");
  expect_text("a build with leftovers writes the tree", listing(&c, out, false), LISTING2);

  // A kill after the commit: the journal says what is left to do, some of
  // it done already (staged file 1 is gone: renamed into place).
  mkdir(at(&c, out, ".ecsc-update"), 0700);
  put(at(&c, out, ".ecsc-update/0"), "x3\n");
  put(at(&c, out, ".ecsc-update/2"), HEADER_TEXT "a/x.json\nb/c/z.sh\nnew/n.json\n");
  chmod(at(&c, out, ".ecsc-update/0"), 0644);
  chmod(at(&c, out, ".ecsc-update/2"), 0644);
  mkdir(at(&c, out, "new"), 0755);
  chmod(at(&c, out, "new"), 0755);
  put(at(&c, out, "new/n.json"), "n\n");
  chmod(at(&c, out, "new/n.json"), 0644);
  put(at(&c, out, ".ecsc-update/journal"),
      "# ecsc: an update of this directory; the next build finishes it.\n"
      "del d/w.json\n"
      "put 0 a/x.json\n"
      "put 1 new/n.json\n"
      "put 2 .ecsc-manifest\n"
      "end\n");
  Buf report = {.arena = &c.arena};
  r = output_check(&c, &t, out, NULL, &report);
  expect_text("check reports an update a kill left unfinished", buf_str(&report),
              "unfinished: .ecsc-update/journal\n");
  r = output_recover(&c, out, NULL);
  result("recovery returns OUT_OK", r == OUT_OK, diags(&c).ptr);
  expect_text("recovery finishes the journal: removed, renamed, the manifest last",
              listing(&c, out, false),
              ".ecsc-manifest F 644 " HEADER "a/x.json\\nb/c/z.sh\\nnew/n.json\\n\n"
              "README.md F 600 mine\\n\n"
              "a D 755\n"
              "a/.terraform D 700\n"
              "a/.terraform/link L x\n"
              "a/.terraform/x F 755 plugin\\n\n"
              "a/x.json F 644 x3\\n\n"
              "b D 755\n"
              "b/c D 755\n"
              "b/c/z.sh F 644 z\\n\n"
              "new D 755\n"
              "new/n.json F 644 n\\n\n"
              "notes D 750\n");

  // A journal with a line no build writes is refused, not guessed at.
  mkdir(at(&c, out, ".ecsc-update"), 0700);
  put(at(&c, out, ".ecsc-update/journal"),
      "# ecsc: an update of this directory; the next build finishes it.\n"
      "del ../../etc/passwd\nend\n");
  Compilation c2;
  comp_init(&c2);
  r = output_recover(&c2, out, NULL);
  result("a journal naming a path outside DIR is refused",
         r == OUT_FAILED && strstr(diags(&c2).ptr, "error[E0702]"), diags(&c2).ptr);
  comp_free(&c2);
  remove(at(&c, out, ".ecsc-update/journal"));
  rmdir(at(&c, out, ".ecsc-update"));
  comp_free(&c);
}

static void test_symlink(const char *work) {
  Compilation c;
  comp_init(&c);
  char *parent = at(&c, work, "link");
  mkdir(parent, 0755);
  mkdir(at(&c, parent, "real"), 0755);
  chmod(at(&c, parent, "real"), 0755);  // umask 077
  put(at(&c, parent, "real/keep.txt"), "kept\n");
  chmod(at(&c, parent, "real/keep.txt"), 0644);
  symlink("real", at(&c, parent, "out"));
  OutTree t = tree2(&c);
  OutResult r = output_write(&c, &t, at(&c, parent, "out"), NULL);
  result("DIR that is a symbolic link: OUT_OK", r == OUT_OK, diags(&c).ptr);
  expect_text("DIR that is a symbolic link: the directory it names is replaced, the link stays",
              listing(&c, parent, false),
              "out L real\n"
              "real D 755\n"
              "real/.ecsc-manifest F 644 " HEADER "a/x.json\\nb/c/z.sh\\nd/w.json\\n\n"
              "real/a D 755\n"
              "real/a/x.json F 644 x2\\n\n"
              "real/b D 755\n"
              "real/b/c D 755\n"
              "real/b/c/z.sh F 644 z\\n\n"
              "real/d D 755\n"
              "real/d/w.json F 644 w\\n\n"
              "real/keep.txt F 644 kept\\n\n");
  comp_free(&c);
}

//
// State directories: replaced whole, the user's files carried over
//

// A platform: prod's VPC state, services api, gone and bare, stage's web.
static OutTree states1(Compilation *c) {
  OutTree t = {0};
  add(c, &t, "prod/vpc/main.tf.json", "vpc1\n");
  add(c, &t, "prod/vpc/user_data.sh", "ud1\n");
  add(c, &t, "prod/services/api/main.tf.json", "api1\n");
  add(c, &t, "prod/services/api/task-definition.json", "td1\n");
  add(c, &t, "prod/services/gone/main.tf.json", "gone1\n");
  add(c, &t, "prod/services/gone/task-definition.json", "gone-td1\n");
  add(c, &t, "prod/services/bare/main.tf.json", "bare1\n");
  add(c, &t, "stage/services/web/main.tf.json", "web1\n");
  add(c, &t, "stage/services/web/old.json", "old1\n");
  return t;
}

// states1 with api's two files changed, gone and bare removed, new added,
// web's old.json replaced by extra.json; the VPC state unchanged.
static OutTree states2(Compilation *c) {
  OutTree t = {0};
  add(c, &t, "prod/vpc/main.tf.json", "vpc1\n");
  add(c, &t, "prod/vpc/user_data.sh", "ud1\n");
  add(c, &t, "prod/services/api/main.tf.json", "api2\n");
  add(c, &t, "prod/services/api/task-definition.json", "td2\n");
  add(c, &t, "prod/services/new/main.tf.json", "new2\n");
  add(c, &t, "prod/services/new/task-definition.json", "new-td2\n");
  add(c, &t, "stage/services/web/main.tf.json", "web1\n");
  add(c, &t, "stage/services/web/extra.json", "extra2\n");
  return t;
}

static const char *const STATES[] = {
    "prod/vpc", "prod/services/api", "prod/services/gone", "prod/services/bare",
    "prod/services/new", "stage/services/web",
};

// What terraform init, an editor and a user leave in state directories.
static void user_files(Compilation *c, const char *out) {
  char *api = at(c, out, "prod/services/api");
  chmod(api, 0750);
  mkdir(at(c, api, ".terraform"), 0700);
  chmod(at(c, api, ".terraform"), 0700);
  mkdir(at(c, api, ".terraform/providers"), 0755);
  chmod(at(c, api, ".terraform/providers"), 0755);
  put(at(c, api, ".terraform/providers/terraform-provider-aws"), "plugin\n");
  chmod(at(c, api, ".terraform/providers/terraform-provider-aws"), 0755);
  symlink("providers/terraform-provider-aws", at(c, api, ".terraform/current"));
  put(at(c, api, ".terraform/terraform.tfstate"), "{\"backend\": \"s3\"}\n");
  put(at(c, api, ".terraform.lock.hcl"), "# lock\n");
  chmod(at(c, api, ".terraform.lock.hcl"), 0644);
  put(at(c, api, "README.md"), "api notes\n");
  chmod(at(c, api, "README.md"), 0600);
  put(at(c, api, "terraform.tfstate.backup"), "{}\n");
  mkfifo(at(c, api, "pipe"), 0600);
  char *gone = at(c, out, "prod/services/gone");
  mkdir(at(c, gone, ".terraform"), 0700);
  put(at(c, gone, ".terraform/x"), "x\n");
  put(at(c, gone, "README.md"), "gone notes\n");
  put(at(c, out, "prod/vpc/README.md"), "vpc notes\n");
}

// A state directory: its mode, then one line per entry. Empty or missing,
// it is "": a removed state's directory goes once it is empty.
static Str state_listing(Compilation *c, const char *out, const char *state) {
  char *dir = at(c, out, state);
  struct stat st;
  if (lstat(dir, &st) != 0)
    return STR("");
  Buf b = {.arena = &c->arena};
  listing_at(&b, dir, "", false);
  return b.len ? str_fmt(&c->arena, "%o\n%.*s", (unsigned)(st.st_mode & 07777), S(buf_str(&b)))
               : STR("");
}

// The user's entries of api, with their inodes.
static Str api_user_inodes(Compilation *c, const char *out) {
  static const char *const names[] = {
      ".terraform/providers/terraform-provider-aws", ".terraform/current",
      ".terraform/terraform.tfstate", ".terraform.lock.hcl", "README.md",
      "terraform.tfstate.backup", "pipe"};
  Buf b = {.arena = &c->arena};
  for (int i = 0; i < countof(names); i++)
    buf_printf(&b, "%s #%lu\n", names[i], inode(at(c, at(c, out, "prod/services/api"), names[i])));
  return buf_str(&b);
}

static const char *STATES2_LISTING =
    ".ecsc-manifest F 644 " HEADER
    "prod/services/api/main.tf.json\\nprod/services/api/task-definition.json\\n"
    "prod/services/new/main.tf.json\\nprod/services/new/task-definition.json\\n"
    "prod/vpc/main.tf.json\\nprod/vpc/user_data.sh\\nstage/services/web/extra.json\\n"
    "stage/services/web/main.tf.json\\n\n"
    "prod D 755\n"
    "prod/services D 755\n"
    "prod/services/api D 750\n"
    "prod/services/api/.terraform D 700\n"
    "prod/services/api/.terraform/current L providers/terraform-provider-aws\n"
    "prod/services/api/.terraform/providers D 755\n"
    "prod/services/api/.terraform/providers/terraform-provider-aws F 755 plugin\\n\n"
    "prod/services/api/.terraform/terraform.tfstate F 600 {\"backend\": \"s3\"}\\n\n"
    "prod/services/api/.terraform.lock.hcl F 644 # lock\\n\n"
    "prod/services/api/README.md F 600 api notes\\n\n"
    "prod/services/api/main.tf.json F 644 api2\\n\n"
    "prod/services/api/pipe P 600\n"
    "prod/services/api/task-definition.json F 644 td2\\n\n"
    "prod/services/api/terraform.tfstate.backup F 600 {}\\n\n"
    "prod/services/gone D 755\n"
    "prod/services/gone/.terraform D 700\n"
    "prod/services/gone/.terraform/x F 600 x\\n\n"
    "prod/services/gone/README.md F 600 gone notes\\n\n"
    "prod/services/new D 755\n"
    "prod/services/new/main.tf.json F 644 new2\\n\n"
    "prod/services/new/task-definition.json F 644 new-td2\\n\n"
    "prod/vpc D 755\n"
    "prod/vpc/README.md F 600 vpc notes\\n\n"
    "prod/vpc/main.tf.json F 644 vpc1\\n\n"
    "prod/vpc/user_data.sh F 644 ud1\\n\n"
    "stage D 755\n"
    "stage/services D 755\n"
    "stage/services/web D 755\n"
    "stage/services/web/extra.json F 644 extra2\\n\n"
    "stage/services/web/main.tf.json F 644 web1\\n\n";

// states1 written, the user's files added: where the cases below start.
static bool setup_states(Compilation *c, const char *out) {
  OutTree t1 = states1(c);
  if (output_write(c, &t1, out, NULL) != OUT_OK)
    return false;
  user_files(c, out);
  return true;
}

static void test_states(const char *work) {
  Compilation c;
  comp_init(&c);
  mkdir(at(&c, work, "states"), 0755);
  char *out = at(&c, work, "states/out");
  if (!setup_states(&c, out)) {
    result("states: setup", false, diags(&c).ptr);
    return;
  }
  Str users = api_user_inodes(&c, out);
  unsigned long api = inode(at(&c, out, "prod/services/api"));
  unsigned long vpc = inode(at(&c, out, "prod/vpc"));
  unsigned long vpc_file = inode(at(&c, out, "prod/vpc/main.tf.json"));
  OutTree t2 = states2(&c);
  Changes changes = {.arena = &c.arena};
  OutResult r = output_write(&c, &t2, out, &(OutOptions){.changes = &changes});
  result("states: an update returns OUT_OK", r == OUT_OK && c.nerrors == 0, diags(&c).ptr);
  expect_text("states: changed states replaced, removed ones gone but for the user's files, "
              "the user's files (.terraform/, lock file, README, backups, a fifo, modes) kept",
              listing(&c, out, false), STATES2_LISTING);
  expect_text("states: the user's files are the same inodes (carried over as hard links)",
              api_user_inodes(&c, out), users.ptr);
  result("states: a changed state directory is a new one (it was swapped whole)",
         inode(at(&c, out, "prod/services/api")) != api, NULL);
  result("states: an unchanged state is not touched (same inodes)",
         inode(at(&c, out, "prod/vpc")) == vpc &&
             inode(at(&c, out, "prod/vpc/main.tf.json")) == vpc_file,
         NULL);
  expect_text("states: nothing is left in DIR's scratch", siblings(&c, out, ".ecsc-"),
              ".ecsc-manifest\n");
  expect_text("states: the states it changed", emit_changes_json(&c.arena, NULL, &changes),
              "{\n"
              "  \"version\": 1,\n"
              "  \"states\": [\n"
              "    {\n"
              "      \"path\": \"prod/services/api\",\n"
              "      \"environment\": \"prod\",\n"
              "      \"kind\": \"service\",\n"
              "      \"service\": \"api\",\n"
              "      \"change\": \"changed\",\n"
              "      \"depends_on\": [\n"
              "        \"prod/vpc\"\n"
              "      ]\n"
              "    },\n"
              "    {\n"
              "      \"path\": \"prod/services/new\",\n"
              "      \"environment\": \"prod\",\n"
              "      \"kind\": \"service\",\n"
              "      \"service\": \"new\",\n"
              "      \"change\": \"added\",\n"
              "      \"depends_on\": [\n"
              "        \"prod/vpc\"\n"
              "      ]\n"
              "    },\n"
              "    {\n"
              "      \"path\": \"stage/services/web\",\n"
              "      \"environment\": \"stage\",\n"
              "      \"kind\": \"service\",\n"
              "      \"service\": \"web\",\n"
              "      \"change\": \"changed\",\n"
              "      \"depends_on\": [\n"
              "        \"stage/vpc\"\n"
              "      ]\n"
              "    },\n"
              "    {\n"
              "      \"path\": \"prod/services/bare\",\n"
              "      \"environment\": \"prod\",\n"
              "      \"kind\": \"service\",\n"
              "      \"service\": \"bare\",\n"
              "      \"change\": \"removed\",\n"
              "      \"depends_on\": [\n"
              "        \"prod/vpc\",\n"
              "        \"prod/services/new\"\n"
              "      ]\n"
              "    },\n"
              "    {\n"
              "      \"path\": \"prod/services/gone\",\n"
              "      \"environment\": \"prod\",\n"
              "      \"kind\": \"service\",\n"
              "      \"service\": \"gone\",\n"
              "      \"change\": \"removed\",\n"
              "      \"depends_on\": [\n"
              "        \"prod/vpc\",\n"
              "        \"prod/services/new\"\n"
              "      ]\n"
              "    }\n"
              "  ]\n"
              "}\n");
  // And back: new and web change again, api's user files come along again.
  OutTree t1 = states1(&c);
  r = output_write(&c, &t1, out, NULL);
  result("states: and back to the first tree", r == OUT_OK, diags(&c).ptr);
  expect_text("states: the user's files are still the same inodes", api_user_inodes(&c, out),
              users.ptr);
  expect_text("states: gone has its files again, beside the user's",
              state_listing(&c, out, "prod/services/gone"),
              "755\n"
              ".terraform D 700\n"
              ".terraform/x F 600 x\\n\n"
              "README.md F 600 gone notes\\n\n"
              "main.tf.json F 644 gone1\\n\n"
              "task-definition.json F 644 gone-td1\\n\n");
  comp_free(&c);
}

// Where the file system cannot exchange directories, the update renames
// file by file, and ends in the same tree.
static void test_states_no_exchange(const char *work) {
  Compilation c;
  comp_init(&c);
  mkdir(at(&c, work, "noexchange"), 0755);
  char *out = at(&c, work, "noexchange/out");
  if (!setup_states(&c, out)) {
    result("no exchange: setup", false, diags(&c).ptr);
    return;
  }
  Str users = api_user_inodes(&c, out);
  journal_no_exchange = true;
  OutTree t2 = states2(&c);
  OutResult r = output_write(&c, &t2, out, NULL);
  journal_no_exchange = false;
  result("no exchange: an update file by file returns OUT_OK", r == OUT_OK, diags(&c).ptr);
  expect_text("no exchange: the same tree, the user's files kept", listing(&c, out, false),
              STATES2_LISTING);
  expect_text("no exchange: the user's files are where they were", api_user_inodes(&c, out),
              users.ptr);
  comp_free(&c);
}

// The manifest on disk names every file of ecsc's in DIR (the next build
// must know its own files whatever moment a kill came at): "" when it does.
static Str unnamed_files(Compilation *c, const char *out) {
  OutTree t1 = states1(c), t2 = states2(c);
  Str manifest = {0};
  FILE *f = fopen(at(c, out, ".ecsc-manifest"), "rb");
  Buf m = {.arena = &c->arena};
  int ch;
  while (f && (ch = getc(f)) != EOF)
    buf_putc(&m, (char)ch);
  if (f)
    fclose(f);
  manifest = buf_str(&m);
  Buf missing = {.arena = &c->arena};
  for (int k = 0; k < 2; k++) {
    OutTree *t = k ? &t2 : &t1;
    for (ptrdiff_t i = 0; i < t->len; i++) {
      Str line = str_fmt(&c->arena, "\n%.*s\n", S(t->items[i].path));
      bool named = false;
      for (ptrdiff_t p = 0; !named && p + line.len <= manifest.len; p++)
        named = memcmp(manifest.ptr + p, line.ptr, (size_t)line.len) == 0;
      if (!named && access(at(c, out, str_cstr(&c->arena, t->items[i].path)), F_OK) == 0)
        buf_printf(&missing, "%.*s ", S(t->items[i].path));
    }
  }
  return buf_str(&missing);
}

// A kill at every step of an update: before anything recovers, each state
// directory is its old self or its new self, the user's files included,
// and the manifest names every file of ecsc's; recovery then gives the new
// tree.
static void test_kill_points(const char *work, bool exchange) {
  Compilation c;
  comp_init(&c);
  char *base = at(&c, work, exchange ? "killpoints" : "killpoints-noexchange");
  mkdir(base, 0755);
  // The old and new listing of every state, from an update not killed.
  char *ref = at(&c, base, "ref");
  if (!setup_states(&c, ref)) {
    result("kill points: setup", false, diags(&c).ptr);
    return;
  }
  Str old[countof(STATES)], now[countof(STATES)];
  for (int i = 0; i < countof(STATES); i++)
    old[i] = state_listing(&c, ref, STATES[i]);
  OutTree t2 = states2(&c);
  output_write(&c, &t2, ref, NULL);
  for (int i = 0; i < countof(STATES); i++)
    now[i] = state_listing(&c, ref, STATES[i]);
  Str final = listing(&c, ref, false);

  journal_no_exchange = !exchange;
  int points = 0;
  Buf bad = {.arena = &c.arena};
  for (long k = 1; k < 200; k++) {
    Compilation c2;
    comp_init(&c2);
    char *out = at(&c2, base, str_cstr(&c2.arena, str_fmt(&c2.arena, "at-%ld", k)));
    setup_states(&c2, out);
    OutTree t = states2(&c2);
    journal_stop_at = k;
    OutResult r = output_write(&c2, &t, out, NULL);
    journal_stop_at = 0;
    if (r == OUT_OK) {  // no step k: every point was tried
      comp_free(&c2);
      break;
    }
    points++;
    for (int i = 0; exchange && i < countof(STATES); i++) {
      Str got = state_listing(&c2, out, STATES[i]);
      if (!str_eq(got, old[i]) && !str_eq(got, now[i]))
        buf_printf(&bad, "step %ld: %s is neither old nor new:\n%.*s\n", k, STATES[i], S(got));
    }
    Str unnamed = unnamed_files(&c2, out);
    if (unnamed.len)
      buf_printf(&bad, "step %ld: the manifest does not name %.*s\n", k, S(unnamed));
    Compilation c3;
    comp_init(&c3);
    if (output_recover(&c3, out, NULL) != OUT_OK)
      buf_printf(&bad, "step %ld: recovery failed: %s\n", k, diags(&c3).ptr);
    else if (!str_eq(listing(&c3, out, false), final))
      buf_printf(&bad, "step %ld: recovery gives another tree:\n%s\n", k,
                 listing(&c3, out, false).ptr);
    comp_free(&c3);
    comp_free(&c2);
  }
  journal_no_exchange = false;
  char name[400];
  snprintf(name, sizeof name,
           "%s: a kill at each of the %d steps of an update leaves %s, and recovery the new tree",
           exchange ? "kill points" : "kill points, no exchange", points,
           exchange ? "every state directory old or new (the user's files in it) and every file "
                      "of ecsc's in the manifest"
                    : "every file of ecsc's in the manifest");
  result(name, bad.len == 0 && points > 10, buf_str(&bad).ptr);
  comp_free(&c);
}

// The states of a killed update are named by the build that finishes it,
// and by --check before it does.
static void test_changed_after_kill(const char *work) {
  Compilation c;
  comp_init(&c);
  mkdir(at(&c, work, "changedkill"), 0755);
  char *out = at(&c, work, "changedkill/out");
  setup_states(&c, out);
  OutTree t2 = states2(&c);
  journal_stop_at = 6;  // some states swapped, some not
  output_write(&c, &t2, out, NULL);
  journal_stop_at = 0;
  Changes checked = {.arena = &c.arena}, built = {.arena = &c.arena};
  Buf report = {.arena = &c.arena};
  OutTree t2b = states2(&c), t2c = states2(&c);
  OutResult r = output_check(&c, &t2b, out, &(OutOptions){.changes = &checked}, &report);
  result("changed after a kill: check names the unfinished update", r == OUT_DIFFERS, NULL);
  Str all = STR("added prod/services/new\nchanged prod/services/api\nchanged stage/services/web\n"
                "removed prod/services/bare\nremoved prod/services/gone\n");
  Str names[2];
  for (int k = 0; k < 2; k++) {
    Changes *ch = k ? &built : &checked;
    if (k)
      r = output_write(&c, &t2c, out, &(OutOptions){.changes = ch});
    Str json = emit_changes_json(&c.arena, NULL, ch);
    Buf b = {.arena = &c.arena};
    static const char *const kinds[] = {"added", "changed", "removed"};
    for (int kind = 0; kind < 3; kind++)
      for (const char *p = json.ptr; (p = strstr(p, "\"path\": \"")); p++) {
        const char *q = p + 9, *e = strchr(q, '"');
        const char *chg = strstr(p, "\"change\": \"") + 11;
        if (strncmp(chg, kinds[kind], strlen(kinds[kind])) == 0)
          buf_printf(&b, "%s %.*s\n", kinds[kind], (int)(e - q), q);
      }
    names[k] = buf_str(&b);
  }
  expect_text("changed after a kill: --check names every state of the unfinished update",
              names[0], all.ptr);
  expect_text("changed after a kill: the build that finishes it names them all", names[1],
              all.ptr);
  result("changed after a kill: the build finishes", r == OUT_OK, diags(&c).ptr);
  comp_free(&c);
}

// A journal ecsc cannot finish: the build stops before changing anything
// and says what to do; --discard-journal sets it aside and builds.
static void damaged_case(const char *work, const char *name, const char *journal,
                         const char *says) {
  Compilation c;
  comp_init(&c);
  char *parent = at(&c, work, str_cstr(&c.arena, str_fmt(&c.arena, "damaged-%s", name)));
  mkdir(parent, 0755);
  char *out = at(&c, parent, "out");
  setup_states(&c, out);
  mkdir(at(&c, out, ".ecsc-update"), 0700);
  put(at(&c, out, ".ecsc-update/0"), "staged\n");
  put(at(&c, out, ".ecsc-update/journal"), journal);
  Str before = listing(&c, out, true);
  OutTree t2 = states2(&c);
  OutResult r = output_write(&c, &t2, out, NULL);
  char what[300];
  snprintf(what, sizeof what, "%s: the build stops, with what to do", name);
  expect_text(what, diags(&c), str_fmt(&c.arena, says, out, out).ptr);
  snprintf(what, sizeof what, "%s: DIR is left as it is", name);
  result(what, r == OUT_FAILED && str_eq(listing(&c, out, true), before), NULL);

  Compilation c2;
  comp_init(&c2);
  OutTree t2b = states2(&c2);
  r = output_write(&c2, &t2b, out, &(OutOptions){.discard_journal = true});
  snprintf(what, sizeof what, "%s: --discard-journal sets the update aside and builds", name);
  expect_text(what, diags(&c2),
              str_fmt(&c2.arena,
                      "%s/.ecsc-discarded-1: note[N0704]: an interrupted build's unfinished "
                      "update was set aside here\n"
                      "help: it holds what that build had staged, and may hold files of yours it "
                      "was moving; delete it once you have looked\n",
                      out).ptr);
  remove(at(&c2, out, ".ecsc-discarded-1/0"));
  remove(at(&c2, out, ".ecsc-discarded-1/journal"));
  snprintf(what, sizeof what, "%s: --discard-journal: the new tree, the update kept aside", name);
  result(what, r == OUT_OK && rmdir(at(&c2, out, ".ecsc-discarded-1")) == 0 &&
                   str_eq(listing(&c2, out, false), str_c(STATES2_LISTING)),
         listing(&c2, out, false).ptr);
  comp_free(&c2);
  comp_free(&c);
}

static void test_damaged(const char *work) {
  damaged_case(
      work, "line", "# ecsc journal 2: an update of this directory, committed by its last line\n"
      "swap 0 changed 12 prod/services/api\nrename 0 \x1b[31mx\xe2\x80\xaey\nend\n",
      "%s/.ecsc-update/journal: error[E0702]: the journal of an interrupted build is damaged: "
      "line 3 is not one ecsc writes: \"rename 0 \\u001b[31mx\\u202ey\"\n"
      "help: no build can finish this update, so none was tried: %s is as the interrupted "
      "build left it\n"
      "help: or build again with --discard-journal: it moves .ecsc-update aside, to "
      ".ecsc-discarded-N beside it, deleting nothing, and writes every file that differs\n");
  damaged_case(
      work, "end", "# ecsc journal 2: an update of this directory, committed by its last line\n"
      "swap 0 changed 12 prod/services/api\n",
      "%s/.ecsc-update/journal: error[E0702]: the journal of an interrupted build is damaged: "
      "its last line is not \"end\"\n"
      "help: no build can finish this update, so none was tried: %s is as the interrupted "
      "build left it\n"
      "help: or build again with --discard-journal: it moves .ecsc-update aside, to "
      ".ecsc-discarded-N beside it, deleting nothing, and writes every file that differs\n");
  damaged_case(
      work, "path", "# ecsc journal 2: an update of this directory, committed by its last line\n"
      "del ../../etc/passwd\nend\n",
      "%s/.ecsc-update/journal: error[E0702]: the journal of an interrupted build is damaged: "
      "line 2 is not one ecsc writes: \"del ../../etc/passwd\"\n"
      "help: no build can finish this update, so none was tried: %s is as the interrupted "
      "build left it\n"
      "help: or build again with --discard-journal: it moves .ecsc-update aside, to "
      ".ecsc-discarded-N beside it, deleting nothing, and writes every file that differs\n");
  damaged_case(
      work, "header", "put 0 prod/vpc/main.tf.json\nend\n",
      "%s/.ecsc-update/journal: error[E0702]: the journal of an interrupted build is damaged: "
      "its first line is not ecsc's header: \"put 0 prod/vpc/main.tf.json\"\n"
      "help: no build can finish this update, so none was tried: %s is as the interrupted "
      "build left it\n"
      "help: or build again with --discard-journal: it moves .ecsc-update aside, to "
      ".ecsc-discarded-N beside it, deleting nothing, and writes every file that differs\n");
  damaged_case(
      work, "later", "# ecsc journal 3: from the future\nmove 0 prod/vpc\nend\n",
      "%s/.ecsc-update/journal: error[E0703]: an interrupted build of a later ecsc left this "
      "update, in a journal format this ecsc does not know: \"# ecsc journal 3: from the "
      "future\"\n"
      "help: build with that later ecsc, which finishes the update first\n"
      "help: or build again with --discard-journal: it moves .ecsc-update aside, to "
      ".ecsc-discarded-N beside it, deleting nothing, and writes every file that differs\n");
}

// A swap that would go through a symbolic link is refused, and touches
// nothing outside DIR.
static void test_swap_link(const char *work) {
  Compilation c;
  comp_init(&c);
  char *parent = at(&c, work, "swaplink");
  mkdir(parent, 0755);
  char *out = at(&c, parent, "out");
  setup_states(&c, out);
  mkdir(at(&c, parent, "outside"), 0755);
  put(at(&c, parent, "outside/victim"), "not ecsc's\n");
  symlink("../outside", at(&c, out, "prod/link"));
  mkdir(at(&c, out, ".ecsc-update"), 0700);
  mkdir(at(&c, out, ".ecsc-update/0"), 0700);
  put(at(&c, out, ".ecsc-update/0/main.tf.json"), "pwned\n");
  put(at(&c, out, ".ecsc-update/journal"),
      "# ecsc journal 2: an update of this directory, committed by its last line\n"
      "swap 0 changed 1 prod/link\ndrop victim\nswap 1 added 1 prod/link/sub\nend\n");
  Str outside = listing(&c, at(&c, parent, "outside"), true);
  OutResult r = output_recover(&c, out, NULL);
  result("a journal swapping a symbolic link is refused", r == OUT_FAILED &&
         strstr(diags(&c).ptr, "a symbolic link not written by ecsc is in the way"), diags(&c).ptr);
  expect_text("a journal swaps nothing through a symbolic link",
              listing(&c, at(&c, parent, "outside"), true), outside.ptr);
  comp_free(&c);
}

// For run.sh's kill -9 test, a platform of N service states in 20
// environments, each with two or three files, and a VPC state each.
// Variant B: every tenth service state gone, both files of every other one
// changed, a file dropped from every fifth and added to every seventh, the
// even environments' VPC states changed, and 50 new states.
static OutTree big_tree(Compilation *c, char variant, int n) {
  OutTree t = {0};
  char path[128], data[256];
  for (int i = 0; i < n; i++) {
    if (variant == 'B' && i % 10 == 3)
      continue;
    char v = variant == 'B' && i % 2 == 0 ? 'B' : 'A';
    static const char *const files[] = {"main.tf.json", "task-definition.json", "old.json",
                                        "extra.json"};
    for (int f = 0; f < countof(files); f++) {
      if ((f == 2 && variant == 'B' && i % 5 == 4) || (f == 3 && !(variant == 'B' && i % 7 == 1)))
        continue;
      snprintf(path, sizeof path, "env%02d/services/s%05d/%s", i % 20, i, files[f]);
      snprintf(data, sizeof data,
               "{\n  \"variant\": \"%c\",\n  \"file\": %d,\n  \"pad\": \"%0100d\"\n}\n", v, i, i);
      add(c, &t, path, data);
    }
  }
  for (int e = 0; e < 20; e++) {
    char v = variant == 'B' && e % 2 == 0 ? 'B' : 'A';
    snprintf(path, sizeof path, "env%02d/vpc/main.tf.json", e);
    snprintf(data, sizeof data, "{\"vpc\": \"%c%d\"}\n", v, e);
    add(c, &t, path, data);
    snprintf(path, sizeof path, "env%02d/vpc/user_data.sh", e);
    snprintf(data, sizeof data, "#!/bin/sh\n# %c\n", v);
    add(c, &t, path, data);
  }
  for (int i = 0; variant == 'B' && i < 50; i++) {
    snprintf(path, sizeof path, "env%02d/services/new%03d/main.tf.json", i % 20, i);
    add(c, &t, path, "{}\n");
    snprintf(path, sizeof path, "env%02d/services/new%03d/task-definition.json", i % 20, i);
    add(c, &t, path, "[]\n");
  }
  return t;
}

static int big(const char *dir, char variant, int n) {
  Compilation c;
  comp_init(&c);
  OutTree t = big_tree(&c, variant, n);
  OutResult r = output_write(&c, &t, dir, NULL);
  if (r != OUT_OK) {
    Str d = diags(&c);
    fprintf(stderr, "%.*s", S(d));
  }
  comp_free(&c);
  return r == OUT_OK ? 0 : 1;
}

// Every state directory big_tree's variants have, one a line.
static void big_states(Compilation *c, int n, void (*each)(Compilation *, const char *, void *),
                       void *ctx) {
  for (int e = 0; e < 20; e++)
    each(c, str_cstr(&c->arena, str_fmt(&c->arena, "env%02d/vpc", e)), ctx);
  for (int i = 0; i < n; i++)
    each(c, str_cstr(&c->arena, str_fmt(&c->arena, "env%02d/services/s%05d", i % 20, i)), ctx);
  for (int i = 0; i < 50; i++)
    each(c, str_cstr(&c->arena, str_fmt(&c->arena, "env%02d/services/new%03d", i % 20, i)), ctx);
}

// What terraform init and a user leave in every third state, and in one
// that is not there yet.
static void user_files_in(Compilation *c, const char *state, void *ctx) {
  const char *out = ctx;
  char *dir = at(c, out, state);
  unsigned k = 0;
  for (const char *p = state; *p; p++)
    k = k * 31 + (unsigned char)*p;
  if (k % 3 != 0 && strcmp(state, "env00/services/new000") != 0)
    return;
  mkdir(dir, 0755);
  mkdir(at(c, dir, ".terraform"), 0700);
  put(at(c, dir, ".terraform/plugin"), "plugin\n");
  symlink("plugin", at(c, dir, ".terraform/current"));
  put(at(c, dir, ".terraform.lock.hcl"), "# lock\n");
  put(at(c, dir, "README.md"), state);
}

// One line per state: its name and a hash of its listing (its files,
// modes, bytes, the user's files with them), "-" when empty or missing.
static void state_hash(Compilation *c, const char *state, void *ctx) {
  Str l = state_listing(c, ctx, state);
  uint64_t h = 14695981039346656037u;
  for (ptrdiff_t i = 0; i < l.len; i++)
    h = (h ^ (unsigned char)l.ptr[i]) * 1099511628211u;
  if (l.len)
    printf("%s %016llx\n", state, (unsigned long long)h);
  else
    printf("%s -\n", state);
}

static int recover(const char *dir) {
  Compilation c;
  comp_init(&c);
  OutResult r = output_recover(&c, dir, NULL);
  Str d = diags(&c);
  fprintf(stderr, "%.*s", S(d));
  comp_free(&c);
  return r == OUT_OK ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc == 5 && strcmp(argv[1], "big") == 0)
    return big(argv[2], argv[3][0], atoi(argv[4]));
  if (argc == 3 && strcmp(argv[1], "recover") == 0)
    return recover(argv[2]);
  if (argc == 4 && strcmp(argv[1], "platform") == 0) {  // states1 or states2
    Compilation c;
    comp_init(&c);
    OutTree t = argv[3][0] == '1' ? states1(&c) : states2(&c);
    OutResult r = output_write(&c, &t, argv[2], NULL);
    fprintf(stderr, "%s", diags(&c).ptr);
    comp_free(&c);
    return r == OUT_OK ? 0 : 1;
  }
  if (argc == 4 && (strcmp(argv[1], "states") == 0 || strcmp(argv[1], "userfiles") == 0)) {
    Compilation c;
    comp_init(&c);
    big_states(&c, atoi(argv[3]), argv[1][0] == 's' ? state_hash : user_files_in, argv[2]);
    comp_free(&c);
    return 0;
  }
  if (argc != 3 || strcmp(argv[1], "unit") != 0) {
    fprintf(stderr, "usage: output_test unit WORK | big DIR A|B N | recover DIR | states DIR N | "
                    "userfiles DIR N | platform DIR 1|2\n");
    return 2;
  }
  umask(077);  // output.c's modes must not depend on it
  test_fresh(argv[2]);
  test_rewrite(argv[2]);
  test_file_to_dir(argv[2]);
  test_links(argv[2]);
  test_failures(argv[2]);
  test_refused(argv[2]);
  test_check(argv[2]);
  test_tidy(argv[2]);
  test_symlink(argv[2]);
  test_states(argv[2]);
  test_states_no_exchange(argv[2]);
  test_kill_points(argv[2], true);
  test_kill_points(argv[2], false);
  test_changed_after_kill(argv[2]);
  test_damaged(argv[2]);
  test_swap_link(argv[2]);
  return failed ? 1 : 0;
}
