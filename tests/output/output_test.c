// tests/output/output_test.c: output.c on a real file system. Builds OutTrees
// by hand, writes and checks them, and compares whole directory listings
// (bytes, modes, and inodes where "untouched" is the claim) before and after.
//
//   output_test unit WORK             every case below, in the empty directory WORK;
//                                     prints PASS/FAIL lines, exits 1 on a failure
//   output_test big DIR VARIANT N     writes a tree of N files (variant A or B),
//                                     for run.sh's kill -9 test
//   output_test recover DIR           finishes what a killed build left in DIR
#include "emit.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
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
  if (t->n == t->cap) {
    int cap = t->cap ? 2 * t->cap : 16;
    OutFile *f = new(&c->arena, OutFile, cap);
    if (t->n)
      memcpy(f, t->files, (size_t)t->n * sizeof *f);
    t->files = f;
    t->cap = cap;
  }
  t->files[t->n++] = (OutFile){.path = str_dup(&c->arena, str_c(path)), .kind = OUT_BYTES,
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
  if (output_write(c, &t1, out) != OUT_OK)
    return false;
  put(at(c, out, "README.md"), "mine\n");
  chmod(at(c, out, "README.md"), 0600);
  mkdir(at(c, out, "a/.terraform"), 0700);
  put(at(c, out, "a/.terraform/x"), "plugin\n");
  chmod(at(c, out, "a/.terraform/x"), 0755);
  symlink("x", at(c, out, "a/.terraform/link"));
  mkdir(at(c, out, "notes"), 0750);
  chmod(at(c, out, "notes"), 0750);  // umask 077
  return output_write(c, &t2, out) == OUT_OK;
}

static void test_fresh(const char *work) {
  Compilation c;
  comp_init(&c);
  char *out = at(&c, work, "fresh/out");
  mkdir(at(&c, work, "fresh"), 0755);
  OutTree t = tree1(&c);
  OutResult r = output_write(&c, &t, out);
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
  output_write(&c, &t1, out);
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
  OutResult r = output_write(&c, &t2, at(&c, work, "rewrite/out/"));  // the same DIR
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
  r = output_write(&c, &t2b, out);
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
  r = output_write(&c, &t2c, out);
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
  output_write(&c, &t1, out);
  OutTree t = {0};
  add(&c, &t, "a/x.json", "x1\n");
  add(&c, &t, "e/only.json/inner.json", "i\n");
  OutResult r = output_write(&c, &t, out);
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
  output_write(&c, &t1, out);
  rename(at(&c, out, "e"), at(&c, parent, "outside"));
  symlink("../outside", at(&c, out, "e"));
  OutTree t2 = tree2(&c);
  OutResult r = output_write(&c, &t2, out);
  result("a build whose removed file is below a symbolic link: OUT_OK", r == OUT_OK,
         diags(&c).ptr);
  result("a build removes nothing through a symbolic link",
         access(at(&c, parent, "outside/only.json"), F_OK) == 0, NULL);

  put(at(&c, parent, "outside/victim"), "not ecsc's\n");
  mkdir(at(&c, out, ".ecsc-update"), 0700);
  put(at(&c, out, ".ecsc-update/0"), "pwned\n");
  put(at(&c, out, ".ecsc-update/journal"),
      "del e/victim\nput 0 e/sub/pwned\nend\n");
  Compilation c2;
  comp_init(&c2);
  r = output_recover(&c2, out);
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
  OutResult r = output_write(c, t, out);
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
  OutResult r = output_write(&c4, &t4, file);
  result("DIR that is a file is refused",
         r == OUT_FAILED && strstr(diags(&c4).ptr, "output path is not a directory"),
         diags(&c4).ptr);
  expect_text("DIR that is a file is left as it was", listing(&c4, parent, true), before.ptr);
  comp_free(&c4);

  Compilation c5;
  comp_init(&c5);
  OutTree t5 = tree1(&c5);
  // Missing parents are made, as mkdir -p makes them.
  r = output_write(&c5, &t5, at(&c5, work, "no/such/parent/out"));
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
    OutResult r = output_write(&c, &t, at(&c, parent, "out"));
    OutResult rc = output_check(&c, &t, at(&c, parent, "out"), &(Buf){.arena = &c.arena});
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
  OutResult r = output_write(&c, &t, at(&c, work, "refused/out"));
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
  OutResult r = output_check(&c, &t, out, &report);
  result("check of a fresh build: OUT_OK", r == OUT_OK && c.nerrors == 0, diags(&c).ptr);
  expect_text("check of a fresh build: nothing to report (user files ignored)", buf_str(&report),
              "");

  put(at(&c, out, "a/x.json"), "edited\n");
  report = (Buf){.arena = &c.arena};
  r = output_check(&c, &t, out, &report);
  result("check of a modified tree: OUT_DIFFERS", r == OUT_DIFFERS, NULL);
  expect_text("check of a modified tree: the report", buf_str(&report), "differs: a/x.json\n");
  put(at(&c, out, "a/x.json"), "x2\n");

  OutTree fewer = {0};
  add(&c, &fewer, "a/x.json", "x2\n");
  add(&c, &fewer, "b/c/z.sh", "z\n");
  report = (Buf){.arena = &c.arena};
  r = output_check(&c, &fewer, out, &report);
  result("check with an extra file: OUT_DIFFERS", r == OUT_DIFFERS, NULL);
  expect_text("check with an extra file: the report", buf_str(&report),
              "differs: .ecsc-manifest\nextra: d/w.json\n");

  OutTree more = tree2(&c);
  add(&c, &more, "a/new.json", "{}\n");
  add(&c, &more, "zz/last.json", "{}\n");
  put(at(&c, out, "b/c/z.sh"), "edited\n");
  report = (Buf){.arena = &c.arena};
  r = output_check(&c, &more, out, &report);
  result("check with missing files: OUT_DIFFERS", r == OUT_DIFFERS, NULL);
  expect_text("check with missing files: the report, sorted by path", buf_str(&report),
              "differs: .ecsc-manifest\nmissing: a/new.json\ndiffers: b/c/z.sh\n"
              "missing: zz/last.json\n");
  put(at(&c, out, "b/c/z.sh"), "z\n");

  chmod(at(&c, out, "a/x.json"), 0755);
  report = (Buf){.arena = &c.arena};
  output_check(&c, &t, out, &report);
  expect_text("check: a file of another mode differs (a build would rewrite it)",
              buf_str(&report), "differs: a/x.json\n");
  chmod(at(&c, out, "a/x.json"), 0644);

  unlink(at(&c, out, "a/x.json"));
  symlink("../b/c/z.sh", at(&c, out, "a/x.json"));
  report = (Buf){.arena = &c.arena};
  output_check(&c, &t, out, &report);
  expect_text("check: a symbolic link where a file belongs differs", buf_str(&report),
              "differs: a/x.json\n");
  unlink(at(&c, out, "a/x.json"));
  put(at(&c, out, "a/x.json"), "x2\n");
  chmod(at(&c, out, "a/x.json"), 0644);

  Str before = listing(&c, parent, true);
  report = (Buf){.arena = &c.arena};
  r = output_check(&c, &t, out, &report);
  result("check after restoring the files: OUT_OK", r == OUT_OK && buf_str(&report).len == 0,
         buf_str(&report).ptr);
  report = (Buf){.arena = &c.arena};
  r = output_check(&c, &fewer, out, &report);
  report = (Buf){.arena = &c.arena};
  r = output_check(&c, &t, at(&c, parent, "none"), &report);
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
  OutResult r = output_write(&c, &t, out);
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
  r = output_check(&c, &t, out, &report);
  expect_text("check reports an update a kill left unfinished", buf_str(&report),
              "unfinished: .ecsc-update/journal\n");
  r = output_recover(&c, out);
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
  put(at(&c, out, ".ecsc-update/journal"), "del ../../etc/passwd\nend\n");
  Compilation c2;
  comp_init(&c2);
  r = output_recover(&c2, out);
  result("a journal naming a path outside DIR is refused",
         r == OUT_FAILED && strstr(diags(&c2).ptr, "a line ecsc does not write"), diags(&c2).ptr);
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
  OutResult r = output_write(&c, &t, at(&c, parent, "out"));
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

// Variant A: N files; B: every tenth gone, half the rest changed, 100 new.
static int big(const char *dir, char variant, int n) {
  Compilation c;
  comp_init(&c);
  OutTree t = {0};
  char path[128], data[256];
  for (int i = 0; i < n; i++) {
    if (variant == 'B' && i % 10 == 3)
      continue;
    snprintf(path, sizeof path, "env%02d/services/s%05d/main.tf.json", i % 20, i);
    char v = variant == 'B' && i % 2 == 0 ? 'B' : 'A';
    snprintf(data, sizeof data, "{\n  \"variant\": \"%c\",\n  \"file\": %d,\n  \"pad\": \"%0100d\"\n}\n",
             v, i, i);
    add(&c, &t, path, data);
  }
  for (int i = 0; variant == 'B' && i < 100; i++) {
    snprintf(path, sizeof path, "new/f%03d.json", i);
    add(&c, &t, path, "{}\n");
  }
  OutResult r = output_write(&c, &t, dir);
  if (r != OUT_OK) {
    Str d = diags(&c);
    fprintf(stderr, "%.*s", S(d));
  }
  comp_free(&c);
  return r == OUT_OK ? 0 : 1;
}

static int recover(const char *dir) {
  Compilation c;
  comp_init(&c);
  OutResult r = output_recover(&c, dir);
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
  if (argc != 3 || strcmp(argv[1], "unit") != 0) {
    fprintf(stderr, "usage: output_test unit WORK | big DIR A|B N\n");
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
  return failed ? 1 : 0;
}
